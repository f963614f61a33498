// A Retry-After used to delay only the retry of the call that got it while the next read went upstream
// at once, and identical reads in flight together each went upstream: the pause must hold every call to
// that backend, and identical GETs must be sent once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../support/stack.js';
import { codes, page, reset, startFaultStack } from './support.js';

/** A read of another URL than `page`'s, so it is not coalesced with it. */
const other = (stack: Stack) => stack.gql('{ timeEntries(first: 7, filter: { sources: [XURRENT], workDateFrom: "2000-01-01" }) { nodes { id } } }');

describe('Retry-After pauses the backend', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startFaultStack();
  }, 60_000);
  afterAll(() => stack.close());

  it('after a 429 with Retry-After: 2, no call to that backend, of any operation, goes out for 2 s', async () => {
    reset(stack);
    Object.assign(stack.sims.xurrent.faults, { failNext: 1, errorStatus: 429, retryAfter: '2' });
    const first = page(stack, ['XURRENT']);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const second = other(stack);
    const [a, b] = await Promise.all([first, second]);
    expect(a.errors).toBeUndefined();
    expect(b.errors).toBeUndefined();
    const at = stack.sims.xurrent.requests.map((r) => r.at).sort((x, y) => x - y);
    expect(at.length).toBeGreaterThanOrEqual(3);
    // The 429 came first; every later request, the other operation's included, waited out the pause.
    for (const t of at.slice(1)) expect(t - at[0]).toBeGreaterThanOrEqual(1950);
  });

  it('a pause past the deadline refuses other reads at once, with no upstream call', async () => {
    const own = await startFaultStack({ OPERATION_TIMEOUT_MS: '3000' });
    try {
      Object.assign(own.sims.xurrent.faults, { failNext: 1, errorStatus: 429, retryAfter: '60' });
      await page(own, ['XURRENT']);
      own.resetRequests();
      const started = Date.now();
      const res = await other(own);
      expect(codes(res)).toEqual([expect.objectContaining({ code: 'SOURCE_RATE_LIMITED', source: 'XURRENT' })]);
      expect(Date.now() - started).toBeLessThan(1000);
      expect(own.sims.xurrent.requests).toHaveLength(0);
    } finally {
      await own.close();
    }
  });

  it("primaERP's PE01-9002 without Retry-After pauses for its 10 s window", async () => {
    const own = await startFaultStack({ PRIMAERP_RATE_LIMIT: '500/10s', OPERATION_TIMEOUT_MS: '3000' });
    try {
      Object.assign(own.sims.primaerp.faults, { failNext: 1, errorStatus: 503 });
      await page(own, ['PRIMAERP']);
      own.resetRequests();
      const res = await page(own, ['PRIMAERP']);
      expect(codes(res)).toEqual([expect.objectContaining({ code: 'SOURCE_RATE_LIMITED', source: 'PRIMAERP' })]);
      expect(own.sims.primaerp.requests).toHaveLength(0);
    } finally {
      await own.close();
    }
  });
});

describe('coalescing', () => {
  const READ = '{ timeEntries(first: 20, filter: { sources: [XURRENT] }) { nodes { id duration { minutes } } } }';

  it('30 concurrent identical reads cost one upstream request, and each gets the full answer', async () => {
    const stack = await startFaultStack();
    try {
      reset(stack);
      stack.sims.xurrent.faults.latencyMs = 300;
      const results = await Promise.all(Array.from({ length: 30 }, () => stack.gql(READ)));
      for (const res of results) {
        expect(res.errors).toBeUndefined();
        expect(res.data.timeEntries.nodes).toEqual(results[0].data.timeEntries.nodes);
      }
      expect(results[0].data.timeEntries.nodes).toHaveLength(20);
      expect(stack.sims.xurrent.requests).toHaveLength(1);
    } finally {
      await stack.close();
    }
  });

  it('a read started after a write never shares an answer sent before the write ended', async () => {
    const stack = await startFaultStack();
    try {
      const first = await stack.gql('{ timeEntries(first: 1, filter: { sources: [XURRENT] }) { nodes { id } } }');
      const id = first.data.timeEntries.nodes[0].id;
      reset(stack);
      stack.sims.xurrent.faults.latencyMs = 400;
      const before = stack.gql(READ);
      await new Promise((r) => setTimeout(r, 100));
      // The read above is still waiting for its answer when the write goes out and comes back.
      stack.sims.xurrent.faults.latencyMs = 0;
      const write = await stack.gql(`mutation($id: ID!) { timeEntryUpdate(id: $id, input: { xurrent: { description: "after the write" } }) { userErrors { message } } }`, { id });
      expect(write.errors).toBeUndefined();
      expect(write.data.timeEntryUpdate.userErrors).toEqual([]);
      const after = await stack.gql(READ);
      await before;
      expect(after.errors).toBeUndefined();
      const lists = stack.sims.xurrent.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/time_entries'));
      expect(lists).toHaveLength(2);
    } finally {
      await stack.close();
    }
  });

  it('identical Laurel reads in flight together send each of their pages once', async () => {
    const stack = await startFaultStack();
    try {
      const LAUREL = '{ timeEntries(first: 20, filter: { sources: [LAUREL] }) { nodes { id } } }';
      reset(stack);
      await stack.gql(LAUREL);
      const alone = stack.sims.laurel.requests.filter((r) => r.path.includes('/entries')).length;
      reset(stack);
      stack.sims.laurel.faults.latencyMs = 100;
      const results = await Promise.all(Array.from({ length: 5 }, () => stack.gql(LAUREL)));
      for (const res of results) expect(res.data.timeEntries.nodes).toEqual(results[0].data.timeEntries.nodes);
      expect(stack.sims.laurel.requests.filter((r) => r.path.includes('/entries'))).toHaveLength(alone);
    } finally {
      await stack.close();
    }
  });

  it('with XURRENT_COALESCE=off each read goes upstream', async () => {
    const stack = await startFaultStack({ XURRENT_COALESCE: 'off' });
    try {
      reset(stack);
      stack.sims.xurrent.faults.latencyMs = 300;
      await Promise.all(Array.from({ length: 5 }, () => stack.gql(READ)));
      expect(stack.sims.xurrent.requests).toHaveLength(5);
    } finally {
      await stack.close();
    }
  });
});
