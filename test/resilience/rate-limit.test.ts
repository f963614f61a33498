import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Stack } from '../support/stack.js';
import { codes, page, reset, startFaultStack } from './support.js';

let queued: Stack;
let refused: Stack;
beforeAll(async () => {
  // the warm-up query of each stack takes one Xurrent call of the window
  [queued, refused] = await Promise.all([
    startFaultStack({ XURRENT_RATE_LIMIT: '2/1s', XURRENT_COALESCE: 'off' }), // three identical reads: not coalesced, so the limiter is what spaces them
    startFaultStack({ XURRENT_RATE_LIMIT: '1/1h' }),
  ]);
});
afterAll(() => Promise.all([queued.close(), refused.close()]));

it('queues calls over the client-side limit while the deadline allows', async () => {
  await new Promise((r) => setTimeout(r, 1000));
  reset(queued);
  const results = await Promise.all([page(queued, ['XURRENT']), page(queued, ['XURRENT']), page(queued, ['XURRENT'])]);
  for (const res of results) expect(res.errors).toBeUndefined();
  const at = queued.sims.xurrent.requests.map((r) => r.at).sort((a, b) => a - b);
  expect(at).toHaveLength(3);
  // never more than 2 calls in any second (sent a second apart; arrival adds a few ms of jitter)
  expect(at[2] - at[0]).toBeGreaterThanOrEqual(950);
});

it('fails with SOURCE_RATE_LIMITED and no upstream call when the slot is past the deadline', async () => {
  reset(refused);
  const res = await page(refused);
  // the slot of 1/1h is an hour after the warm-up's: retryAfterMs says so
  expect(codes(res)).toEqual([{ code: 'SOURCE_RATE_LIMITED', source: 'XURRENT', retryAfterMs: expect.any(Number) }]);
  expect(codes(res)[0]?.retryAfterMs).toBeGreaterThan(3_500_000);
  expect(res.data.timeEntries.unavailableSources).toEqual(['XURRENT']);
  expect(res.data.timeEntries.nodes).toHaveLength(5);
  expect(refused.sims.xurrent.requests).toHaveLength(0);
});

/** The most requests that arrived within any `windowMs` (a sliding window over arrival times). */
export function busiestWindow(at: readonly number[], windowMs: number): number {
  const sorted = [...at].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; j < sorted.length; j++) {
    while (sorted[j] - sorted[i] >= windowMs) i++;
    most = Math.max(most, j - i + 1);
  }
  return most;
}

// Regression: slots were stamped when reserved, so under load 21 requests reached Xurrent within one
// 2 s window. The window now counts sends, retries included.
it('under load, with retries, Xurrent never receives more than 20 requests in any 2 s and answers no 429', async () => {
  const stack = await startFaultStack({ XURRENT_RATE_LIMIT: '20/2s,3600/1h' }, { vendorLimits: true });
  try {
    reset(stack);
    // some answers fail, so that retries compete for the same slots
    Object.assign(stack.sims.xurrent.faults, { latencyMs: 30, errorRate: 0.15, errorStatus: 502 });
    // 40 distinct reads (one upstream call each), so none is coalesced with another
    const day = (i: number) => new Date(Date.UTC(2020, 0, 1 + i)).toISOString().slice(0, 10);
    const reads = Array.from({ length: 40 }, (_, i) =>
      stack.gql(`{ timeEntries(first: 5, filter: { sources: [XURRENT], workDateFrom: "${day(i)}" }) { nodes { id } unavailableSources } }`),
    );
    const results = await Promise.all(reads);
    const requests = stack.sims.xurrent.requests;
    // retries went out too
    expect(requests.filter((r) => r.status === 502).length).toBeGreaterThan(0);
    expect(requests.length).toBeGreaterThan(40);
    expect(requests.filter((r) => r.status === 429)).toHaveLength(0);
    expect(busiestWindow(requests.map((r) => r.at), 2000)).toBeLessThanOrEqual(20);
    for (const res of results) {
      for (const code of codes(res)) expect(code).toEqual(expect.objectContaining({ code: 'SOURCE_UNAVAILABLE', source: 'XURRENT' }));
    }
    expect(results.filter((r) => !r.errors).length).toBeGreaterThan(30);
  } finally {
    await stack.close();
  }
});
