import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import type { Stack } from '../support/stack.js';
import { codes, page, reset, startFaultStack } from './support.js';
import { SOURCES } from '../../src/sources/registry.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startFaultStack({ OPERATION_TIMEOUT_MS: '1500', XURRENT_RESPONSE_TIMEOUT_MS: '5000' });
});
afterAll(() => stack.close());
beforeEach(() => reset(stack));

it('a hanging backend: the operation returns within its deadline plus one second, with the others\' data', async () => {
  stack.sims.xurrent.faults.hang = true;
  const started = Date.now();
  const res = await page(stack);
  expect(Date.now() - started).toBeLessThan(1500 + 1000);
  expect(codes(res)).toEqual([{ code: 'SOURCE_TIMEOUT', source: 'XURRENT' }]);
  expect(res.data.timeEntries.unavailableSources).toEqual(['XURRENT']);
  // cut by the deadline, not retried: there is no time left
  expect(stack.sims.xurrent.requests).toHaveLength(1);
  // the other sources' part is complete: the same page as without Xurrent
  const others = await page(stack, SOURCES.map((s) => s.source).filter((s) => s !== 'XURRENT'));
  expect(res.data.timeEntries.nodes).toEqual(others.data.timeEntries.nodes);
  expect(res.data.timeEntries.nodes).toHaveLength(5);
});

it('a hanging lookup through a DataLoader batch is bounded by the same deadline', async () => {
  const first = await page(stack, ['XURRENT']);
  const id = first.data.timeEntries.nodes[0].id;
  stack.resetRequests();
  stack.sims.xurrent.faults.hang = true;
  const started = Date.now();
  const res = await stack.gql(`query($id: ID!) { node(id: $id) { id } }`, { id });
  expect(Date.now() - started).toBeLessThan(1500 + 1000);
  expect(res.data.node).toBeNull();
  expect(codes(res)).toEqual([{ code: 'SOURCE_TIMEOUT', source: 'XURRENT' }]);
  expect(stack.sims.xurrent.requests).toHaveLength(1);
});
