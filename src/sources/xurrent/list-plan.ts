/**
 * The core's list plan in Xurrent's query syntax (sort, filters and the seek position pushed down),
 * plus the local check for what the query cannot say exactly (strict bounds, sub-second instants).
 */
import { badInput } from '../../core/errors.js';
import type { XurrentTimeEntryFilter } from '../../generated/graphql.js';
import type { ListRequest, SortKey } from '../../core/contract.js';
import { inWindow, planList, type ListPlan, type UpdatedWindow } from '../../core/list-plan.js';
import type { XurrentEntryModel } from './model.js';
import { ENTRY_FIELDS } from './raw.js';
import { instantArgument } from '../common/resolve.js';

export const MAX_PER_PAGE = 100;
export const FIELDS = ENTRY_FIELDS.join(',');

export interface XurrentListPlan {
  /** Query of the first request; null when nothing can match (no request needed). */
  query: Record<string, string> | null;
  /** Exact check on a mapped entry: the core's plan, then the `xurrent:` filter. */
  accept(entry: XurrentEntryModel): boolean;
  /** The entry's sort key. */
  keyOf(entry: XurrentEntryModel): SortKey;
  /**
   * The query says the request exactly: `accept` takes every entry Xurrent answers, so a next page
   * (its `Link` rel="next") holds at least one more matching entry. False when a bound is exclusive
   * or finer than the second that the query rounds it to.
   */
  exact: boolean;
}

const SORT_PARAM = { WORK_DATE_DESC: '-date', WORK_DATE_ASC: 'date', UPDATED_AT_DESC: '-updated_at', UPDATED_AT_ASC: 'updated_at' } as const;
const POSITIVE_INT = /^[1-9]\d{0,14}$/;

const isoSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

const instantArg = (argument: string, value: string | null | undefined) =>
  instantArgument(argument, value, 'expected an ISO 8601 date-time with a time zone');

/** `>=floor(lower)<=ceil(upper)` to the second; the exact bounds are checked locally. */
function windowParam(w: UpdatedWindow): string | undefined {
  const lowers = [w.afterMs, w.atLeastMs].filter((v): v is number => v !== undefined);
  let out = '';
  if (lowers.length) out += `>=${isoSeconds(Math.floor(Math.max(...lowers) / 1000) * 1000)}`;
  if (w.atMostMs !== undefined) out += `<=${isoSeconds(Math.ceil(w.atMostMs / 1000) * 1000)}`;
  return out || undefined;
}

const minOf = (a: number | undefined, b: number | undefined) => (a === undefined ? b : b === undefined ? a : Math.min(a, b));
const maxOf = (a: number | undefined, b: number | undefined) => (a === undefined ? b : b === undefined ? a : Math.max(a, b));

/** The core's plan (`core/list-plan.ts`) in Xurrent's query syntax, plus the `xurrent:` filter. */
export function planXurrentList(request: ListRequest): XurrentListPlan {
  const plan = planList(request);
  const xf = (request.sourceFilter ?? {}) as XurrentTimeEntryFilter;
  const query = baseQuery(request, plan);
  const windows = windowParams(plan, xf, query);
  const ids = idParams(xf, query);
  // Xurrent requires a date on every entry: a seek into the undated tail (runs ['undated']) matches none.
  const empty = plan.empty || !plan.runs.some((run) => run !== 'undated') || (ids !== undefined && ids.size === 0);
  const wholeOrNone = (ms: number | undefined) => ms === undefined || ms % 1000 === 0;
  const { ownUpdated, created } = windows;
  const exact =
    [plan.updated.afterMs, ownUpdated.afterMs, created.afterMs].every((ms) => ms === undefined) &&
    [plan.updated.atLeastMs, plan.updated.atMostMs, ownUpdated.atMostMs, created.atMostMs].every(wholeOrNone);
  return { query: empty ? null : query, keyOf: plan.keyOf, exact, accept: acceptor(plan, windows, ids, query.person) };
}

/** Sort, page size, fields, the deleted flag and the work-date range. */
function baseQuery(request: ListRequest, plan: ListPlan): Record<string, string> {
  const query: Record<string, string> = {
    sort: SORT_PARAM[request.sort],
    per_page: String(Math.min(MAX_PER_PAGE, Math.max(request.limit + 1, 20))),
    fields: FIELDS,
  };
  if (!request.filter.includeDeleted) query.deleted = 'false';
  const { from: dateFrom, to: dateTo } = plan.workDates;
  if (dateFrom !== undefined || dateTo !== undefined) {
    query.date = `${dateFrom !== undefined ? `>=${dateFrom}` : ''}${dateTo !== undefined ? `<=${dateTo}` : ''}`;
  }
  return query;
}

interface Windows {
  /** The `xurrent:` filter's own updated bounds (they narrow the plan's window further). */
  ownUpdated: UpdatedWindow;
  created: UpdatedWindow;
}

/** `updated_at` and `created_at`, to the second. */
function windowParams(plan: ListPlan, xf: XurrentTimeEntryFilter, query: Record<string, string>): Windows {
  const ownUpdated: UpdatedWindow = {
    afterMs: instantArg('filter.xurrent.updatedAfter', xf.updatedAfter),
    atMostMs: instantArg('filter.xurrent.updatedBefore', xf.updatedBefore),
  };
  const updatedParam = windowParam({
    ...plan.updated,
    afterMs: maxOf(plan.updated.afterMs, ownUpdated.afterMs),
    atMostMs: minOf(plan.updated.atMostMs, ownUpdated.atMostMs),
  });
  if (updatedParam) query.updated_at = updatedParam;
  const created: UpdatedWindow = {
    afterMs: instantArg('filter.xurrent.createdAfter', xf.createdAfter),
    atMostMs: instantArg('filter.xurrent.createdBefore', xf.createdBefore),
  };
  const createdParam = windowParam(created);
  if (createdParam) query.created_at = createdParam;
  return { ownUpdated, created };
}

/** `id`, `person`, `source` and `sourceID`; the ids asked for, when the filter names any. */
function idParams(xf: XurrentTimeEntryFilter, query: Record<string, string>): Set<string> | undefined {
  let ids: Set<string> | undefined;
  if (xf.ids) {
    for (const id of xf.ids) if (!POSITIVE_INT.test(id)) throw badInput('filter.xurrent.ids', id, 'not a Xurrent time entry id');
    ids = new Set(xf.ids.map((id) => String(Number(id))));
    query.id = [...ids].join(',');
  }
  if (xf.personId !== null && xf.personId !== undefined) {
    if (!POSITIVE_INT.test(xf.personId)) throw badInput('filter.xurrent.personId', xf.personId, 'not a Xurrent person id');
    query.person = xf.personId;
  }
  if (xf.externalSource !== null && xf.externalSource !== undefined) query.source = xf.externalSource;
  if (xf.externalSourceId !== null && xf.externalSourceId !== undefined) query.sourceID = xf.externalSourceId;
  return ids;
}

/** The exact local check: the core's plan, then what the query rounded or cannot say. */
function acceptor(plan: ListPlan, { ownUpdated, created }: Windows, ids: Set<string> | undefined, person: string | undefined) {
  const hasCreated = created.afterMs !== undefined || created.atMostMs !== undefined;
  return (e: XurrentEntryModel): boolean => {
    if (!plan.accept(e)) return false;
    if (!inWindow(e.updatedAtMs, ownUpdated)) return false;
    if (hasCreated && !inWindow(Date.parse(e.createdAt), created)) return false;
    if (ids && !ids.has(e.sourceId)) return false;
    if (person !== undefined && e.person?.sourceId !== person) return false;
    return true;
  };
}
