/** Xurrent (4me) wire types, as the Time Entries and People APIs send them (seeds 002/003). */

/** `{id, name}`: how 4me references most records. */
export interface XurrentRefRaw {
  id: number;
  name?: string;
}

/** An account reference; account ids are strings such as `wna-it`. */
export interface XurrentAccountRaw {
  id: string;
  name?: string;
}

export interface XurrentServiceRaw extends XurrentRefRaw {
  localized_name?: string;
}

export interface XurrentTimeAllocationRaw extends XurrentRefRaw {
  group?: string;
  account?: XurrentAccountRaw;
  localized_group?: string;
  localized_name?: string;
}

/** A request, problem, task or project task the time was registered on. */
export interface XurrentWorkItemRaw {
  id: number;
  subject?: string;
  account?: XurrentAccountRaw;
  service?: XurrentServiceRaw;
  customer?: XurrentRefRaw;
}

/** Currencies are referenced by their ISO code. */
export interface XurrentCurrencyRaw {
  id: string;
  name?: string;
}

export type XurrentChargeTypeRaw = 'fixed_price' | 'time_material';

/** A time entry. Collections omit fields outside the default set unless `?fields=` asks for them. */
export interface XurrentTimeEntryRaw {
  id: number;
  date: string;
  time_spent: number;
  correction?: boolean;
  created_at: string;
  updated_at: string;
  started_at?: string | null;
  description?: string | null;
  deleted?: boolean;
  /** Set by `POST /time_entries/:id/archive`; the vendor's example sends the string "true". */
  archived?: boolean | string;
  /** Set by `POST /time_entries/:id/trash`. */
  trashed?: boolean | string;
  person?: XurrentRefRaw;
  organization?: XurrentRefRaw;
  customer?: XurrentRefRaw;
  service?: XurrentServiceRaw;
  service_instance?: XurrentRefRaw | null;
  sla?: XurrentRefRaw | null;
  time_allocation?: XurrentTimeAllocationRaw | null;
  request?: XurrentWorkItemRaw | null;
  problem?: XurrentWorkItemRaw | null;
  task?: XurrentWorkItemRaw | null;
  project_task?: XurrentWorkItemRaw | null;
  effort_class?: XurrentRefRaw | null;
  /** Decimals. */
  charge?: number | string | null;
  charge_currency?: XurrentCurrencyRaw | null;
  charge_rate?: number | string | null;
  charge_type?: XurrentChargeTypeRaw | null;
  cost?: number | string | null;
  cost_currency?: string | null;
  activityID?: string | null;
  agreementID?: string | null;
  rateID?: string | null;
  note_id?: number | null;
  /** The integration the entry came from, and its id there (filterable). */
  source?: string | null;
  sourceID?: string | null;
}

/** A person from the People API. */
export interface XurrentPersonRaw {
  id: number;
  name: string;
  primary_email?: string | null;
  organization?: XurrentRefRaw | null;
  disabled?: boolean;
  created_at?: string;
  updated_at?: string;
}

/** Error body: `{message, errors?}`; validation errors list `[field, message]` pairs. */
export interface XurrentErrorRaw {
  message: string;
  errors?: Array<[string, string]>;
}

/**
 * Every field the gateway reads, asked for with `?fields=`. `request`, `problem`, `task` and
 * `project_task` cannot be named there: they come with `time_allocation`.
 */
export const ENTRY_FIELDS = [
  'date', 'time_spent', 'correction', 'person', 'time_allocation', 'service', 'customer', 'organization',
  'description', 'deleted', 'archived', 'trashed', 'created_at', 'updated_at', 'started_at', 'effort_class',
  'charge', 'charge_currency', 'charge_rate', 'charge_type', 'cost', 'cost_currency', 'activityID',
  'agreementID', 'rateID', 'note_id', 'service_instance', 'sla', 'source', 'sourceID',
] as const;
