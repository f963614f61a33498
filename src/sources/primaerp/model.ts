/** What primaERP's GraphQL types resolve from (registered in mappers.json). */
import type { EntryModel } from '../../core/contract.js';
import type { RawTimeRecord, RawUnbilledSummary } from './raw.js';

/** A mapped time record; `raw` keeps the vendor record for the primaERP-specific fields. */
export type PrimaerpTimeRecordModel = EntryModel<RawTimeRecord>;

export type PrimaerpUnbilledProjectModel = RawUnbilledSummary['projects'][number];
