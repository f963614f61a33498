/**
 * The core's list plan in primaERP's OData: the scoped path, the `$filter` and `$orderby` of each part
 * pushed down, and the exact local check for what OData cannot express (the work date depends on the
 * user's zone).
 */
import { badInput } from '../../core/errors.js';
import { addDays, isoUtc } from '../../units/dates.js';
import type { EntryModel, ListRequest, SortKey } from '../../core/contract.js';
import { planList, type ListPlan } from '../../core/list-plan.js';
import { msDate } from './mapping.js';
import type { RawTimeRecord } from './raw.js';

/** primaERP's page maximum (`$top`). */
export const PAGE_MAX = 1000;

/** One part of a list: a $filter, an order, and what it may promise when it ends. */
export interface ListPart {
  filter: string | undefined;
  orderby: string;
  /** Frontier after a page of this part (from the page's last raw record). */
  frontierOf(last: RawTimeRecord | undefined): SortKey | undefined;
  /** Frontier when this part ends but another follows. */
  endFrontier: SortKey;
}

export interface PrimaerpListPlan {
  /** `/v1/time/timerecords` or the scoped path. */
  path: string;
  /** What to read, in stream order (none: nothing can match). */
  parts: ListPart[];
  /** `$top` of every page. */
  top: number;
  /** Exact check on a mapped entry: the core's plan, then the `primaerp:` filter's flags. */
  accept(entry: EntryModel<RawTimeRecord>): boolean;
}

/** The core's plan (`core/list-plan.ts`) in OData, plus the `primaerp:` filter. */
export function planPrimaerpList(request: ListRequest): PrimaerpListPlan {
  const input = (request.sourceFilter ?? null) as PrimaerpFilterInput | null;
  const path = recordsPath(input, 'filter.primaerp');
  const plan = planList(request);
  return {
    path,
    parts: listParts(plan, input),
    top: Math.min(PAGE_MAX, Math.max(100, request.limit + 1)),
    accept: (entry) => plan.accept(entry) && matchesFlags(entry, input),
  };
}

/**
 * One part per run (see `ListPlan.runs`): updated sorts order by `updatedAt`; work-date sorts read
 * dated records ordered by `start` and, as their own run, the records without a start (workDate
 * null, key '').
 */
function listParts(plan: ListPlan, input: PrimaerpFilterInput | null | undefined): ListPart[] {
  const common = commonConditions(plan, input);
  const { from: low, to: high } = plan.workDates;
  const dir = plan.descending ? 'desc' : 'asc';
  return plan.runs.map((run): ListPart => {
    if (run === 'all') {
      return {
        filter: and([...common, ...startConditions(low, high)]),
        orderby: `updatedAt ${dir},id asc`,
        frontierOf: (last) => msDate(last?.updatedAt) ?? msDate(last?.createdAt) ?? undefined,
        endFrontier: plan.descending ? 0 : Number.MAX_SAFE_INTEGER,
      };
    }
    if (run === 'undated') {
      return { filter: and([...common, 'start eq null']), orderby: 'id asc', frontierOf: () => '', endFrontier: low ?? '' };
    }
    return {
      filter: and([...common, 'start ne null', ...startConditions(low, high)]),
      orderby: `start ${dir},id asc`,
      frontierOf: (last) => datedFrontier(msDate(last?.start), plan.descending, low, high),
      endFrontier: plan.descending ? '' : '9999-12-31',
    };
  });
}

/** After a page of dated records ending at `startMs`: the furthest work date still to come is bounded so. */
function datedFrontier(startMs: number | null, descending: boolean, low: string | undefined, high: string | undefined): SortKey | undefined {
  if (startMs === null) return undefined;
  if (!descending) {
    const d = minDayFrom(startMs);
    return low !== undefined && low > d ? low : d;
  }
  const d = maxDayFrom(startMs);
  return high !== undefined && high < d ? high : d;
}

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
