// Regression (issue 7): a write whose answer was lost was reported as "could not be reached" and its
// idempotency key freed, so a retry wrote twice. A write that may have happened is SOURCE_OUTCOME_UNKNOWN
// and keeps its key; only a request that provably never left (refused, rate-limited) frees it.
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noFaults } from '../../src/simulators/common/server.js';
import { startXurrentSimulator } from '../../src/simulators/xurrent/index.js';
import { startLaurelGateway } from '../sources/laurel/stack.js';
import { startXurrentStack, type XurrentStack } from '../sources/xurrent/stack.js';
import { serveGateway } from '../support/stack.js';
import { startRedis } from '../support/redis.js';

const CREATE = `mutation C($input: TimeEntryCreateInput!, $key: String) {
  timeEntryCreate(input: $input, idempotencyKey: $key) { timeEntry { id sourceId } userErrors { field message code } }
}`;
const input = (description: string) => ({
  xurrent: { personId: '7', date: '2026-10-20', timeSpent: { minutes: 45 }, customerId: '8', serviceId: '36', description },
});
const posts = (requests: Array<{ method: string; path: string }>) => requests.filter((r) => r.method === 'POST' && r.path === '/v1/time_entries').length;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe('a write whose answer is lost', () => {
  let stack: XurrentStack;
  beforeAll(async () => {
    stack = await startXurrentStack();
  });
  afterAll(() => stack.close());

  it('is SOURCE_OUTCOME_UNKNOWN, saying the write may have happened; the simulator stored it after one POST', async () => {
    const before = stack.sim.store.entries.size;
    stack.sim.faults = { ...noFaults(), resetAfterWrite: 1 };
    const calls = stack.mark();
    const res = await stack.gql(CREATE, { input: input('answer lost') });
    expect(res.errors).toEqual([expect.objectContaining({ extensions: { code: 'SOURCE_OUTCOME_UNKNOWN', source: 'XURRENT' } })]);
    expect(res.errors?.[0].message).toMatch(/may have carried out this write/);
    expect(res.errors?.[0].message).not.toMatch(/could not be reached/);
    expect(calls()).toEqual(['POST /v1/time_entries']);
    expect(stack.sim.store.entries.size).toBe(before + 1);
  });

  it('keeps the codes of reads: a read whose connection is reset is retried and succeeds', async () => {
    stack.sim.faults = { ...noFaults(), resetNext: 1 };
    const calls = stack.mark();
    const res = await stack.gql(`{ timeEntries(first: 1) { nodes { id } } }`);
    expect(res.errors).toBeUndefined();
    expect(calls()).toHaveLength(2);
  });

  it('a write refused with 429 before any work keeps SOURCE_RATE_LIMITED and frees its key', async () => {
    const key = `rate-limited-${Date.now()}`;
    stack.sim.faults = { ...noFaults(), failNext: 1, errorStatus: 429 };
    const calls = stack.mark();
    const first = await stack.gql(CREATE, { input: input('after a 429'), key });
    expect(first.errors?.map((e) => e.extensions?.code)).toEqual(['SOURCE_RATE_LIMITED']);
    const retry = await stack.gql(CREATE, { input: input('after a 429'), key });
    expect(retry.errors).toBeUndefined();
    expect(retry.data.timeEntryCreate.userErrors).toEqual([]);
    expect(calls()).toEqual(['POST /v1/time_entries', 'POST /v1/time_entries']);
  });
});

describe('a write cut off by a timeout after it was sent', () => {
  for (const [name, env, expected] of [
    ['the response timeout', { XURRENT_RESPONSE_TIMEOUT_MS: '300' }, /no answer came in time/],
    ["the operation's deadline", { OPERATION_TIMEOUT_MS: '300' }, /deadline passed during the call/],
  ] as const) {
    it(`is SOURCE_OUTCOME_UNKNOWN after ${name}, while a read cut off the same way stays SOURCE_TIMEOUT`, async () => {
      const sim = await startXurrentSimulator({ rateLimit: { perHour: 1_000_000, burst: 1_000_000 } });
      const gateway = await serveGateway({ ...sim.env, XURRENT_RATE_LIMIT: 'off', XURRENT_MAX_RETRIES: '0', ...env });
      try {
        sim.faults = { ...noFaults(), hang: true };
        const write = await gateway.gql(CREATE, { input: input('cut off') });
        expect(write.errors?.map((e) => e.extensions)).toEqual([{ code: 'SOURCE_OUTCOME_UNKNOWN', source: 'XURRENT' }]);
        expect(write.errors?.[0].message).toMatch(expected);
        const read = await gateway.gql(`{ timeEntries(first: 1) { nodes { id } } }`);
        expect(read.errors?.map((e) => e.extensions)).toEqual([{ code: 'SOURCE_TIMEOUT', source: 'XURRENT' }]);
        expect(posts(sim.requests)).toBe(1);
      } finally {
        await gateway.close();
        await sim.close();
      }
    });
  }
});

describe.each(['memory', 'redis'])('a refused connection frees the key (%s store)', (store) => {
  let redis: Awaited<ReturnType<typeof startRedis>> | undefined;
  beforeAll(async () => {
    redis = store === 'redis' ? await startRedis() : undefined;
  });
  afterAll(() => redis?.stop());

  it('answers SOURCE_UNAVAILABLE with nothing sent; the retry with the same key creates the entry once', async () => {
    // Nothing listens on the port yet: the connection is refused, so the request provably never left.
    const port = await freePort();
    const env = {
      XURRENT_BASE_URL: `http://127.0.0.1:${port}/v1`, XURRENT_TOKEN: 'xurrent-sim-token', XURRENT_ACCOUNT: 'wna-it', XURRENT_RATE_LIMIT: 'off',
      ...(redis && { REDIS_URL: redis.url }),
    };
    const gateway = await serveGateway(env);
    const key = `refused-${store}-${Date.now()}`;
    try {
      const first = await gateway.gql(CREATE, { input: input('refused first'), key });
      expect(first.errors?.map((e) => e.extensions)).toEqual([{ code: 'SOURCE_UNAVAILABLE', source: 'XURRENT' }]);
      const sim = await startXurrentSimulator({ port, rateLimit: { perHour: 1_000_000, burst: 1_000_000 } });
      try {
        const retry = await gateway.gql(CREATE, { input: input('refused first'), key });
        expect(retry.errors).toBeUndefined();
        expect(retry.data.timeEntryCreate.userErrors).toEqual([]);
        expect(sim.store.get(Number(retry.data.timeEntryCreate.timeEntry.sourceId))).toMatchObject({ description: 'refused first' });
        expect(posts(sim.requests)).toBe(1);
      } finally {
        await sim.close();
      }
    } finally {
      await gateway.close();
    }
  });
});

describe.each(['memory', 'redis'])('a Laurel batch release whose answer is lost (%s store)', (store) => {
  const BATCH = `mutation B($entries: [LaurelEntryReleaseSucceededInput!]!, $key: String) {
    laurelEntriesReleaseSucceeded(entries: $entries, idempotencyKey: $key) { results { entryId status } userErrors { field message code } }
  }`;
  const CALL = 'POST /api/v1/customers/:id/entries/release-succeeded/batch';
  let g: Awaited<ReturnType<typeof startLaurelGateway>>;
  let redis: Awaited<ReturnType<typeof startRedis>> | undefined;
  beforeAll(async () => {
    redis = store === 'redis' ? await startRedis() : undefined;
    g = await startLaurelGateway({ seed: 5 }, redis ? { REDIS_URL: redis.url } : {});
  });
  afterAll(async () => {
    await g.close();
    await redis?.stop();
  });

  it('keeps the key: the retry answers OUTCOME_UNKNOWN without sending the call again', async () => {
    const releasable = g.sim.store
      .ordered()
      .filter((e) => !e.isDeleted && !e.isLocked && e.statusInfo.status === 'validation-success' && g.sim.store.releaseProblem(e, Date.now()) === null)
      .slice(0, 3);
    expect(releasable).toHaveLength(3);
    const entries = releasable.map((e) => ({ id: g.idOf(e) }));
    const key = `batch-lost-${store}-${Date.now()}`;
    // Warm the token up, so the fault hits the release call and nothing else.
    await g.gql(`{ timeEntries(first: 1) { nodes { id } } }`);
    g.reset();
    g.sim.faults = { ...noFaults(), resetAfterWrite: 1 };
    const first = await g.gql(BATCH, { entries, key });
    expect(first.errors?.map((e) => e.extensions)).toEqual([{ code: 'SOURCE_OUTCOME_UNKNOWN', source: 'LAUREL' }]);
    expect(g.calls()).toEqual([CALL]);
    // Laurel carried the call out before the connection went down.
    const released = releasable.map((e) => g.sim.store.ordered().find((s) => s._id === e._id)?.statusInfo.status);
    expect(released).toEqual(['release-success', 'release-success', 'release-success']);

    g.reset();
    const retry = await g.gql(BATCH, { entries, key });
    expect(retry.errors).toBeUndefined();
    expect(retry.data.laurelEntriesReleaseSucceeded).toEqual({
      results: [],
      userErrors: [{ field: ['idempotencyKey'], code: 'OUTCOME_UNKNOWN', message: expect.stringContaining(key) }],
    });
    expect(g.calls()).toEqual([]);
  });
});
