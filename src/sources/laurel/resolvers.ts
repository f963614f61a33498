/**
 * Resolvers of `LaurelEntry`'s own fields and its nested types. Interface fields (`id`, `duration`)
 * come from the core's TimeEntry resolvers. Enums: Laurel's kebab-case values become UPPER_CASE here.
 */
import { badInput } from '../../core/errors.js';
import { instantArgument, sourceCall } from '../common/resolve.js';
import type {
  LaurelActivityCreationMethod,
  LaurelAutoStoppedReason,
  LaurelBillingType,
  LaurelClientType,
  LaurelCodeAssigner,
  LaurelCodeSemanticType,
  LaurelCreationMethod,
  LaurelEnforcementLevel,
  LaurelEntryStatus,
  LaurelInitiativeStatus,
  LaurelInitiativeTag,
  LaurelInitiativeType,
  LaurelSharerType,
  Resolvers,
} from '../../generated/graphql.js';
import type { LaurelAdapter } from './adapter.js';
import { laurelInstant } from './mapping.js';
import { laurelMutationResolvers, laurelReleaseResultResolvers } from './mutations.js';
import type { LaurelEntryModel } from './model.js';
import type { RawCode, RawCodeReference, RawEntry, RawExportEntry, RawFullEntry, RawListEntry, RawSource } from './raw.js';

/** Maps a vendor value to its GraphQL enum value; null for an absent or unknown value. */
function enumOf<T extends string>(values: readonly T[]): (v: string | null | undefined) => T | null {
  const known = new Set<string>(values);
  return (v) => {
    if (v === null || v === undefined) return null;
    const upper = v.toUpperCase().replace(/-/g, '_');
    return known.has(upper) ? (upper as T) : null;
  };
}

const creationMethod = enumOf<LaurelCreationMethod>(['ASYNC', 'USER', 'PMS', 'SHARED']);
const billingType = enumOf<LaurelBillingType>(['BILLABLE', 'NON_BILLABLE']);
const semanticType = enumOf<LaurelCodeSemanticType>(['ACTION', 'ACTIVITY', 'LOCATION', 'PHASE', 'TASK']);
const assigner = enumOf<LaurelCodeAssigner>(['USER', 'LAUREL']);
const initiativeType = enumOf<LaurelInitiativeType>(['PMS', 'USER']);
const initiativeTag = enumOf<LaurelInitiativeTag>(['PINNED']);
const initiativeStatus = enumOf<LaurelInitiativeStatus>(['ACTIVE', 'INACTIVE']);
const clientType = enumOf<LaurelClientType>(['CLIENT', 'PARENT']);
const entryStatus = enumOf<LaurelEntryStatus>([
  'VALIDATION_PENDING',
  'VALIDATION_SUCCESS',
  'VALIDATION_FAILED',
  'RELEASE_VALIDATION_PENDING',
  'RELEASE_PENDING',
  'RELEASE_SUCCESS',
  'RELEASE_SUCCESS_LOCKED',
  'RELEASE_FAILED',
]);
const activityMethod = enumOf<LaurelActivityCreationMethod>(['TIMER', 'TRACKED', 'USER']);
const enforcement = enumOf<LaurelEnforcementLevel>(['BLOCK', 'ACKNOWLEDGE', 'WARN', 'OFF']);
const autoStopped = enumOf<LaurelAutoStoppedReason>(['TWELVE_HOUR_LIMIT']);
const sharerType = enumOf<LaurelSharerType>(['USER', 'ADMIN', 'DELEGATE']);

/** Every field of the three shapes, all optional (`codes` differs by shape and is read apart). */
type Flat = Partial<Omit<RawListEntry, 'codes'> & Omit<RawFullEntry, 'codes'> & Omit<RawExportEntry, 'codes'>>;
const flat = (p: LaurelEntryModel): Flat => p.raw as Flat;
const isList = (raw: RawEntry): raw is RawListEntry => 'entryId' in raw;
const isFull = (raw: RawEntry): raw is RawFullEntry => !isList(raw) && 'statusInfo' in raw;
const nul = <T>(v: T | undefined | null): T | null => (v === undefined ? null : v);

export const laurelResolvers: Resolvers = {
  LaurelEntry: {
    entryId: (p) => p.sourceId,
    customerId: (p) => flat(p).customerId ?? '',
    userId: (p) => flat(p).userId ?? '',
    externalId: (p) => nul(flat(p).externalId),
    creationMethod: (p) => creationMethod(flat(p).creationMethod),
    releasedBy: (p) => nul(flat(p).releasedBy),
    createdBy: (p) => nul(flat(p).createdBy),
    summary: (p) => nul(flat(p).summary),
    notes: (p) => nul(flat(p).notes),
    initiativeExternalId: (p) => nul(flat(p).initiativeExternalId),
    clientExternalId: (p) => nul(flat(p).clientExternalId),
    initiativeName: (p) => nul(flat(p).initiativeName),
    clientName: (p) => nul(flat(p).clientName),
    billingType: (p) => billingType(flat(p).billingType ?? flat(p).initiativeProps?.initiative?.billingType),
    unitIncrementCount: (p) => nul(flat(p).unitIncrementCount),
    unitIncrementCountFromSources: (p) => nul(flat(p).unitIncrementCountFromSources),
    unitIncrementCountAdjustments: (p) => nul(flat(p).unitIncrementCountAdjustments),
    incrementDurationInSeconds: (p) => p.sourceDuration.value,
    isDeleted: (p) => nul(flat(p).isDeleted),
    releaseCount: (p) => nul(flat(p).releaseCount),
    firstReleaseAttemptedAt: (p) => laurelInstant(flat(p).firstReleaseAttemptedAt),
    lastReleasePendingAt: (p) => laurelInstant(flat(p).lastReleasePendingAt),
    lastReleaseFailedAt: (p) => laurelInstant(flat(p).lastReleaseFailedAt),
    releaseSuccessAt: (p) => laurelInstant(flat(p).releaseSuccessAt),
    lastSyncedAt: (p) => laurelInstant(flat(p).lastSyncedAt),
    codes: (p) => (isList(p.raw) ? nul(p.raw.codes as RawCodeReference[] | undefined) : null),
    codeDigests: (p) => (!isList(p.raw) && !isFull(p.raw) ? nul(p.raw.codes as RawCode[] | undefined) : null),
    workCodes: (p) => nul(flat(p).workCodes),
    initiativeProps: (p) => nul(flat(p).initiativeProps),
    statusInfo: (p) => nul(flat(p).statusInfo),
    enrichmentCorrelationId: (p) => nul(flat(p).enrichmentCorrelationId),
    createdAsTimer: (p) => nul(flat(p).createdAsTimer),
    isLocked: (p) => nul(flat(p).isLocked),
    sources: (p) => {
      const groups = flat(p).sources;
      // The OpenAPI document nests sources in groups; tolerate a flat array as one group per source.
      return groups ? groups.map((g) => (Array.isArray(g) ? g : [g as unknown as RawSource])) : null;
    },
    hasOverlap: (p) => nul(flat(p).hasOverlap),
    overlapTimeInSeconds: (p) => nul(flat(p).overlapTimeInSeconds),
    timerDurationAdjustmentInSeconds: (p) => nul(flat(p).timerDurationAdjustmentInSeconds),
    complianceRules: (p) => nul(flat(p).complianceRules),
    timezoneAtCreation: (p) => nul(flat(p).timezoneAtCreation),
    autoStoppedReason: (p) => autoStopped(flat(p).autoStoppedReason),
    autostopDismissedAt: (p) => laurelInstant(flat(p).autostopDismissedAt),
    isShared: (p) => nul(flat(p).isShared),
    sharedFrom: (p) => nul(flat(p).sharedFrom),
    isSplittable: (p) => nul(flat(p).isSplittable),
  },
  LaurelCode: {
    sourceId: (p) => p._id,
    type: (p) => nul(p.type),
  },
  LaurelCodeType: {
    sourceId: (p) => p._id,
    semanticType: (p) => semanticType(p.semanticType),
  },
  LaurelWorkCode: {
    assignedBy: (p) => assigner(p.assignedBy),
  },
  LaurelInitiativeProps: {
    type: (p) => initiativeType(p.type),
    tags: (p) => (p.tags ? p.tags.map(initiativeTag).filter((t): t is LaurelInitiativeTag => t !== null) : null),
  },
  LaurelInitiative: {
    sourceId: (p) => p._id,
    type: (p) => initiativeType(p.type),
    billingType: (p) => billingType(p.billingType),
    status: (p) => initiativeStatus(p.status),
    client: (p) => nul(p.client),
  },
  LaurelClient: {
    sourceId: (p) => p._id,
    type: (p) => clientType(p.type),
  },
  LaurelStatusInfo: {
    status: (p) => entryStatus(p.status) ?? 'VALIDATION_PENDING',
    releasePendedAt: (p) => laurelInstant(p.releasePendedAt),
    releasedAt: (p) => laurelInstant(p.releasedAt),
    lockedAt: (p) => laurelInstant(p.lockedAt),
    lastLockCheckAt: (p) => laurelInstant(p.lastLockCheckAt),
  },
  LaurelSource: {
    __resolveType: (p) => (p.type === 'activity' ? 'LaurelActivitySource' : p.type === 'timer' ? 'LaurelTimerSource' : 'LaurelNestedEntrySource'),
  },
  LaurelActivitySource: {
    sourceId: (p) => p._id,
    creationMethod: (p) => activityMethod(p.creationMethod),
    startedAt: (p) => laurelInstant(p.startedAt),
    stoppedAt: (p) => laurelInstant(p.stoppedAt),
    assignedAt: (p) => laurelInstant(p.assignedAt),
  },
  LaurelNestedEntrySource: {
    sourceId: (p) => p._id,
  },
  LaurelTimerSource: {
    sourceId: (p) => p._id,
  },
  LaurelComplianceRule: {
    enforcementLevel: (p) => enforcement(p.enforcementLevel),
  },
  LaurelSharedFrom: {
    sharerType: (p) => sharerType(p.sharerType),
    sharedAt: (p) => laurelInstant(p.sharedAt),
  },
  LaurelEntryReleaseResult: laurelReleaseResultResolvers,
  Mutation: laurelMutationResolvers,
  Query: {
    laurelEntryExport: async (_parent, args, context) => {
      const after = instantArgument('releasedAfter', args.releasedAfter);
      const before = instantArgument('releasedOnOrBefore', args.releasedOnOrBefore);
      if (after >= before) throw badInput('releasedOnOrBefore', args.releasedOnOrBefore, 'must be after releasedAfter');
      return sourceCall(() => (context.sources.require('LAUREL') as LaurelAdapter).exportEntries(after, before));
    },
  },
};
