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
  expect(codes(res)).toEqual([{ code: 'SOURCE_RATE_LIMITED', source: 'XURRENT' }]);
  expect(res.data.timeEntries.unavailableSources).toEqual(['XURRENT']);
  expect(res.data.timeEntries.nodes).toHaveLength(5);
  expect(refused.sims.xurrent.requests).toHaveLength(0);
});
