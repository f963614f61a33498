// Regression: an answer that is valid JSON but not a valid record (a missing id, a duration of the
// wrong type) must become SOURCE_BAD_RESPONSE for that backend, never a crash or a generic error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LaurelSimulatorHandle } from '../../src/simulators/laurel/index.js';
import type { PrimaerpSimulatorHandle } from '../../src/simulators/primaerp/index.js';
import type { XurrentSimulatorHandle } from '../../src/simulators/xurrent/index.js';
import type { RunningSimulator } from '../../src/simulators/registry.js';
import { startStack, type Stack } from '../support/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.close());


/** Corrupts one stored record for the duration of `fn`. */
async function withCorrupted<T extends object>(record: T, patch: Record<string, unknown>, fn: () => Promise<void>) {
  const saved = { ...record };
  Object.assign(record, patch);
  try {
    await fn();
  } finally {
    for (const key of Object.keys(patch)) delete (record as Record<string, unknown>)[key];
    Object.assign(record, saved);
  }
}

const stored = {
  XURRENT: (id: string) => (stack.sims.xurrent as RunningSimulator & XurrentSimulatorHandle).store.entries.get(Number(id))!,
  PRIMAERP: (id: string) => (stack.sims.primaerp as RunningSimulator & PrimaerpSimulatorHandle).store.records.get(id)!,
  LAUREL: (id: string) => (stack.sims.laurel as RunningSimulator & LaurelSimulatorHandle).store.get(id)!,
};

describe('records of the wrong shape', () => {
  it.each([
    ['XURRENT', { time_spent: 'two hours' }],
    ['PRIMAERP', { duration: 'PT6H' }],
    ['LAUREL', { incrementDurationInSeconds: 'an hour' }],
  ] as const)('make %s unavailable with SOURCE_BAD_RESPONSE in lists and lookups', async (source, patch) => {
    const before = await stack.gql(`query($s: [TimeSource!]) { timeEntries(first: 1, filter: { sources: $s }) { nodes { id sourceId } } }`, { s: [source] });
    const { id, sourceId } = before.data.timeEntries.nodes[0];
    await withCorrupted(stored[source](sourceId), patch, async () => {
      const res = await stack.gql(
        `query($id: ID!, $s: [TimeSource!]) { a: timeEntries(first: 5, filter: { sources: $s }) { unavailableSources nodes { id } } b: node(id: $id) { id } }`,
        { id, s: [source] },
      );
      expect(res.data.a).toEqual({ unavailableSources: [source], nodes: [] });
      expect(res.data.b).toBeNull();
      const codes = (res.errors ?? []).map((e) => [e.path?.[0], e.extensions?.code, e.extensions?.source]);
      expect(codes).toEqual([
        ['b', 'SOURCE_BAD_RESPONSE', source],
        ['a', 'SOURCE_BAD_RESPONSE', source],
      ]);
      expect(JSON.stringify(res.errors)).not.toMatch(/two hours|PT6H|an hour|TypeError|\.ts/);
    });
  });
});
