// The same contract for both idempotency stores: repeat, mismatch, concurrency, failure, unknown outcomes, expiry.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryIdempotencyStore, runIdempotent, type IdempotencyStore } from '../../src/writes/idempotency.js';
import { createRedisIdempotencyStore } from '../../src/writes/redis-store.js';
import { SourceError } from '../../src/core/errors.js';
import { startRedis } from '../support/redis.js';

let redis: Awaited<ReturnType<typeof startRedis>>;
const stores: Record<string, IdempotencyStore> = {};

beforeAll(async () => {
  redis = await startRedis();
  stores.memory = createMemoryIdempotencyStore();
  stores.redis = createRedisIdempotencyStore(redis.url);
});
afterAll(async () => {
  await Promise.all(Object.values(stores).map((s) => s.close()));
  await redis.stop();
});

let n = 0;
const freshKey = () => `key-${Date.now()}-${n++}`;

describe.each(['memory', 'redis'])('%s idempotency store', (name) => {
  const run = (key: string, input: unknown, op: () => Promise<unknown>) =>
    runIdempotent({ store: stores[name], operation: 'timeEntryCreate', key, input }, op);

  it('returns the first result for a repeat without running again', async () => {
    const key = freshKey();
    let calls = 0;
    const op = async () => ({ created: ++calls });
    expect(await run(key, { a: 1, b: [1, 2] }, op)).toEqual({ result: { created: 1 } });
    expect(await run(key, { b: [1, 2], a: 1 }, op)).toEqual({ result: { created: 1 } });
    expect(calls).toBe(1);
  });

  it('refuses the same key with another input', async () => {
    const key = freshKey();
    await run(key, { a: 1 }, async () => 'first');
    const second = await run(key, { a: 2 }, async () => 'second');
    expect(second).toMatchObject({ refused: { code: 'IDEMPOTENCY_MISMATCH', field: ['idempotencyKey'] } });
    expect(JSON.stringify(second)).toContain(key);
  });

  it('runs concurrent requests with one key once; the others get its result', async () => {
    const key = freshKey();
    let calls = 0;
    const op = async () => {
      calls++;
      await new Promise((r) => setTimeout(r, 100));
      return { id: 42 };
    };
    const results = await Promise.all(Array.from({ length: 5 }, () => run(key, { x: 1 }, op)));
    expect(calls).toBe(1);
    expect(results).toEqual(Array.from({ length: 5 }, () => ({ result: { id: 42 } })));
  });

  it('frees the key when the operation fails, so a retry runs', async () => {
    const key = freshKey();
    await expect(run(key, { x: 1 }, async () => Promise.reject(new Error('backend down')))).rejects.toThrow('backend down');
    expect(await run(key, { x: 1 }, async () => 'ok')).toEqual({ result: 'ok' });
  });

  it('keeps the key after an unknown outcome: a retry without a lookup is refused OUTCOME_UNKNOWN and runs nothing', async () => {
    const key = freshKey();
    let calls = 0;
    const lost = async () => {
      calls++;
      throw new SourceError('LAUREL', 'SOURCE_OUTCOME_UNKNOWN', 'answer lost');
    };
    await expect(run(key, { x: 1 }, lost)).rejects.toMatchObject({ code: 'SOURCE_OUTCOME_UNKNOWN' });
    expect(await run(key, { x: 1 }, lost)).toMatchObject({ refused: { code: 'OUTCOME_UNKNOWN', field: ['idempotencyKey'] } });
    expect(await run(key, { x: 1 }, lost)).toMatchObject({ refused: { code: 'OUTCOME_UNKNOWN' } });
    expect(await run(key, { x: 2 }, lost)).toMatchObject({ refused: { code: 'IDEMPOTENCY_MISMATCH' } });
    expect(calls).toBe(1);
  });

  it('reconciles with the stamp of the lost attempt: found is kept, absent runs again with that stamp, a failed lookup keeps the key', async () => {
    const store = stores[name];
    const stamps: string[] = [];
    const lost = async (stamp: string) => {
      stamps.push(stamp);
      throw new SourceError('XURRENT', 'SOURCE_OUTCOME_UNKNOWN', 'answer lost');
    };
    const found = freshKey();
    await expect(runIdempotent({ store, operation: 'op', key: found, input: 1 }, lost)).rejects.toThrow('answer lost');
    const looked: string[] = [];
    const reconcile = async (stamp: string) => (looked.push(stamp), { result: { id: 7 } });
    expect(await runIdempotent({ store, operation: 'op', key: found, input: 1, reconcile }, lost)).toEqual({ result: { id: 7 } });
    expect(await runIdempotent({ store, operation: 'op', key: found, input: 1, reconcile }, lost)).toEqual({ result: { id: 7 } });
    expect(looked).toEqual([stamps[0]]);

    const absent = freshKey();
    await expect(runIdempotent({ store, operation: 'op', key: absent, input: 1 }, lost)).rejects.toThrow('answer lost');
    const failing = async () => Promise.reject(new SourceError('XURRENT', 'SOURCE_UNAVAILABLE', 'lookup failed'));
    await expect(runIdempotent({ store, operation: 'op', key: absent, input: 1, reconcile: failing }, lost)).rejects.toThrow('lookup failed');
    let ran = '';
    const again = await runIdempotent({ store, operation: 'op', key: absent, input: 1, reconcile: async () => 'absent' as const }, async (stamp) => (ran = stamp));
    expect(again).toEqual({ result: stamps[1] });
    expect(ran).toBe(stamps[1]);
    expect(stamps[0]).not.toBe(stamps[1]);
  });

  it('separates operations that share a key', async () => {
    const key = freshKey();
    await runIdempotent({ store: stores[name], operation: 'a', key, input: 1 }, async () => 'a');
    expect(await runIdempotent({ store: stores[name], operation: 'b', key, input: 2 }, async () => 'b')).toEqual({ result: 'b' });
  });
});

it('forgets keys after their time to live (memory store, controlled clock)', async () => {
  let now = 0;
  const store = createMemoryIdempotencyStore(() => now);
  let calls = 0;
  const op = async () => ++calls;
  await runIdempotent({ store, operation: 'op', key: 'k', input: 1, ttlMs: 1000 }, op);
  now = 999;
  await runIdempotent({ store, operation: 'op', key: 'k', input: 1, ttlMs: 1000 }, op);
  now = 2001;
  await runIdempotent({ store, operation: 'op', key: 'k', input: 1, ttlMs: 1000 }, op);
  expect(calls).toBe(2);
});
