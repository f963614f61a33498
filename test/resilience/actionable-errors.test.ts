// Errors a client can act on: a rate limit says when to come back (extensions.retryAfterMs, and HTTP
// Retry-After when the whole response failed); an open circuit says so (extensions.circuit: "OPEN").
import { request } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Stack } from '../support/stack.js';
import { PAGE, reset, startFaultStack } from './support.js';

let stack: Stack;
// Each test its own stack: a rate-limit answer pauses its backend for the rest of the stack's life.
beforeEach(async () => {
  stack = await startFaultStack({ XURRENT_BREAKER_FAILURES: '2', XURRENT_BREAKER_COOLDOWN_MS: '5000', XURRENT_MAX_RETRIES: '0' });
  reset(stack);
});
afterEach(() => stack?.close());

/** The page over `sources`, with the HTTP answer's status and headers. */
async function post(query: string, variables?: Record<string, unknown>) {
  const res = await request(stack.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  return { status: res.statusCode, headers: res.headers, body: (await res.body.json()) as { data?: any; errors?: Array<{ extensions?: Record<string, unknown> }> } };
}

describe('a rate-limit answer', () => {
  it("carries retryAfterMs from the backend's Retry-After, and the whole failure carries Retry-After", async () => {
    Object.assign(stack.sims.xurrent.faults, { failNext: 1, errorStatus: 429, retryAfter: '3' });
    const res = await post(PAGE, { sources: ['XURRENT'] });
    expect(res.body.errors?.map((e) => e.extensions)).toEqual([{ code: 'SOURCE_RATE_LIMITED', source: 'XURRENT', retryAfterMs: 3000 }]);
    expect(res.body.data.timeEntries).toMatchObject({ nodes: [], unavailableSources: ['XURRENT'] });
    expect(res.headers['retry-after']).toBe('3');
  });

  it('a partial answer (the other backends served) carries retryAfterMs but no Retry-After header', async () => {
    Object.assign(stack.sims.xurrent.faults, { failNext: 1, errorStatus: 429, retryAfter: '2' });
    const res = await post(PAGE);
    expect(res.body.errors?.map((e) => e.extensions)).toEqual([{ code: 'SOURCE_RATE_LIMITED', source: 'XURRENT', retryAfterMs: 2000 }]);
    expect(res.body.data.timeEntries.nodes.length).toBeGreaterThan(0);
    expect(res.headers['retry-after']).toBeUndefined();
  });

  it("without a Retry-After, retryAfterMs is the pause TimeGraph keeps (primaERP's PE01-9002: its 10 s window)", async () => {
    await stack.close();
    // primaERP's own limit on, as in production: its window is what a PE01-9002 without Retry-After pauses.
    stack = await startFaultStack({ PRIMAERP_RATE_LIMIT: '500/10s' });
    reset(stack);
    Object.assign(stack.sims.primaerp.faults, { failNext: 1, errorStatus: 503 });
    const res = await post(PAGE, { sources: ['PRIMAERP'] });
    const [error] = res.body.errors ?? [];
    expect(error.extensions).toMatchObject({ code: 'SOURCE_RATE_LIMITED', source: 'PRIMAERP' });
    expect(error.extensions!.retryAfterMs).toBeGreaterThan(9_000);
    expect(error.extensions!.retryAfterMs).toBeLessThanOrEqual(10_000);
    expect(Number(res.headers['retry-after'])).toBe(10);
  });
});

describe('an open circuit', () => {
  it('fails fast with circuit: "OPEN" and its cooldown as retryAfterMs; a real 5xx has neither', async () => {
    stack.sims.xurrent.faults.failNext = 1000;
    const real = await post(PAGE, { sources: ['XURRENT'] });
    expect(real.body.errors?.map((e) => e.extensions)).toEqual([{ code: 'SOURCE_UNAVAILABLE', source: 'XURRENT' }]);
    await post(PAGE, { sources: ['XURRENT'] });
    const calls = stack.sims.xurrent.requests.length;
    const fast = await post(PAGE, { sources: ['XURRENT'] });
    expect(stack.sims.xurrent.requests).toHaveLength(calls);
    const [error] = fast.body.errors ?? [];
    expect(error.extensions).toMatchObject({ code: 'SOURCE_UNAVAILABLE', source: 'XURRENT', circuit: 'OPEN' });
    expect(error.extensions!.retryAfterMs).toBeGreaterThan(4_000);
    expect(error.extensions!.retryAfterMs).toBeLessThanOrEqual(5_000);
    expect(Number(fast.headers['retry-after'])).toBe(5);
  });
});
