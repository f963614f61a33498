/**
 * The total order of `timeEntries`: the sort key in the requested direction, then the source, then
 * the backend's id (sources by name, so a new backend needs no rank). Every page boundary, cursor and merge step uses these functions and no others.
 */
import type { EntryModel, SortKey, TimeEntrySort, TimeSource } from './contract.js';

/** The sort key of an entry: work date (`''` when none) or `updatedAtMs`. */
export function sortKeyOf(entry: EntryModel, sort: TimeEntrySort): SortKey {
  return sort === 'WORK_DATE_DESC' || sort === 'WORK_DATE_ASC' ? (entry.workDate ?? '') : entry.updatedAtMs;
}

export const isDescending = (sort: TimeEntrySort): boolean => sort.endsWith('_DESC');

/** Negative when `a` comes before `b` in `sort` order. */
export function compareKeys(a: SortKey, b: SortKey, sort: TimeEntrySort): number {
  const c = a < b ? -1 : a > b ? 1 : 0;
  return isDescending(sort) ? -c : c;
}

/** Backend ids compare numerically when both are integers (Xurrent), else as strings. */
export function compareIds(a: string, b: string): number {
  if (/^\d+$/.test(a) && /^\d+$/.test(b) && a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A point in the total order: the position a cursor stands at. */
export interface Position {
  key: SortKey;
  source: TimeSource;
  sourceId: string;
}

export function positionOf(entry: EntryModel, sort: TimeEntrySort): Position {
  return { key: sortKeyOf(entry, sort), source: entry.source, sourceId: entry.sourceId };
}

/** Negative when position `a` comes before `b`. */
export function comparePositions(a: Position, b: Position, sort: TimeEntrySort): number {
  return (
    compareKeys(a.key, b.key, sort) ||
    (a.source < b.source ? -1 : a.source > b.source ? 1 : 0) ||
    compareIds(a.sourceId, b.sourceId)
  );
}

export function entryComparator(sort: TimeEntrySort): (a: EntryModel, b: EntryModel) => number {
  return (a, b) => comparePositions(positionOf(a, sort), positionOf(b, sort), sort);
}
