/**
 * Reads one page of `timeEntries`: every selected source streams in parallel, the streams are merged
 * in total order, and reading stops as soon as the page (plus one entry, to know whether another page
 * follows) is complete. A failing source leaves the page with the other sources' entries.
 */
import { GraphQLError } from 'graphql';
import { CONTRACT_CHECKS, frontierChecker } from '../core/contract-checks.js';
import { asSourceFailure, ContractError, type SourceError } from '../core/errors.js';
import { matchesFilter } from '../core/list-plan.js';
import type { EntryFilter, EntryModel, SourceAdapter, TimeEntrySort, TimeSource } from '../core/contract.js';
import { comparePositions, positionOf, type Position } from '../core/order.js';
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
      CONTRACT_CHECKS ? frontierChecker(adapter.source, sort, adapter.pushdown) : undefined,
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
      // Bad input (a backend-specific filter it rejects) fails the whole field, not just the source;
      // so does a broken contract, a defect to fix rather than a backend to route around.
      if (failure instanceof GraphQLError || failure instanceof ContractError) throw failure;
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
