/**
 * Reads one page of `timeEntries`: every selected source streams in parallel, the streams are merged
 * in total order, and reading stops as soon as the page (plus one entry, to know whether another page
 * follows) is complete. A failing source leaves the page with the other sources' entries.
 */
import { GraphQLError } from 'graphql';
import { asSourceFailure, type SourceError } from '../core/errors.js';
import type { EntryFilter, EntryModel, SourceAdapter, TimeEntrySort, TimeSource } from '../core/contract.js';
import { comparePositions, positionOf, type Position } from './order.js';
import { sortedEntries } from './sorted-stream.js';

export interface PageRequest {
  sources: ReadonlyArray<{ adapter: SourceAdapter; sourceFilter?: unknown }>;
  sort: TimeEntrySort;
  filter: EntryFilter;
  first: number;
  after?: Position;
}

export interface PageResult {
  entries: EntryModel[];
  hasNextPage: boolean;
  failures: SourceError[];
}

/** The unified filter, checked once more in the core so that every source means the same thing. */
export function matchesFilter(entry: EntryModel, filter: EntryFilter): boolean {
  if (!filter.includeDeleted && entry.deleted) return false;
  if (filter.workDateFrom && (entry.workDate === null || entry.workDate < filter.workDateFrom)) return false;
  if (filter.workDateTo && (entry.workDate === null || entry.workDate > filter.workDateTo)) return false;
  if (filter.updatedAfterMs !== undefined && entry.updatedAtMs <= filter.updatedAfterMs) return false;
  if (filter.updatedBeforeMs !== undefined && entry.updatedAtMs > filter.updatedBeforeMs) return false;
  return true;
}

interface Head {
  source: TimeSource;
  iterator: AsyncGenerator<EntryModel>;
  entry: EntryModel;
  position: Position;
}

export async function readPage(request: PageRequest): Promise<PageResult> {
  const { sort, filter, first, after } = request;
  const failures: SourceError[] = [];
  const wanted = first + 1;

  const iterators = request.sources.map(({ adapter, sourceFilter }) => ({
    source: adapter.source,
    iterator: sortedEntries(
      adapter.list({ sort, filter, sourceFilter, from: after?.key, limit: wanted }),
      sort,
    ),
  }));

  /** The next entry of a source that is after the cursor and matches; null when exhausted or failed. */
  async function advance(source: TimeSource, iterator: AsyncGenerator<EntryModel>): Promise<Head | null> {
    try {
      for (;;) {
        const step = await iterator.next();
        if (step.done) return null;
        const entry = step.value;
        if (!matchesFilter(entry, filter)) continue;
        const position = positionOf(entry, sort);
        if (after && comparePositions(position, after, sort) <= 0) continue;
        return { source, iterator, entry, position };
      }
    } catch (error) {
      const failure = asSourceFailure(source, error);
      // Bad input (a backend-specific filter it rejects) fails the whole field, not just the source.
      if (failure instanceof GraphQLError) throw failure;
      failures.push(failure as SourceError);
      return null;
    }
  }

  const entries: EntryModel[] = [];
  try {
    const heads = (await Promise.all(iterators.map(({ source, iterator }) => advance(source, iterator)))).filter(
      (h): h is Head => h !== null,
    );
    while (entries.length < wanted && heads.length > 0) {
      let best = 0;
      for (let i = 1; i < heads.length; i++) {
        if (comparePositions(heads[i].position, heads[best].position, sort) < 0) best = i;
      }
      const head = heads[best];
      entries.push(head.entry);
      if (entries.length === wanted) break;
      const next = await advance(head.source, head.iterator);
      if (next) heads[best] = next;
      else heads.splice(best, 1);
    }
  } finally {
    // Stops the sources' paging: their generators' finally blocks run and no further page is fetched.
    await Promise.allSettled(iterators.map(({ iterator }) => iterator.return(undefined)));
  }
  return { entries: entries.slice(0, first), hasNextPage: entries.length > first, failures };
}
