// The merge must return every matching entry exactly once, in total order, wherever page boundaries
// fall and however each source pages. The adapters here are in-memory implementations of the source
// contract with adversarial paging; the same walk runs over HTTP against the simulators in
// test/server/time-entries.test.ts.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readPage } from '../../src/merge/merge.js';
import { compareKeys, entryComparator, positionOf, sortKeyOf, type Position } from '../../src/core/order.js';
import type { EntryBatch, EntryModel, ListRequest, SourceAdapter, TimeEntrySort, TimeSource } from '../../src/core/contract.js';

type Paging = 'sorted' | 'unsorted' | 'lagging' | 'keyOnly' | 'ordered';

function entry(source: TimeSource, id: string, day: number, updated: number, deleted = false): EntryModel {
  const workDate = day < 0 ? null : `2026-10-${String(1 + day).padStart(2, '0')}`;
  return {
    typename: 'X', source, sourceId: id, key: id, workDate, startedAt: null, durationMs: 60_000,
    sourceDuration: { value: 1, unit: 'MINUTES' }, description: null, person: null, billable: null, deleted,
    createdAt: '', updatedAt: '', updatedAtMs: updated, raw: null,
  };
}

function adapter(source: TimeSource, entries: EntryModel[], paging: Paging, pageSize: number, calls: ListRequest[]): SourceAdapter {
  return {
    source,
    // Only the unsorted paging reads without an order.
    // ordered: in total order with the gateway's ties (pushdown 'ties'), filtering deleted entries
    // itself and telling from its paging whether more match (`more`), as Xurrent does.
    pushdown: paging === 'unsorted' ? [] : paging === 'ordered' ? ['sort', 'deleted', 'ties'] : ['sort'],
    async *list(req): AsyncIterable<EntryBatch> {
      calls.push(req);
      const cmp = entryComparator(req.sort);
      // keyOnly: sorted by key like a backend that cannot break ties the gateway's way (ties reversed)
      const ordered =
        paging === 'unsorted' ? [...entries].reverse()
        : paging === 'keyOnly' ? [...entries].sort((a, b) => compareKeys(sortKeyOf(a, req.sort), sortKeyOf(b, req.sort), req.sort) || -cmp(a, b))
        : paging === 'ordered' ? entries.filter((e) => req.filter.includeDeleted || !e.deleted).sort(cmp)
        : [...entries].sort(cmp);
      for (let i = 0; i < ordered.length; i += pageSize) {
        const page = ordered.slice(i, i + pageSize);
        const last = i + pageSize >= ordered.length;
        if (paging === 'unsorted') yield { entries: page, frontier: last ? null : undefined };
        else if (paging === 'ordered') yield last ? { entries: page, frontier: null } : { entries: page, frontier: sortKeyOf(page.at(-1)!, req.sort), more: true };
        else if (paging === 'sorted' || paging === 'keyOnly') yield { entries: page, frontier: last ? null : sortKeyOf(page.at(-1)!, req.sort) };
        // lagging: promises only the key of the first entry of the page
        else yield { entries: page, frontier: last ? null : sortKeyOf(page[0], req.sort) };
      }
      if (ordered.length === 0) yield { entries: [], frontier: null };
    },
    getEntries: async () => [],
    getPeople: async () => [],
    isValidKey: () => true,
    close: async () => {},
  };
}

const sorts: TimeEntrySort[] = ['WORK_DATE_DESC', 'WORK_DATE_ASC', 'UPDATED_AT_DESC', 'UPDATED_AT_ASC'];

const sourceData = (source: TimeSource) =>
  fc.record({
    paging: fc.constantFrom<Paging>('sorted', 'unsorted', 'lagging', 'keyOnly', 'ordered'),
    pageSize: fc.integer({ min: 1, max: 7 }),
    rows: fc.uniqueArray(
      fc.record({ id: fc.integer({ min: 1, max: 500 }), day: fc.integer({ min: -1, max: 5 }), updated: fc.integer({ min: 0, max: 6 }), deleted: fc.boolean() }),
      { selector: (r) => r.id, maxLength: 25 },
    ),
  }).map(({ paging, pageSize, rows }) => ({
    source, paging, pageSize,
    entries: rows.map((r) => entry(source, String(r.id), r.day, r.updated, r.deleted)),
  }));

describe('merged pagination', () => {
  it('walks every page: each matching entry exactly once, in order, for any page size and paging', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.tuple(sourceData('LAUREL'), sourceData('XURRENT'), sourceData('PRIMAERP')),
        fc.constantFrom(...sorts),
        fc.integer({ min: 1, max: 9 }),
        fc.boolean(),
        async (data, sort, first, includeDeleted) => {
          const calls: ListRequest[] = [];
          const adapters = data.map((d) => ({ adapter: adapter(d.source, d.entries, d.paging, d.pageSize, calls) }));
          const expected = data.flatMap((d) => d.entries).filter((e) => includeDeleted || !e.deleted).sort(entryComparator(sort));
          const seen: EntryModel[] = [];
          let after: Position | undefined;
          for (let guard = 0; guard < 200; guard++) {
            const callsBefore = calls.length;
            const page = await readPage({ sources: adapters, sort, filter: { includeDeleted }, first, after });
            // every source was asked to seek to the cursor's position (pushed down where it can)
            expect(calls.slice(callsBefore).map((c) => c.from)).toEqual(adapters.map(() => after?.key));
            expect(page.entries.length).toBeLessThanOrEqual(first);
            seen.push(...page.entries);
            if (!page.hasNextPage) break;
            expect(page.entries.length).toBe(first);
            after = positionOf(page.entries.at(-1)!, sort);
          }
          expect(seen.map((e) => `${e.source}:${e.sourceId}`)).toEqual(expected.map((e) => `${e.source}:${e.sourceId}`));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('stops reading a source once the page is full', async () => {
    let batchesPulled = 0;
    const many = Array.from({ length: 100 }, (_, i) => entry('XURRENT', String(i + 1), i % 5, i));
    const source: SourceAdapter = {
      ...adapter('XURRENT', many, 'sorted', 10, []),
      async *list(req) {
        const ordered = [...many].sort(entryComparator(req.sort));
        for (let i = 0; i < ordered.length; i += 10) {
          batchesPulled++;
          yield { entries: ordered.slice(i, i + 10), frontier: sortKeyOf(ordered[Math.min(i + 10, ordered.length - 1)], req.sort) };
        }
        yield { entries: [], frontier: null };
      },
    };
    const page = await readPage({ sources: [{ adapter: source }], sort: 'UPDATED_AT_ASC', filter: { includeDeleted: false }, first: 15 });
    expect(page.entries).toHaveLength(15);
    expect(page.hasNextPage).toBe(true);
    expect(batchesPulled).toBe(2);
  });

  it('reads no further page of a source in total order that promises more: a full page of it costs one batch', async () => {
    let batchesPulled = 0;
    const many = Array.from({ length: 30 }, (_, i) => entry('XURRENT', String(i + 1), i % 3, i));
    const source: SourceAdapter = {
      ...adapter('XURRENT', many, 'ordered', 10, []),
      async *list(req) {
        const ordered = [...many].sort(entryComparator(req.sort));
        for (let i = 0; i < ordered.length; i += 10) {
          batchesPulled++;
          const last = i + 10 >= ordered.length;
          yield last ? { entries: ordered.slice(i), frontier: null } : { entries: ordered.slice(i, i + 10), frontier: sortKeyOf(ordered[i + 9], req.sort), more: true };
        }
      },
    };
    for (const [first, pulled, more] of [[10, 1, true], [20, 2, true], [30, 3, false]] as const) {
      batchesPulled = 0;
      const page = await readPage({ sources: [{ adapter: source }], sort: 'WORK_DATE_DESC', filter: { includeDeleted: false }, first });
      expect(page.entries.map((e) => e.sourceId)).toEqual([...many].sort(entryComparator('WORK_DATE_DESC')).slice(0, first).map((e) => e.sourceId));
      expect(page.hasNextPage).toBe(more);
      expect(batchesPulled).toBe(pulled);
    }
  });

  it('keeps the other sources when one fails and names the failed one', async () => {
    const good = adapter('LAUREL', [entry('LAUREL', 'a', 1, 1), entry('LAUREL', 'b', 2, 2)], 'sorted', 1, []);
    const bad: SourceAdapter = {
      ...good,
      source: 'XURRENT',
      // eslint-disable-next-line require-yield
      async *list() {
        const { SourceError } = await import('../../src/core/errors.js');
        throw new SourceError('XURRENT', 'SOURCE_UNAVAILABLE', 'XURRENT answered HTTP 503', 503);
      },
    };
    const page = await readPage({ sources: [{ adapter: good }, { adapter: bad }], sort: 'WORK_DATE_ASC', filter: { includeDeleted: false }, first: 10 });
    expect(page.entries.map((e) => e.sourceId)).toEqual(['a', 'b']);
    expect(page.failures.map((f) => [f.source, f.code])).toEqual([['XURRENT', 'SOURCE_UNAVAILABLE']]);
  });

  it('orders null work dates first ascending and last descending', () => {
    expect(compareKeys('', '2026-01-01', 'WORK_DATE_ASC')).toBeLessThan(0);
    expect(compareKeys('', '2026-01-01', 'WORK_DATE_DESC')).toBeGreaterThan(0);
  });
});
