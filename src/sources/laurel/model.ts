/** The models `LaurelEntry` and its nested GraphQL types resolve from (registered in mappers.json). */
import type { EntryModel } from '../../core/contract.js';
import type {
  RawActivitySource,
  RawClient,
  RawCode,
  RawCodeAssignment,
  RawCodeReference,
  RawCodeType,
  RawComplianceRule,
  RawEntry,
  RawEntryValidationError,
  RawInitiative,
  RawInitiativeProps,
  RawNestedEntrySource,
  RawReleaseFailedError,
  RawSharedFrom,
  RawSource,
  RawStatusInfo,
  RawTimerSource,
} from './raw.js';

export type LaurelEntryModel = EntryModel<RawEntry>;
export type LaurelCodeReferenceModel = RawCodeReference;
export type LaurelCodeModel = RawCode;
export type LaurelCodeTypeModel = RawCodeType;
export type LaurelWorkCodeModel = RawCodeAssignment;
export type LaurelInitiativePropsModel = RawInitiativeProps;
export type LaurelInitiativeModel = RawInitiative;
export type LaurelClientModel = RawClient;
export type LaurelStatusInfoModel = RawStatusInfo;
export type LaurelReleaseFailedErrorModel = RawReleaseFailedError;
export type LaurelEntryValidationErrorModel = RawEntryValidationError;
export type LaurelSourceModel = RawSource;
export type LaurelActivitySourceModel = RawActivitySource;
export type LaurelNestedEntrySourceModel = RawNestedEntrySource;
export type LaurelTimerSourceModel = RawTimerSource;
export type LaurelComplianceRuleModel = RawComplianceRule;
export type LaurelSharedFromModel = RawSharedFrom;

/** One entry's outcome of a batch release (`LaurelEntryReleaseResult`); JSON, as idempotency stores it. */
export interface LaurelEntryReleaseResultModel {
  /** The global id as given. */
  id: string;
  /** The entry's lookup key. */
  key: string;
  status: string;
  ok: boolean;
  errorMessage: string | null;
  errorCode: number | null;
}
