/**
 * Turns a ListRequest into Xurrent's query (sort, filters and the seek position pushed down) plus the
 * local check for what the query cannot say exactly (strict bounds, sub-second instants).
 */
import { badInput } from '../../core/errors.js';
import { parseInstant } from '../../units/dates.js';
import type { XurrentTimeEntryFilter } from '../../generated/graphql.js';
import type { ListRequest, SortKey } from '../../core/contract.js';
import type { XurrentEntryModel } from './model.js';
import { ENTRY_FIELDS } from './raw.js';

export const MAX_PER_PAGE = 100;
export const FIELDS = ENTRY_FIELDS.join(',');

export interface ListPlan {
  /** Query of the first request; null when nothing can match (no request needed). */
  query: Record<string, string> | null;
  /** Exact check of the filter on a mapped entry. */
  accept(entry: XurrentEntryModel): boolean;
  /** The entry's sort key. */
  keyOf(entry: XurrentEntryModel): SortKey;
}

const SORT_PARAM = { WORK_DATE_DESC: '-date', WORK_DATE_ASC: 'date', UPDATED_AT_DESC: '-updated_at', UPDATED_AT_ASC: 'updated_at' } as const;
const POSITIVE_INT = /^[1-9]\d{0,14}$/;

/** Bounds of an instant window, epoch ms. */
interface Window {
  after?: number; // exclusive
  atLeast?: number; // inclusive
  atMost?: number; // inclusive
}

const isoSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function instantArg(argument: string, value: string | null | undefined): number | undefined {
  if (value === null || value === undefined) return undefined;
  const ms = parseInstant(value);
  if (ms === null) throw badInput(argument, value, 'expected an ISO 8601 date-time with a time zone');
  return ms;
}

/** `>=floor(lower)<=ceil(upper)` to the second; the exact bounds are checked locally. */
function windowParam(w: Window): string | undefined {
  const lowers = [w.after, w.atLeast].filter((v): v is number => v !== undefined);
  let out = '';
  if (lowers.length) out += `>=${isoSeconds(Math.floor(Math.max(...lowers) / 1000) * 1000)}`;
  if (w.atMost !== undefined) out += `<=${isoSeconds(Math.ceil(w.atMost / 1000) * 1000)}`;
  return out || undefined;
}

function inWindow(ms: number, w: Window): boolean {
  return (w.after === undefined || ms > w.after) && (w.atLeast === undefined || ms >= w.atLeast) && (w.atMost === undefined || ms <= w.atMost);
}

const minOf = (a: number | undefined, b: number | undefined) => (a === undefined ? b : b === undefined ? a : Math.min(a, b));
const maxOf = (a: number | undefined, b: number | undefined) => (a === undefined ? b : b === undefined ? a : Math.max(a, b));

export function planList(request: ListRequest): ListPlan {
  const { sort, filter, from } = request;
  const xf = (request.sourceFilter ?? {}) as XurrentTimeEntryFilter;
  const byDate = sort === 'WORK_DATE_DESC' || sort === 'WORK_DATE_ASC';
  const ascending = sort === 'WORK_DATE_ASC' || sort === 'UPDATED_AT_ASC';
  const query: Record<string, string> = {
    sort: SORT_PARAM[sort],
    per_page: String(Math.min(MAX_PER_PAGE, Math.max(request.limit + 1, 20))),
    fields: FIELDS,
  };
  if (!filter.includeDeleted) query.deleted = 'false';

  // Work date: the filter's inclusive range narrowed by the seek position.
  let dateFrom = filter.workDateFrom;
  let dateTo = filter.workDateTo;
  if (byDate && typeof from === 'string' && from !== '') {
    if (ascending && (dateFrom === undefined || from > dateFrom)) dateFrom = from;
    if (!ascending && (dateTo === undefined || from < dateTo)) dateTo = from;
  }
  if (dateFrom !== undefined || dateTo !== undefined) {
    query.date = `${dateFrom !== undefined ? `>=${dateFrom}` : ''}${dateTo !== undefined ? `<=${dateTo}` : ''}`;
  }

  const updated: Window = {
    after: maxOf(filter.updatedAfterMs, instantArg('filter.xurrent.updatedAfter', xf.updatedAfter)),
    atMost: minOf(filter.updatedBeforeMs, instantArg('filter.xurrent.updatedBefore', xf.updatedBefore)),
  };
  const updatedPush: Window = { ...updated };
  if (!byDate && typeof from === 'number') {
    if (ascending) updatedPush.atLeast = from;
    else updatedPush.atMost = minOf(updatedPush.atMost, from);
  }
  const updatedParam = windowParam(updatedPush);
  if (updatedParam) query.updated_at = updatedParam;

  const created: Window = {
    after: instantArg('filter.xurrent.createdAfter', xf.createdAfter),
    atMost: instantArg('filter.xurrent.createdBefore', xf.createdBefore),
  };
  const createdParam = windowParam(created);
  if (createdParam) query.created_at = createdParam;

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

  const empty =
    (ids !== undefined && ids.size === 0) ||
    (dateFrom !== undefined && dateTo !== undefined && dateFrom > dateTo);

  return {
    query: empty ? null : query,
    keyOf: byDate ? (e) => e.workDate ?? '' : (e) => e.updatedAtMs,
    accept(e) {
      if (e.deleted && !filter.includeDeleted) return false;
      const day = e.workDate ?? '';
      if (filter.workDateFrom !== undefined && day < filter.workDateFrom) return false;
      if (filter.workDateTo !== undefined && day > filter.workDateTo) return false;
      if (!inWindow(e.updatedAtMs, updated)) return false;
      if ((created.after !== undefined || created.atMost !== undefined) && !inWindow(Date.parse(e.createdAt), created)) return false;
      if (ids && !ids.has(e.sourceId)) return false;
      if (query.person !== undefined && e.person?.sourceId !== query.person) return false;
      return true;
    },
  };
}
