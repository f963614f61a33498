import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import type { Stack } from '../support/stack.js';
import { codes, page, reset, startFaultStack } from './support.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startFaultStack({ XURRENT_RESPONSE_TIMEOUT_MS: '300', XURRENT_MAX_RETRIES: '1', XURRENT_BREAKER_FAILURES: '100' });
});
afterAll(() => stack.close());
beforeEach(() => reset(stack));

const X = ['XURRENT'];

it.each(['html', 'truncated', 'invalid-json'] as const)('a malformed answer (%s) is SOURCE_BAD_RESPONSE, not retried, and no body reaches the client', async (kind) => {
  Object.assign(stack.sims.xurrent.faults, { malformedRate: 1, malformedBody: kind });
  const res = await page(stack, X);
  expect(codes(res)).toEqual([{ code: 'SOURCE_BAD_RESPONSE', source: 'XURRENT' }]);
  expect(res.data.timeEntries.unavailableSources).toEqual(['XURRENT']);
  expect(stack.sims.xurrent.requests).toHaveLength(1);
  const text = JSON.stringify(res);
  for (const leak of ['<html', 'Bad Gateway', 'oops', 'time_spent', stack.sims.xurrent.origin]) expect(text).not.toContain(leak);
});

it('a slow-drip body that does not finish within the response timeout is SOURCE_TIMEOUT after 1 + 1 attempts', async () => {
  stack.sims.xurrent.faults.dripMs = 50;
  const res = await page(stack, X);
  expect(codes(res)).toEqual([{ code: 'SOURCE_TIMEOUT', source: 'XURRENT' }]);
  expect(res.data.timeEntries.unavailableSources).toEqual(['XURRENT']);
  expect(stack.sims.xurrent.requests).toHaveLength(2);
});

it('a hanging backend is cut by the response timeout when it is shorter than the deadline', async () => {
  stack.sims.xurrent.faults.hang = true;
  const res = await page(stack);
  expect(codes(res)).toEqual([{ code: 'SOURCE_TIMEOUT', source: 'XURRENT' }]);
  expect(stack.sims.xurrent.requests).toHaveLength(2);
});
