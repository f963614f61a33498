// The source contract is checked, not only documented: a stream that breaks its frontier promise or a
// lookup that does not answer one result per key fails with a message naming the backend and the rule.
import { describe, expect, it } from 'vitest';
import { checkLookup, CONTRACT_CHECKS, frontierChecker } from '../../src/core/contract-checks.js';
import type { EntryBatch, EntryModel, SourceAdapter } from '../../src/core/contract.js';
import { ContractError } from '../../src/core/errors.js';
import { readPage } from '../../src/merge/merge.js';
import { createLoaders } from '../../src/server/loaders.js';
import type { SourceSet } from '../../src/core/context.js';

function entry(id: string, workDate: string): EntryModel {
  return {
    typename: 'X', source: 'XURRENT', sourceId: id, key: id, workDate, startedAt: null, durationMs: 0,
    sourceDuration: { value: 0, unit: 'MINUTES' }, description: null, person: null, billable: null, deleted: false,
    createdAt: '', updatedAt: '', updatedAtMs: 0, raw: null,
  };
}

function fake(batches: EntryBatch[], overrides: Partial<SourceAdapter> = {}): SourceAdapter {
  return {
    source: 'XURRENT',
    pushdown: ['sort'],
    async *list() {
      yield* batches;
    },
    getEntries: async (keys) => keys.map((k) => entry(k, '2026-10-01')),
    getPeople: async () => [],
    isValidKey: () => true,
    close: async () => {},
    ...overrides,
  };
}

const read = (adapter: SourceAdapter) => readPage({ sources: [{ adapter }], sort: 'WORK_DATE_ASC', filter: { includeDeleted: false }, first: 10 });

describe('contract checks', () => {
  it('are on in tests', () => {
    expect(CONTRACT_CHECKS).toBe(true);
  });

  it('fail the page when a stream declaring pushdown ties yields an entry its earlier batches sort after', async () => {
    const broken = fake(
      [
        { entries: [entry('5', '2026-10-01'), entry('7', '2026-10-01')], frontier: '2026-10-01', more: true },
        { entries: [entry('6', '2026-10-01')], frontier: null },
      ],
      { pushdown: ['sort', 'ties'] },
    );
    const failure = await read(broken).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ContractError);
    expect((failure as Error).message).toMatch(/^XURRENT's list\(\) broke its tie order \(pushdown 'ties'\): entry "6" .* after entry "7"/);
  });

  it('fail a stream that promised more entries and ended without any', () => {
    const check = frontierChecker('XURRENT', 'WORK_DATE_ASC', ['sort', 'ties']);
    check({ entries: [entry('1', '2026-10-01')], frontier: '2026-10-01', more: true });
    expect(() => check({ entries: [], frontier: null })).toThrow(/promised more entries \(more: true\) but ended its stream/);
    expect(() => frontierChecker('XURRENT', 'WORK_DATE_ASC', ['sort'])({ entries: [], frontier: null, more: true })).toThrow(/promised more entries in the batch that ended/);
  });

  it('fail the page when a stream yields an entry before the frontier it promised, naming the backend', async () => {
    const broken = fake([
      { entries: [entry('1', '2026-10-05')], frontier: '2026-10-05' },
      { entries: [entry('2', '2026-10-01')], frontier: null },
    ]);
    const failure = await read(broken).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ContractError);
    expect((failure as Error).message).toMatch(/^XURRENT's list\(\) broke its frontier promise: .*"2026-10-05".*entry "2".*"2026-10-01"/);
  });

  it('refuse a frontier that moves back, a batch after the end, and a frontier from a backend that does not sort', () => {
    const back = frontierChecker('PRIMAERP', 'UPDATED_AT_ASC', ['sort']);
    back({ entries: [], frontier: 10 });
    expect(() => back({ entries: [], frontier: 5 })).toThrow(/PRIMAERP's list\(\) moved its frontier back from 10 to 5/);
    const ended = frontierChecker('PRIMAERP', 'UPDATED_AT_ASC', ['sort']);
    ended({ entries: [], frontier: null });
    expect(() => ended({ entries: [], frontier: null })).toThrow(/after its stream ended/);
    const unsorted = frontierChecker('LAUREL', 'WORK_DATE_DESC', ['updated']);
    unsorted({ entries: [entry('1', '2026-10-01')] });
    expect(() => unsorted({ entries: [], frontier: '2026-10-01' })).toThrow(/LAUREL's list\(\) promised the frontier .* does not declare pushdown 'sort'/);
  });

  it('let a stream that keeps its promises through, ties at the frontier included', async () => {
    const fine = fake([
      { entries: [entry('1', '2026-10-01'), entry('2', '2026-10-05')], frontier: '2026-10-05' },
      { entries: [entry('3', '2026-10-05')], frontier: null },
    ]);
    expect((await read(fine)).entries.map((e) => e.sourceId)).toEqual(['1', '2', '3']);
  });

  it('check that a lookup answers one result per key, in key order', () => {
    expect(() => checkLookup('XURRENT', 'getEntries', ['1', '2'], [entry('1', '2026-10-01')])).toThrow(
      /^XURRENT's getEntries\(\) returned 1 results for 2 keys \["1","2"\]\. getEntries\(\) must return one result per key/,
    );
    expect(() => checkLookup('XURRENT', 'getEntries', ['1', '2'], [entry('2', 'x'), entry('1', 'x')])).toThrow(
      /returned "2" in place 0, where key "1" was asked for/,
    );
    expect(() => checkLookup('XURRENT', 'getEntries', ['1', '2'], [null, new Error('x')])).not.toThrow();
  });

  it('reach the DataLoader of a request: a short answer fails the lookup with the backend named', async () => {
    const adapter = fake([], { getEntries: async (keys) => keys.slice(1).map((k) => entry(k, 'x')) });
    const sources: SourceSet = { enabled: [adapter], get: () => adapter, require: () => adapter };
    const loaders = createLoaders(sources);
    const [a, b] = await Promise.allSettled([loaders.entry('XURRENT').load('1'), loaders.entry('XURRENT').load('2')]);
    for (const result of [a, b]) {
      expect(result.status).toBe('rejected');
      expect(String((result as PromiseRejectedResult).reason)).toMatch(/XURRENT's getEntries\(\) returned 1 results for 2 keys/);
    }
  });
});
