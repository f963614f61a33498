import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import type { Stack } from '../support/stack.js';
import { codes, health, page, reset, startFaultStack } from './support.js';
import { SOURCES } from '../../src/sources/registry.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startFaultStack({ XURRENT_BREAKER_FAILURES: '4', XURRENT_BREAKER_COOLDOWN_MS: '400' });
});
afterAll(() => stack.close());
beforeEach(() => reset(stack));

const X = ['XURRENT'];
const STATUS = `{ sourceStatus { source circuit consecutiveFailures openedAt } }`;
const xurrentStatus = async () => (await stack.gql(STATUS)).data.sourceStatus.find((s: { source: string }) => s.source === 'XURRENT');
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Opens Xurrent's circuit with a long 5xx burst: 3 attempts, then 1 more (the 4th failure opens it). */
async function openCircuit() {
  stack.sims.xurrent.faults.failNext = 1000;
  expect(codes(await page(stack, X))).toEqual([{ code: 'SOURCE_UNAVAILABLE', source: 'XURRENT' }]);
  // The 4th failure opens the circuit: this call's retry is refused by it.
  expect(codes(await page(stack, X))).toEqual([{ code: 'SOURCE_UNAVAILABLE', source: 'XURRENT', circuit: 'OPEN', retryAfterMs: expect.any(Number) }]);
  expect(stack.sims.xurrent.requests).toHaveLength(4);
}

it('a long 5xx burst opens the circuit: calls then fail fast without an upstream call; the probe after the cooldown closes it', async () => {
  expect(await xurrentStatus()).toEqual({ source: 'XURRENT', circuit: 'CLOSED', consecutiveFailures: 0, openedAt: null });
  await openCircuit();
  const open = await xurrentStatus();
  expect(open).toMatchObject({ circuit: 'OPEN', consecutiveFailures: 4 });
  expect(Date.parse(open.openedAt)).toBeLessThanOrEqual(Date.now());
  expect((await health(stack)).sources).toEqual(
    SOURCES.map(({ source }) =>
      source === 'XURRENT'
        ? { source, circuit: 'OPEN', consecutiveFailures: 4, openedAt: open.openedAt }
        : { source, circuit: 'CLOSED', consecutiveFailures: 0, openedAt: null },
    ),
  );

  // fail fast: no upstream call, and the other sources still answer
  stack.resetRequests();
  const fast = await page(stack);
  expect(codes(fast)).toEqual([{ code: 'SOURCE_UNAVAILABLE', source: 'XURRENT', circuit: 'OPEN', retryAfterMs: expect.any(Number) }]);
  expect(fast.data.timeEntries.nodes).toHaveLength(5);
  expect(stack.sims.xurrent.requests).toHaveLength(0);

  // the backend recovers; after the cooldown one probe closes the circuit
  stack.sims.xurrent.faults.failNext = 0;
  await pause(450);
  const probe = await page(stack, X);
  expect(probe.errors).toBeUndefined();
  expect(stack.sims.xurrent.requests).toHaveLength(1);
  expect(await xurrentStatus()).toEqual({ source: 'XURRENT', circuit: 'CLOSED', consecutiveFailures: 0, openedAt: null });
  expect((await health(stack)).status).toBe('ok');
});

it('a failed probe opens the circuit again for another cooldown', async () => {
  await openCircuit();
  await pause(450);
  stack.resetRequests();
  // the probe fails; its retry finds the circuit open again and makes no call
  expect(codes(await page(stack, X))).toEqual([{ code: 'SOURCE_UNAVAILABLE', source: 'XURRENT', circuit: 'OPEN', retryAfterMs: expect.any(Number) }]);
  expect(stack.sims.xurrent.requests).toHaveLength(1);
  expect(await xurrentStatus()).toMatchObject({ circuit: 'OPEN', consecutiveFailures: 5 });
  expect(codes(await page(stack, X))).toEqual([{ code: 'SOURCE_UNAVAILABLE', source: 'XURRENT', circuit: 'OPEN', retryAfterMs: expect.any(Number) }]);
  expect(stack.sims.xurrent.requests).toHaveLength(1);
  // leave it closed for the next test
  stack.sims.xurrent.faults.failNext = 0;
  await pause(450);
  expect((await page(stack, X)).errors).toBeUndefined();
});
