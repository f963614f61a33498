/**
 * Reads one page of `timeEntries`: every selected source streams in parallel, the streams are merged
 * in total order, and reading stops as soon as the page is complete and whether another page follows
 * is known: from an entry already read, or from a source's paging answer (`EntryBatch.more`), before
 * reading one entry further. A failing source leaves the page with the other sources' entries.
 */
import { GraphQLError } from 'graphql';
import { CONTRACT_CHECKS, frontierChecker } from '../core/contract-checks.js';
import { asSourceFailure, ContractError, type SourceError } from '../core/errors.js';
import { matchesFilter } from '../core/list-plan.js';
import type { EntryFilter, EntryModel, SourceAdapter, TimeEntrySort, TimeSource } from '../core/contract.js';
import { comparePositions, positionOf, type Position } from '../core/order.js';
import { SortedStream } from './sorted-stream.js';

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
  stream: SortedStream;
  entry: EntryModel;
  position: Position;
}

export async function readPage(request: PageRequest): Promise<PageResult> {
  const { sort, filter, first, after } = request;
  const failures: SourceError[] = [];

  const streams = request.sources.map(({ adapter, sourceFilter }) => ({
    source: adapter.source,
    stream: new SortedStream(adapter.list({ sort, filter, sourceFilter, from: after?.key, limit: first + 1 }), sort, {
      check: CONTRACT_CHECKS ? frontierChecker(adapter.source, sort, adapter.pushdown) : undefined,
      ties: adapter.pushdown.includes('ties'),
    }),
  }));

  /** After the cursor and matching the unified filter. */
  const wanted = (entry: EntryModel) => matchesFilter(entry, filter) && !(after && comparePositions(positionOf(entry, sort), after, sort) <= 0);

  /** The next wanted entry among those already released; null when exhausted, undefined when a read is needed. */
  function next(source: TimeSource, stream: SortedStream): Head | null | undefined {
    for (;;) {
      const entry = stream.shift();
      if (entry === undefined) return stream.exhausted ? null : undefined;
      if (wanted(entry)) return { source, stream, entry, position: positionOf(entry, sort) };
    }
  }

  /** The next wanted entry of a source; null when exhausted or failed. */
  async function advance(source: TimeSource, stream: SortedStream): Promise<Head | null> {
    try {
      for (;;) {
        const head = next(source, stream);
        if (head !== undefined) return head;
        await stream.fill();
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
  let hasNextPage = false;
  try {
    const heads = (await Promise.all(streams.map(({ source, stream }) => advance(source, stream)))).filter((h): h is Head => h !== null);
    if (first === 0) hasNextPage = heads.length > 0;
    while (entries.length < first && heads.length > 0) {
      let best = 0;
      for (let i = 1; i < heads.length; i++) {
        if (comparePositions(heads[i].position, heads[best].position, sort) < 0) best = i;
      }
      const head = heads[best];
      entries.push(head.entry);
      if (entries.length === first) {
        // Another page exists if any entry is known after this one: another source's head, one the
        // stream holds, one its source promised; only then is one read further.
        hasNextPage = heads.length > 1 || head.stream.holdsMore(wanted) || (await advance(head.source, head.stream)) !== null;
        break;
      }
      const following = next(head.source, head.stream) ?? (await advance(head.source, head.stream));
      if (following) heads[best] = following;
      else heads.splice(best, 1);
    }
  } finally {
    // Stops the sources' paging: their generators' finally blocks run and no further page is fetched.
    await Promise.allSettled(streams.map(({ stream }) => stream.close()));
  }
  return { entries, hasNextPage, failures };
}
