import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Stack } from '../support/stack.js';
import { codes, page, reset, startFaultStack } from './support.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startFaultStack();
});
afterAll(() => stack.close());
beforeEach(() => reset(stack));

const X = ['XURRENT'];
const xurrent = () => stack.sims.xurrent;

describe('reads retry', () => {
  it('a short 5xx burst: the read recovers by retry', async () => {
    xurrent().faults.failNext = 2;
    const res = await page(stack, X);
    expect(res.errors).toBeUndefined();
    expect(res.data.timeEntries.nodes).toHaveLength(5);
    expect(xurrent().requests).toHaveLength(3);
  });

  it('a 5xx burst longer than the retries: SOURCE_UNAVAILABLE after 1 + 2 attempts', async () => {
    xurrent().faults.failNext = 3;
    xurrent().faults.errorStatus = 502;
    const res = await page(stack, X);
    expect(codes(res)).toEqual([{ code: 'SOURCE_UNAVAILABLE', source: 'XURRENT' }]);
    expect(res.data.timeEntries.unavailableSources).toEqual(['XURRENT']);
    expect(xurrent().requests).toHaveLength(3);
  });

  it('a connection reset is retried', async () => {
    xurrent().faults.resetNext = 1;
    const res = await page(stack, X);
    expect(res.errors).toBeUndefined();
    expect(xurrent().requests).toHaveLength(2);
  });

  it('connections reset every time: SOURCE_UNAVAILABLE after 1 + 2 attempts', async () => {
    xurrent().faults.reset = true;
    const res = await page(stack, X);
    expect(codes(res)).toEqual([{ code: 'SOURCE_UNAVAILABLE', source: 'XURRENT' }]);
    expect(xurrent().requests).toHaveLength(3);
  });
});

describe('Retry-After', () => {
  it('429 with Retry-After in delta seconds: the retry waits that long', async () => {
    Object.assign(xurrent().faults, { failNext: 1, errorStatus: 429, retryAfter: '1' });
    const res = await page(stack, X);
    expect(res.errors).toBeUndefined();
    const [first, second] = xurrent().requests;
    expect(xurrent().requests).toHaveLength(2);
    expect(second.at - first.at).toBeGreaterThanOrEqual(1000);
  });

  it('429 with Retry-After as an HTTP-date: the retry waits until then', async () => {
    const until = new Date(Date.now() + 2000).toUTCString();
    Object.assign(xurrent().faults, { failNext: 1, errorStatus: 429, retryAfter: until });
    const res = await page(stack, X);
    expect(res.errors).toBeUndefined();
    expect(xurrent().requests).toHaveLength(2);
    expect(xurrent().requests[1].at).toBeGreaterThanOrEqual(Date.parse(until));
  });

  it('a Retry-After beyond the deadline fails now with the last error, without waiting', async () => {
    // A stack of its own: the 60 s pause it causes holds every later call to that backend.
    const own = await startFaultStack();
    try {
      reset(own);
      Object.assign(own.sims.xurrent.faults, { failNext: 1, errorStatus: 429, retryAfter: '60' });
      const res = await page(own, X);
      expect(codes(res)).toEqual([{ code: 'SOURCE_RATE_LIMITED', source: 'XURRENT', retryAfterMs: 60_000 }]);
      expect(own.sims.xurrent.requests).toHaveLength(1);
    } finally {
      await own.close();
    }
  });
});

describe("primaERP's 503 PE01-9002 (its rate limit)", () => {
  it('is retried', async () => {
    Object.assign(stack.sims.primaerp.faults, { failNext: 1, errorStatus: 503, retryAfter: '0' });
    const res = await page(stack, ['PRIMAERP']);
    expect(res.errors).toBeUndefined();
    expect(res.data.timeEntries.nodes).toHaveLength(5);
    expect(stack.sims.primaerp.requests).toHaveLength(2);
  });

  it('is SOURCE_RATE_LIMITED when it persists', async () => {
    Object.assign(stack.sims.primaerp.faults, { failNext: 3, errorStatus: 503 });
    const res = await page(stack, ['PRIMAERP']);
    expect(codes(res)).toEqual([{ code: 'SOURCE_RATE_LIMITED', source: 'PRIMAERP' }]);
    expect(stack.sims.primaerp.requests).toHaveLength(3);
  });
});

describe('writes are never retried once sent', () => {
  const CREATE = `mutation($input: TimeEntryCreateInput!) { timeEntryCreate(input: $input) { timeEntry { id } userErrors { code } } }`;

  it('a create answered 503 is sent exactly once, and its outcome is unknown (a 5xx may follow the write)', async () => {
    Object.assign(xurrent().faults, { failNext: 1, errorStatus: 503, retryAfter: '0' });
    const input = { xurrent: { personId: '7', date: '2026-10-20', timeSpent: { hours: 1 }, customerId: '8', serviceId: '36', description: 'sent once' } };
    const res = await stack.gql(CREATE, { input });
    expect(codes(res)).toEqual([{ code: 'SOURCE_OUTCOME_UNKNOWN', source: 'XURRENT' }]);
    expect(xurrent().requests.map((r) => r.method)).toEqual(['POST']);
  });

  it("primaERP's 503 PE01-9002 on a create is not retried either", async () => {
    Object.assign(stack.sims.primaerp.faults, { failNext: 1, errorStatus: 503 });
    const input = { primaerp: { userId: '00000000-0000-4000-8000-000000000000', start: '2026-10-20T08:00:00Z', duration: { hours: 1 } } };
    const res = await stack.gql(CREATE, { input });
    expect(codes(res)).toEqual([{ code: 'SOURCE_RATE_LIMITED', source: 'PRIMAERP' }]);
    expect(stack.sims.primaerp.requests.map((r) => r.method)).toEqual(['POST']);
  });
});
