// A client that goes away must not leave upstream calls running: the gateway aborts them and does
// not retry them (regression: an AbortError used to count as a network error and was retried).
import { request } from 'undici';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Stack } from '../support/stack.js';
import { PAGE, reset, startFaultStack } from './support.js';

let stack: Stack;
let entryId: string;
beforeAll(async () => {
  // A deadline far beyond the test, so only the client's going away can end the upstream call.
  stack = await startFaultStack({ OPERATION_TIMEOUT_MS: '60000', XURRENT_RESPONSE_TIMEOUT_MS: '60000' });
  const first = await stack.gql(PAGE, { sources: ['XURRENT'] });
  entryId = first.data.timeEntries.nodes[0].id;
});
afterAll(() => stack.close());

const until = async (condition: () => boolean) => {
  for (let i = 0; i < 250 && !condition(); i++) await new Promise((r) => setTimeout(r, 20));
};

it.each([
  ['a merged list', () => ({ query: PAGE, variables: { sources: ['XURRENT'] } })],
  ['a DataLoader lookup', () => ({ query: 'query($id: ID!) { node(id: $id) { id } }', variables: { id: entryId } })],
])('aborts the upstream call of %s when its client disconnects', async (_name, body) => {
  reset(stack);
  stack.sims.xurrent.faults.hang = true;
  const controller = new AbortController();
  const pending = request(stack.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body()),
    signal: controller.signal,
  }).catch((error: unknown) => error);
  const upstream = stack.sims.xurrent.requests;
  await until(() => upstream.length > 0);
  expect(upstream).toHaveLength(1);
  expect(upstream[0].abandonedAt).toBeUndefined();

  controller.abort();
  await pending;
  await until(() => upstream[0].abandonedAt !== undefined);
  expect(upstream[0].abandonedAt).toBeTypeOf('number');
  await new Promise((r) => setTimeout(r, 200));
  expect(upstream).toHaveLength(1);
});
