// laurelEntriesReleaseSucceeded end to end: splitting into calls of 20, Laurel's 207 mixed answer,
// input checks with zero calls, and idempotency keys on both stores (memory and a real Redis).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeId } from '../../../src/core/ids.js';
import type { StoredEntry } from '../../../src/simulators/laurel/data.js';
import { noFaults } from '../../../src/simulators/common/server.js';
import { startRedis } from '../../support/redis.js';
import { startLaurelGateway } from './stack.js';

const BATCH = `mutation B($entries: [LaurelEntryReleaseSucceededInput!]!, $key: String) {
  laurelEntriesReleaseSucceeded(entries: $entries, idempotencyKey: $key) {
    results { entryId status ok errorMessage errorCode }
    userErrors { field message code }
  }
}`;
const BATCH_WITH_ENTRIES = BATCH.replace('errorCode }', 'errorCode laurelEntry { id externalId releaseSuccessAt } }');
const CALL = 'POST /api/v1/customers/:id/entries/release-succeeded/batch';
const NO_SUCH = '62f6bbc0a1b2c3d4e5f60718';

type Gateway = Awaited<ReturnType<typeof startLaurelGateway>>;

function picker(g: Gateway) {
  const used = new Set<string>();
  return (pred: (e: StoredEntry) => boolean, n: number): StoredEntry[] => {
    const found = g.sim.store.ordered().filter((e) => !used.has(e._id) && pred(e)).slice(0, n);
    expect(found).toHaveLength(n);
    for (const e of found) used.add(e._id);
    return found;
  };
}
const releasableIn = (g: Gateway) => (e: StoredEntry) =>
  !e.isDeleted && !e.isLocked && e.statusInfo.status === 'validation-success' && g.sim.store.releaseProblem(e, Date.now()) === null;

describe('laurelEntriesReleaseSucceeded', () => {
  let g: Gateway;
  let take: ReturnType<typeof picker>;
  beforeAll(async () => {
    g = await startLaurelGateway({ seed: 7 });
    take = picker(g);
  });
  afterAll(() => g.close());

  it('splits 45 entries into exactly 3 calls and gives each entry its own result from the 207 answers', async () => {
    const ok = take(releasableIn(g), 38);
    const [zero] = take((e) => !e.isDeleted && !e.isLocked && e.unitIncrementCountFromSources + e.unitIncrementCountAdjustments === 0, 1);
    const deleted = take((e) => e.isDeleted === true, 3);
    const unknown = [`${ok[0].userId}/${NO_SUCH}`, `${ok[1].userId}/${NO_SUCH.replace('1', '2')}`, `${ok[2].userId}/${NO_SUCH.replace('1', '3')}`];
    const ids = [...ok.map(g.idOf), g.idOf(zero), ...deleted.map(g.idOf), ...unknown.map((k) => encodeId('TimeEntry', 'LAUREL', k))];
    // Mix the failures in, so results are matched by entry and kept in input order.
    const order = ids.map((id, i) => ({ id, i })).sort((a, b) => ((a.i * 7) % 45) - ((b.i * 7) % 45));
    expect(order).toHaveLength(45);
    g.reset();
    const res = await g.gql(BATCH_WITH_ENTRIES, { entries: order.map(({ id, i }) => ({ id, externalId: `PMS-${i}`, reReleaseFailedMessages: [] })) });
    expect(res.errors).toBeUndefined();
    // Three batch calls (20, 20, 5), then the lookup scan that reads the results' entries back.
    expect(g.calls().slice(0, 3)).toEqual([CALL, CALL, CALL]);
    expect(g.calls().slice(3).every((c) => c === 'GET /api/v2/customers/:id/entries')).toBe(true);
    const { results, userErrors } = res.data.laurelEntriesReleaseSucceeded;
    expect(results.map((r: { entryId: string }) => r.entryId)).toEqual(order.map((o) => o.id));
    order.forEach(({ i }, at) => {
      const r = results[at];
      if (i < 38) expect(r).toEqual({ entryId: ids[i], status: 'OK', ok: true, errorMessage: null, errorCode: null, laurelEntry: { id: ids[i], externalId: `PMS-${i}`, releaseSuccessAt: expect.any(String) } });
      else if (i === 38) expect(r).toMatchObject({ status: 'BAD_REQUEST', ok: false, errorMessage: 'cannot-release-zero-increment', errorCode: 400 });
      else expect(r).toMatchObject({ status: 'NOT_FOUND', ok: false, errorMessage: 'Entry not found', errorCode: 404 });
    });
    expect(userErrors).toHaveLength(7);
    const zeroAt = order.findIndex((o) => o.i === 38);
    expect(userErrors).toContainEqual({ field: ['entries', String(zeroAt)], code: 'VALIDATION', message: `Entry ${JSON.stringify(ids[38])} was not released: BAD_REQUEST "cannot-release-zero-increment".` });
    expect(userErrors.filter((e: { code: string }) => e.code === 'NOT_FOUND')).toHaveLength(6);
    for (const e of ok) expect(e.statusInfo.status).toBe('release-success');
    expect(zero.statusInfo.status).not.toBe('release-success');
  });

  it('rejects an empty list, more than 500 entries, bad or repeated ids, without a call', async () => {
    const [e] = take(releasableIn(g), 1);
    g.reset();
    const empty = await g.gql(BATCH, { entries: [] });
    expect(empty.data.laurelEntriesReleaseSucceeded).toEqual({ results: [], userErrors: [expect.objectContaining({ field: ['entries'], code: 'VALIDATION' })] });
    const big = await g.gql(BATCH, { entries: Array.from({ length: 501 }, () => ({ id: g.idOf(e) })) });
    expect(big.data.laurelEntriesReleaseSucceeded.userErrors).toEqual([expect.objectContaining({ field: ['entries'], code: 'BATCH_TOO_LARGE', message: expect.stringContaining('501') })]);
    const bad = await g.gql(BATCH, { entries: [{ id: g.idOf(e) }, { id: 'nope' }, { id: encodeId('TimeEntry', 'PRIMAERP', 'x') }, { id: g.idOf(e) }] });
    expect(bad.data.laurelEntriesReleaseSucceeded.userErrors).toEqual([
      expect.objectContaining({ field: ['entries', '1', 'id'], code: 'INVALID_ID' }),
      // Another backend's id (not configured here): which of the two codes is the core's choice.
      expect.objectContaining({ field: ['entries', '2', 'id'], code: expect.stringMatching(/^(SOURCE_MISMATCH|INVALID_ID)$/) }),
      expect.objectContaining({ field: ['entries', '3', 'id'], code: 'VALIDATION', message: expect.stringContaining('entries[0]') }),
    ]);
    expect(g.sim.requests).toEqual([]);
    expect(e.statusInfo.status).toBe('validation-success');
  });

  it('fails the whole request when the first call fails (sent once, never retried)', async () => {
    const entries = take(releasableIn(g), 2).map((e) => ({ id: g.idOf(e) }));
    g.reset();
    g.sim.faults = { ...noFaults(), errorRate: 1, errorStatus: 503 };
    try {
      const res = await g.gql(BATCH, { entries });
      expect(res.data).toBeNull();
      // A 5xx may follow the release: its outcome is unknown (issue 7).
      expect(res.errors).toEqual([expect.objectContaining({ extensions: { code: 'SOURCE_OUTCOME_UNKNOWN', source: 'LAUREL' } })]);
    } finally {
      g.sim.faults = noFaults();
    }
    expect(g.calls()).toEqual([CALL]);
  });
});

describe('laurelEntriesReleaseSucceeded when a later call fails', () => {
  let g: Gateway;
  beforeAll(async () => {
    g = await startLaurelGateway({ seed: 11 });
  });
  afterAll(() => g.close());

  it('keeps the results of the calls that went through, marks the rest, and reports the failure beside the data', async () => {
    const entries = picker(g)(releasableIn(g), 45).map((e) => ({ id: g.idOf(e) }));
    g.reset();
    // Every call waits 150 ms; once the first has arrived, later calls are answered 500.
    g.sim.faults = { ...noFaults(), latencyMs: 150 };
    const pending = g.gql(BATCH, { entries });
    while (!g.calls().includes(CALL)) await new Promise((r) => setTimeout(r, 5));
    g.sim.faults = { ...noFaults(), errorRate: 1, errorStatus: 500 };
    try {
      const res = await pending;
      expect(res.errors).toEqual([expect.objectContaining({ path: ['laurelEntriesReleaseSucceeded'], extensions: { code: 'SOURCE_OUTCOME_UNKNOWN', source: 'LAUREL' } })]);
      const statuses = res.data.laurelEntriesReleaseSucceeded.results.map((r: { status: string }) => r.status);
      expect(statuses).toEqual([...Array(20).fill('OK'), ...Array(20).fill('UNKNOWN'), ...Array(5).fill('NOT_SENT')]);
      const codes = res.data.laurelEntriesReleaseSucceeded.userErrors.map((e: { code: string }) => e.code);
      expect(codes).toEqual([...Array(20).fill('OUTCOME_UNKNOWN'), ...Array(5).fill('NOT_SENT')]);
    } finally {
      g.sim.faults = noFaults();
    }
    expect(g.calls()).toEqual([CALL, CALL]);
  });
});

describe.each(['memory', 'redis'])('laurelEntriesReleaseSucceeded idempotency (%s store)', (store) => {
  let g: Gateway;
  let take: ReturnType<typeof picker>;
  let redis: Awaited<ReturnType<typeof startRedis>> | undefined;
  beforeAll(async () => {
    redis = store === 'redis' ? await startRedis() : undefined;
    g = await startLaurelGateway({ seed: 9 }, redis ? { REDIS_URL: redis.url } : {});
    take = picker(g);
  });
  afterAll(async () => {
    await g.close();
    await redis?.stop();
  });
  const key = () => `release-${store}-${Math.random().toString(36).slice(2)}`;

  it('returns the first result for a repeat without a call, and refuses the key with another input', async () => {
    const entries = take(releasableIn(g), 25).map((e) => ({ id: g.idOf(e), externalId: 'X' }));
    const k = key();
    g.reset();
    const first = await g.gql(BATCH, { entries, key: k });
    expect(g.calls()).toEqual([CALL, CALL]);
    expect(first.data.laurelEntriesReleaseSucceeded.results.every((r: { ok: boolean }) => r.ok)).toBe(true);
    g.reset();
    const repeat = await g.gql(BATCH, { entries, key: k });
    expect(repeat).toEqual(first);
    const other = await g.gql(BATCH, { entries: entries.slice(1), key: k });
    expect(other.data.laurelEntriesReleaseSucceeded).toEqual({ results: [], userErrors: [{ field: ['idempotencyKey'], code: 'IDEMPOTENCY_MISMATCH', message: expect.stringContaining(k) }] });
    expect(g.sim.requests).toEqual([]);
    // Without the key, the same input is sent again (and Laurel releases the entries once more).
    expect((await g.gql(BATCH, { entries })).data.laurelEntriesReleaseSucceeded.results).toHaveLength(25);
    expect(g.calls()).toEqual([CALL, CALL]);
  });

  it('makes one set of calls for concurrent requests with one key', async () => {
    const entries = take(releasableIn(g), 3).map((e) => ({ id: g.idOf(e) }));
    const k = key();
    g.reset();
    g.sim.faults = { ...noFaults(), latencyMs: 150 };
    try {
      const answers = await Promise.all([1, 2, 3].map(() => g.gql(BATCH, { entries, key: k })));
      expect(answers[1]).toEqual(answers[0]);
      expect(answers[2]).toEqual(answers[0]);
      expect(answers[0].data.laurelEntriesReleaseSucceeded.results.map((r: { status: string }) => r.status)).toEqual(['OK', 'OK', 'OK']);
    } finally {
      g.sim.faults = noFaults();
    }
    expect(g.calls()).toEqual([CALL]);
  });
});
