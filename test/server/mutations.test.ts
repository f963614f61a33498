// The unified mutations over HTTP: routing by source, ids, idempotency on both stores, no retries.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { encodeId } from '../../src/core/ids.js';
import { createGateway, listen } from '../../src/server/gateway.js';
import { startRedis } from '../support/redis.js';
import { startStack, type Stack } from '../support/stack.js';

let redis: Awaited<ReturnType<typeof startRedis>>;
const stacks: Record<string, Stack> = {};

beforeAll(async () => {
  redis = await startRedis();
  stacks.memory = await startStack();
  stacks.redis = await startStack({ env: { REDIS_URL: redis.url } });
});
afterAll(async () => {
  await Promise.all(Object.values(stacks).map((s) => s.close()));
  await redis.stop();
});

const CREATE = `mutation($input: TimeEntryCreateInput!, $key: String) {
  timeEntryCreate(input: $input, idempotencyKey: $key) {
    timeEntry { id source sourceId duration { minutes } description }
    userErrors { field message code }
  }
}`;

const xurrentInput = (description: string) => ({
  xurrent: { personId: '7', date: '2026-10-20', timeSpent: { hours: 1.5 }, customerId: '8', serviceId: '36', description },
});

const posts = (stack: Stack) => stack.sims.xurrent.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/time_entries')).length;
const upstream = (stack: Stack) => Object.values(stack.sims).reduce((n, s) => n + s.requests.length, 0);

describe('unified mutations', () => {
  it('refuses changes given for another backend than the id\'s, with no upstream call', async () => {
    const stack = stacks.memory;
    stack.resetRequests();
    const id = encodeId('TimeEntry', 'XURRENT', '195');
    const res = await stack.gql(
      `mutation($id: ID!) { timeEntryUpdate(id: $id, input: { primaerp: { version: 1, description: "x" } }) { timeEntry { id } userErrors { field message code } } }`,
      { id },
    );
    expect(res.data.timeEntryUpdate).toEqual({
      timeEntry: null,
      userErrors: [{ field: ['input', 'primaerp'], message: expect.stringContaining('input.xurrent'), code: 'SOURCE_MISMATCH' }],
    });
    expect(upstream(stack)).toBe(0);
  });

  it('answers malformed ids with a userError naming the id, with no upstream call', async () => {
    const stack = stacks.memory;
    stack.resetRequests();
    const res = await stack.gql(`mutation { timeEntryDelete(id: "nope") { deletedId userErrors { field message code } } }`);
    expect(res.data.timeEntryDelete).toEqual({ deletedId: null, userErrors: [{ field: ['id'], message: expect.stringContaining('"nope"'), code: 'INVALID_ID' }] });
    expect(upstream(stack)).toBe(0);
  });

  it('refuses an input with two members (@oneOf) before any upstream call', async () => {
    const stack = stacks.memory;
    stack.resetRequests();
    const res = await stack.gql(CREATE, { input: { ...xurrentInput('a'), primaerp: { userId: '00000000-0000-4000-8000-000000000000' } } });
    expect(res.errors?.[0].message).toMatch(/exactly one key/i);
    expect(upstream(stack)).toBe(0);
  });

  it('does not retry a create the backend failed, and reports it typed', async () => {
    const stack = stacks.memory;
    stack.resetRequests();
    stack.sims.xurrent.faults = { ...stack.sims.xurrent.faults, errorRate: 1, errorStatus: 500 };
    try {
      const res = await stack.gql(CREATE, { input: xurrentInput('fails') });
      // A 5xx may follow the write: the outcome is unknown, not "unavailable" (issue 7).
      expect(res.errors?.[0].extensions).toEqual({ code: 'SOURCE_OUTCOME_UNKNOWN', source: 'XURRENT' });
      expect(stack.sims.xurrent.requests).toHaveLength(1);
    } finally {
      stack.sims.xurrent.faults = { ...stack.sims.xurrent.faults, errorRate: 0 };
    }
  });
});

describe.each(['memory', 'redis'])('idempotent timeEntryCreate (%s store)', (store) => {
  it('repeats return the first result with one upstream create', async () => {
    const stack = stacks[store];
    stack.resetRequests();
    const key = `repeat-${store}-${Date.now()}`;
    const first = await stack.gql(CREATE, { input: xurrentInput('idempotent'), key });
    const second = await stack.gql(CREATE, { input: xurrentInput('idempotent'), key });
    expect(first.errors).toBeUndefined();
    expect(first.data.timeEntryCreate.userErrors).toEqual([]);
    expect(first.data.timeEntryCreate.timeEntry).toMatchObject({ source: 'XURRENT', duration: { minutes: 90 }, description: 'idempotent' });
    expect(second.data).toEqual(first.data);
    expect(posts(stack)).toBe(1);
  });

  it('refuses the key with another input', async () => {
    const stack = stacks[store];
    const key = `mismatch-${store}-${Date.now()}`;
    await stack.gql(CREATE, { input: xurrentInput('one'), key });
    stack.resetRequests();
    const res = await stack.gql(CREATE, { input: xurrentInput('two'), key });
    expect(res.data.timeEntryCreate).toEqual({ timeEntry: null, userErrors: [{ field: ['idempotencyKey'], message: expect.stringContaining(key), code: 'IDEMPOTENCY_MISMATCH' }] });
    expect(upstream(stack)).toBe(0);
  });

  it('makes one upstream create for concurrent requests with one key', async () => {
    const stack = stacks[store];
    stack.resetRequests();
    const key = `concurrent-${store}-${Date.now()}`;
    stack.sims.xurrent.faults = { ...stack.sims.xurrent.faults, latencyMs: 100 };
    try {
      const results = await Promise.all(Array.from({ length: 4 }, () => stack.gql(CREATE, { input: xurrentInput('together'), key })));
      const ids = new Set(results.map((r) => r.data.timeEntryCreate.timeEntry.id));
      expect(ids.size).toBe(1);
      expect(posts(stack)).toBe(1);
    } finally {
      stack.sims.xurrent.faults = { ...stack.sims.xurrent.faults, latencyMs: 0 };
    }
  });
});

it('shares keys between two gateway instances through Redis', async () => {
  // a second gateway over the same simulators and the same Redis
  const second = await listen(createGateway({ env: { ...stacks.redis.env, REDIS_URL: redis.url } }), 0);
  try {
    const key = `shared-${Date.now()}`;
    stacks.redis.resetRequests();
    const first = await stacks.redis.gql(CREATE, { input: xurrentInput('shared'), key });
    const res = await request(second.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: CREATE, variables: { input: xurrentInput('shared'), key } }),
    });
    expect(await res.body.json()).toEqual(first);
    expect(posts(stacks.redis)).toBe(1);
  } finally {
    await second.close();
  }
});
