/**
 * Laurel's wire types, as its OpenAPI document (`reference/laurel-public-entries.openapi.json`) and the
 * seeds describe them. Optional means the vendor may omit the field; nothing here is normalized.
 */

export type LaurelCreationMethod = 'async' | 'user' | 'pms' | 'shared';
export type LaurelBillingType = 'billable' | 'non-billable';
export type LaurelStatus =
  | 'validation-pending'
  | 'validation-success'
  | 'validation-failed'
  | 'release-validation-pending'
  | 'release-pending'
  | 'release-success'
  | 'release-success-locked'
  | 'release-failed';

export type LaurelValidationErrorCode =
  | 'cannot-have-running-timer'
  | 'cannot-release-zero-increment'
  | 'cannot-release-negative-increment'
  | 'cannot-release-billable-future-work'
  | 'cannot-release-non-billable-future-work'
  | 'cannot-release-with-user-initiative'
  | 'cannot-release-with-inactive-initiative'
  | 'code-type-is-required'
  | 'summary-is-required'
  | 'cannot-have-blocked-compliance-rule'
  | 'cannot-exceed-twenty-four-hours'
  | 'entry-date-restricted-no-release'
  | 'entry-date-restricted-no-create'
  | 'timekeeper-not-in-working-list'
  | 'exceeds-twenty-four-hours-daily-limit';

/** `GetCustomerEntriesCodeResponseDto`: a code as the list endpoints reference it. */
export interface RawCodeReference {
  codeExternalId: string;
  codeTypeExternalId: string;
}

export interface RawCodeType {
  _id: string;
  externalId: string;
  name: string;
  semanticType?: 'action' | 'activity' | 'location' | 'phase' | 'task' | null;
  orderingSequence?: string | null;
}

/** `CodeDigest`. */
export interface RawCode {
  _id: string;
  externalId: string;
  name: string;
  description: string;
  type: RawCodeType;
}

/** `CodeAssignment`. */
export interface RawCodeAssignment {
  assignedBy: 'user' | 'laurel';
  code: RawCode;
}

/** `ClientDigest`. */
export interface RawClient {
  _id: string;
  externalId: string;
  name: string;
  description: string;
  callSign: string;
  type?: 'client' | 'parent' | null;
  parentClientId?: string | null;
}

/** `PmsInitiativeDigest` or `UserInitiativeDigest` (the latter has no externalId, description or client). */
export interface RawInitiative {
  type: 'pms' | 'user';
  _id: string;
  billingType: LaurelBillingType;
  callSign?: string | null;
  /** Seconds per billing increment (36 = 0.01 h, 360 = 0.1 h, 900 = 0.25 h). */
  unitIncrements: number;
  status?: 'active' | 'inactive' | null;
  locale?: string | null;
  externalId?: string;
  name: string;
  description?: string;
  client?: RawClient;
}

/** `PmsInitiativePropsDigest` or `UserInitiativePropsDigest`. */
export interface RawInitiativeProps {
  type: 'pms' | 'user';
  colorHex: string;
  tags: Array<'pinned'>;
  nickname?: string | null;
  initiative: RawInitiative;
}

export interface RawReleaseFailedError {
  originalMessage: string;
  title: string;
  description: string;
}

export interface RawEntryValidationError {
  errorCode: LaurelValidationErrorCode;
}

/** The `statusInfo` oneOf, flattened: each variant's fields are optional here. */
export interface RawStatusInfo {
  status: LaurelStatus;
  releaseFailedErrors?: RawReleaseFailedError[];
  releasePendedAt?: string;
  releasePendedBy?: string;
  releasedAt?: string;
  releasedBy?: string;
  reReleaseFailedMessages?: RawReleaseFailedError[] | null;
  lockedAt?: string | null;
  lastLockCheckAt?: string;
  errors?: RawEntryValidationError[];
}

export interface RawActivitySource {
  _id: string;
  type: 'activity';
  creationMethod: 'timer' | 'tracked' | 'user';
  category?: string | null;
  technology?: string | null;
  source?: string | null;
  mechanism?: string | null;
  title: string;
  detail: string;
  startedAt: string;
  stoppedAt: string;
  clusterId?: string | null;
  fromSuggestions?: boolean | null;
  fromThemes?: boolean | null;
  hasOverlap?: boolean | null;
  overlapTimeInSeconds?: number | null;
  threadId?: string | null;
  disableThreading?: boolean | null;
  assignedAt?: string | null;
}

export interface RawNestedEntrySource {
  _id: string;
  type: 'entry';
  enrichmentCorrelationId?: string | null;
  summary: string;
  unitIncrementCountAdjustments: number;
}

export interface RawTimerSource {
  _id: string;
  type: 'timer';
  durationInSeconds: number;
  summary: string;
}

export type RawSource = RawActivitySource | RawNestedEntrySource | RawTimerSource;

export interface RawComplianceRule {
  ruleKey: string;
  description?: string | null;
  enforcementLevel: 'block' | 'acknowledge' | 'warn' | 'off';
}

export interface RawSharedFrom {
  entryId: string;
  entryUserId: string;
  sharerId: string;
  sharerType: 'user' | 'admin' | 'delegate';
  sharedAt: string;
  entryUserName?: string | null;
  sharerName?: string | null;
}

/** `CustomerEntryResponseDto`: what the v1/v2 list endpoints and override return. */
export interface RawListEntry {
  entryId: string;
  externalId?: string;
  customerId: string;
  userId: string;
  creationMethod: LaurelCreationMethod;
  releasedBy?: string;
  createdBy?: string;
  workDate?: string;
  createdAt: string;
  updatedAt: string;
  initiativeExternalId?: string;
  clientExternalId?: string;
  summary: string;
  unitIncrementCount: number;
  incrementDurationInSeconds: number;
  firstReleaseAttemptedAt?: string;
  lastReleasePendingAt?: string;
  lastReleaseFailedAt?: string;
  releaseSuccessAt?: string;
  isDeleted?: boolean;
  notes?: string;
  releaseCount?: number;
  lastSyncedAt?: string;
  initiativeName?: string;
  clientName?: string;
  billingType?: LaurelBillingType;
  codes?: RawCodeReference[];
}

/** `EntryResponseDto`: the full entry, returned by the soft delete. */
export interface RawFullEntry {
  _id: string;
  customerId: string;
  userId: string;
  enrichmentCorrelationId?: string;
  statusInfo: RawStatusInfo;
  creationMethod: LaurelCreationMethod;
  createdAsTimer?: boolean;
  workDate?: string;
  isLocked: boolean;
  summary: string;
  unitIncrementCountFromSources: number;
  unitIncrementCountAdjustments: number;
  incrementDurationInSeconds: number;
  initiativeProps: RawInitiativeProps;
  workCodes?: RawCodeAssignment[];
  sources: RawSource[][];
  externalId?: string;
  createdAt: string;
  updatedAt: string;
  hasOverlap?: boolean;
  overlapTimeInSeconds?: number;
  isDeleted?: boolean;
  notes?: string;
  firstReleaseAttemptedAt?: string;
  releaseCount?: number;
  lastSyncedAt?: string;
  timerDurationAdjustmentInSeconds?: number;
  complianceRules?: RawComplianceRule[];
  initiativeName?: string;
  clientName?: string;
  billingType?: LaurelBillingType;
  timezoneAtCreation?: string | null;
  autoStoppedReason?: 'twelve_hour_limit' | null;
  autostopDismissedAt?: string | null;
  isShared?: boolean | null;
  sharedFrom?: RawSharedFrom | null;
  isSplittable?: boolean;
}

/** `ExportEntryResponseDto`: what the export endpoints return. */
export interface RawExportEntry {
  _id: string;
  customerId: string;
  userId: string;
  workDate: string;
  summary: string;
  unitIncrementCount: number;
  incrementDurationInSeconds: number;
  initiativeProps: RawInitiativeProps;
  externalId?: string | null;
  notes?: string | null;
  releaseCount?: number | null;
  lastSyncedAt?: string | null;
  firstReleaseAttemptedAt?: string | null;
  isShared?: boolean | null;
  sharedFrom?: RawSharedFrom | null;
  codes: RawCode[];
}

/** Any of the three entry shapes; `LaurelEntry` exposes the union of their fields. */
export type RawEntry = RawListEntry | RawFullEntry | RawExportEntry;

/** v2 list and export page. */
export interface RawPage<T> {
  items: T[];
  nextCursor?: string;
}

/** NestJS's default error body. */
export interface RawNestError {
  statusCode: number;
  message: string | string[];
  error?: string;
  errorCode?: string;
}

/** The identity service's token answer. */
export interface RawToken {
  access_token: string;
  expires_in: number;
  token_type?: string;
}
