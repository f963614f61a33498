/**
 * Plans primaERP list requests from a ListRequest: the scoped path, the OData `$filter` pushed down,
 * and the exact local check for what OData cannot express (the work date depends on the user's zone).
 */
import { badInput } from '../../core/errors.js';
import { addDays, isoUtc } from '../../units/dates.js';
import type { EntryModel } from '../../core/contract.js';
import type { ListPlan } from '../../core/list-plan.js';
import type { RawTimeRecord } from './raw.js';

export const UUID_RE = /^[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}$/;

/** Zone offsets span −12 h … +14 h: how far a UTC instant's day can be from the local day. */
export const MAX_BEHIND_MS = 12 * 3_600_000;
export const MAX_AHEAD_MS = 14 * 3_600_000;

/** The `primaerp:` field of TimeEntryFilter (and the scope of the extra root fields). */
export interface PrimaerpFilterInput {
  projectId?: string | null;
  taskId?: string | null;
  userId?: string | null;
  tagId?: string | null;
  workTypeId?: string | null;
  approved?: boolean | null;
  billable?: boolean | null;
  billed?: boolean | null;
}

const SCOPES = [
  ['projectId', 'projects'],
  ['taskId', 'tasks'],
  ['userId', 'users'],
  ['tagId', 'tags'],
  ['workTypeId', 'worktypes'],
] as const;

/** `/v1/time/timerecords`, or the scoped path for at most one of the scope fields. */
export function recordsPath(input: PrimaerpFilterInput | null | undefined, argument: string): string {
  const set = SCOPES.filter(([field]) => input?.[field] != null);
  if (set.length > 1) {
    throw badInput(argument, input, `set at most one of projectId, taskId, userId, tagId, workTypeId (got ${set.map(([f]) => f).join(', ')})`);
  }
  if (set.length === 0) return '/v1/time/timerecords';
  const [field, segment] = set[0];
  const id = input![field]!;
  if (!UUID_RE.test(id)) throw badInput(`${argument}.${field}`, id, 'not a primaERP UUID');
  return `/v1/time/${segment}/${id}/timerecords`;
}

export const datetime = (ms: number): string => `datetime'${isoUtc(ms)}'`;
const dayStartMs = (day: string): number => Date.parse(`${day}T00:00:00Z`);

/** Lowest `start` a record with workDate >= day can have. */
export const startLowerBound = (day: string): number => dayStartMs(day) - MAX_AHEAD_MS;
/** A `start` every record with workDate <= day is strictly below. */
export const startUpperBound = (day: string): number => dayStartMs(addDays(day, 1)) + MAX_BEHIND_MS;
/** Highest workDate a record starting at or before `startMs` can have. */
export const maxDayFrom = (startMs: number): string => isoUtc(startMs + MAX_AHEAD_MS).slice(0, 10);
/** Lowest workDate a record starting at or after `startMs` can have. */
export const minDayFrom = (startMs: number): string => isoUtc(startMs - MAX_BEHIND_MS).slice(0, 10);

/** Conditions every part of a list shares: deleted, the plan's updated window (seek included), flags. */
export function commonConditions(plan: ListPlan, input: PrimaerpFilterInput | null | undefined): string[] {
  const c: string[] = [];
  const { afterMs, atLeastMs, atMostMs } = plan.updated;
  if (!plan.filter.includeDeleted) c.push('trashItem eq null');
  if (afterMs !== undefined) c.push(`updatedAt gt ${datetime(afterMs)}`);
  if (atMostMs !== undefined) c.push(`updatedAt le ${datetime(atMostMs)}`);
  if (atLeastMs !== undefined) c.push(`updatedAt ge ${datetime(atLeastMs)}`);
  for (const flag of FLAGS) {
    const v = input?.[flag];
    if (v != null) c.push(`${flag} eq ${v}`);
  }
  return c;
}

/** Start bounds for a work date range (widened by the zone slack), as OData conditions. */
export function startConditions(fromDay: string | undefined, toDay: string | undefined): string[] {
  const c: string[] = [];
  if (fromDay !== undefined) c.push(`start ge ${datetime(startLowerBound(fromDay))}`);
  if (toDay !== undefined) c.push(`start lt ${datetime(startUpperBound(toDay))}`);
  return c;
}

export const and = (conditions: readonly string[]): string | undefined =>
  conditions.length === 0 ? undefined : conditions.length === 1 ? conditions[0] : conditions.map((c) => (/ or /.test(c) ? `(${c})` : c)).join(' and ');

const FLAGS = ['approved', 'billable', 'billed'] as const;

/** The `primaerp:` filter's flags, checked exactly (the core's plan checks the unified filter). */
export function matchesFlags(entry: EntryModel<RawTimeRecord>, input: PrimaerpFilterInput | null | undefined): boolean {
  for (const flag of FLAGS) {
    const v = input?.[flag];
    if (v != null && (entry.raw[flag] ?? null) !== v) return false;
  }
  return true;
}
