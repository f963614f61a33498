/**
 * The one list planner. Every backend's `list()` and the merge read a `ListRequest` the same way
 * through `planList`: the unified filter check, the seek narrowing from the cursor, and the split of
 * a work-date order into the entries without a work date and the dated ones.
 *
 * Who filters what (the contract of `SourceAdapter.list`):
 * - The merge checks `plan.accept` (the unified filter and the seek position) on every entry a
 *   stream yields, and drops what the cursor already covered. So a backend may yield more than
 *   asked; it must never yield less.
 * - A backend pushes down what its query can say (`SourceAdapter.pushdown` declares which parts of
 *   the plan), mapped to its own syntax, and checks its backend-specific filter itself.
 */
import type { EntryFilter, EntryModel, ListRequest, SortKey, TimeEntrySort } from './contract.js';
import { compareKeys, isDescending, sortKeyOf } from './order.js';

export type { Pushdown } from './contract.js';

/** A run of a list in stream order: for work-date sorts, entries without a work date form their own. */
export type ListRun = 'all' | 'undated' | 'dated';

export interface UpdatedWindow {
  /** Exclusive lower bound, epoch ms. */
  afterMs?: number;
  /** Inclusive lower bound, epoch ms (the seek position of an ascending sort). */
  atLeastMs?: number;
  /** Inclusive upper bound, epoch ms. */
  atMostMs?: number;
}

export interface ListPlan {
  readonly sort: TimeEntrySort;
  readonly byWorkDate: boolean;
  readonly descending: boolean;
  readonly filter: EntryFilter;
  /** Inclusive `YYYY-MM-DD` bounds: the filter's range, narrowed by the seek position in work-date sorts. */
  readonly workDates: { readonly from?: string; readonly to?: string };
  /** The filter's updated window, narrowed by the seek position in updated sorts. */
  readonly updated: UpdatedWindow;
  /**
   * What to read, in stream order. Updated sorts: `['all']`. Work-date sorts: entries without a work
   * date have the key `''`, before every date: `undated` comes first ascending and last descending,
   * and only when no work-date range excludes it and the seek position has not passed it.
   */
  readonly runs: readonly ListRun[];
  /** Nothing can match: no upstream request is needed. */
  readonly empty: boolean;
  /** The entry's sort key (`sortKeyOf`). */
  keyOf(entry: EntryModel): SortKey;
  /** The unified filter and the seek position, exactly. */
  accept(entry: EntryModel): boolean;
}

/** The unified filter, the same for every backend. */
export function matchesFilter(entry: EntryModel, filter: EntryFilter): boolean {
  if (!filter.includeDeleted && entry.deleted) return false;
  if (filter.workDateFrom !== undefined && (entry.workDate === null || entry.workDate < filter.workDateFrom)) return false;
  if (filter.workDateTo !== undefined && (entry.workDate === null || entry.workDate > filter.workDateTo)) return false;
  if (filter.updatedAfterMs !== undefined && entry.updatedAtMs <= filter.updatedAfterMs) return false;
  if (filter.updatedBeforeMs !== undefined && entry.updatedAtMs > filter.updatedBeforeMs) return false;
  return true;
}

/** Whether an epoch-ms instant lies inside a window. */
export function inWindow(ms: number, w: UpdatedWindow): boolean {
  return (w.afterMs === undefined || ms > w.afterMs) && (w.atLeastMs === undefined || ms >= w.atLeastMs) && (w.atMostMs === undefined || ms <= w.atMostMs);
}

const minOf = (a: number | undefined, b: number | undefined) => (a === undefined ? b : b === undefined ? a : Math.min(a, b));

export function planList(request: Pick<ListRequest, 'sort' | 'filter' | 'from'>): ListPlan {
  const { sort, filter, from } = request;
  const byWorkDate = sort === 'WORK_DATE_ASC' || sort === 'WORK_DATE_DESC';
  const descending = isDescending(sort);
  if (from !== undefined && typeof from !== (byWorkDate ? 'string' : 'number')) {
    throw new TypeError(`a ${sort} seek position must be a ${byWorkDate ? 'work date' : 'number of ms'}, got ${JSON.stringify(from)}`);
  }

  let low = filter.workDateFrom;
  let high = filter.workDateTo;
  const updated: UpdatedWindow = { afterMs: filter.updatedAfterMs, atMostMs: filter.updatedBeforeMs };
  if (byWorkDate && typeof from === 'string' && from !== '') {
    if (!descending && (low === undefined || from > low)) low = from;
    if (descending && (high === undefined || from < high)) high = from;
  }
  if (!byWorkDate && typeof from === 'number') {
    if (descending) updated.atMostMs = minOf(updated.atMostMs, from);
    else updated.atLeastMs = from;
  }

  const noDates = low !== undefined && high !== undefined && low > high;
  const noInstants =
    updated.atMostMs !== undefined &&
    ((updated.afterMs !== undefined && updated.afterMs >= updated.atMostMs) || (updated.atLeastMs !== undefined && updated.atLeastMs > updated.atMostMs));

  let runs: ListRun[];
  if (noInstants) runs = [];
  else if (!byWorkDate) runs = noDates ? [] : ['all'];
  else {
    const ranged = filter.workDateFrom !== undefined || filter.workDateTo !== undefined;
    // Ascending, a seek position past '' has left the undated entries behind; descending, '' is the tail.
    const undated = !ranged && (descending || !from);
    const dated = !noDates && !(descending && from === '');
    runs = [];
    if (!descending && undated) runs.push('undated');
    if (dated) runs.push('dated');
    if (descending && undated) runs.push('undated');
  }

  const keyOf = (entry: EntryModel) => sortKeyOf(entry, sort);
  return {
    sort,
    byWorkDate,
    descending,
    filter,
    workDates: { from: low, to: high },
    updated,
    runs,
    empty: runs.length === 0,
    keyOf,
    accept: (entry) => matchesFilter(entry, filter) && (from === undefined || compareKeys(keyOf(entry), from, sort) >= 0),
  };
}
