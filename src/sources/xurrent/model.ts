/** What the Xurrent GraphQL types resolve from (registered in mappers.json for codegen). */
import type { EntryModel } from '../../core/contract.js';
import type {
  XurrentAccountRaw, XurrentCurrencyRaw, XurrentRefRaw, XurrentServiceRaw, XurrentTimeAllocationRaw,
  XurrentTimeEntryRaw, XurrentWorkItemRaw,
} from './raw.js';

export type XurrentEntryModel = EntryModel<XurrentTimeEntryRaw>;
export type XurrentReferenceModel = XurrentRefRaw;
export type XurrentAccountModel = XurrentAccountRaw;
export type XurrentServiceModel = XurrentServiceRaw;
export type XurrentTimeAllocationModel = XurrentTimeAllocationRaw;
export type XurrentWorkItemModel = XurrentWorkItemRaw;
export type XurrentCurrencyModel = XurrentCurrencyRaw;
