// node/nodes over real HTTP: batched per source, matched by key, bad ids isolated.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeId } from '../../src/core/ids.js';
import { startStack, type Stack } from '../support/stack.js';

let stack: Stack;
let ids: Array<{ id: string; source: string; sourceId: string }>;

beforeAll(async () => {
  stack = await startStack();
  const res = await stack.gql(`{ timeEntries(first: 400, sort: UPDATED_AT_DESC, filter: { includeDeleted: true }) { nodes { id source sourceId } } }`);
  const all = res.data.timeEntries.nodes as typeof ids;
  const bySource = (s: string) => all.filter((n) => n.source === s);
  // 50 ids spread over the three sources, interleaved
  const picked = [...bySource('LAUREL').slice(0, 17), ...bySource('XURRENT').slice(0, 17), ...bySource('PRIMAERP').slice(0, 16)];
  ids = picked.sort((a, b) => (a.sourceId < b.sourceId ? -1 : 1));
});
afterAll(() => stack.close());

const entryRequests = (sim: { requests: Array<{ path: string }> }, pattern: RegExp) => sim.requests.filter((r) => pattern.test(r.path)).length;

describe('nodes', () => {
  it('resolves 50 mixed ids in order with one entry request per source for Xurrent and primaERP', async () => {
    expect(ids).toHaveLength(50);
    stack.resetRequests();
    const res = await stack.gql(`query($ids: [ID!]!) { nodes(ids: $ids) { id ... on TimeEntry { source sourceId } } }`, { ids: ids.map((n) => n.id) });
    expect(res.errors).toBeUndefined();
    expect(res.data.nodes).toEqual(ids);
    expect(entryRequests(stack.sims.xurrent, /\/time_entries/)).toBe(1);
    expect(entryRequests(stack.sims.primaerp, /\/timerecords/)).toBe(1);
    // Laurel has no get-by-id: one scan of the entries updated since the oldest requested one was created
    const laurelPages = entryRequests(stack.sims.laurel, /\/entries/);
    expect(laurelPages).toBeGreaterThanOrEqual(1);
    expect(laurelPages).toBeLessThanOrEqual(6);
  });

  it('batches Xurrent people details into one People API request', async () => {
    const xurrentIds = ids.filter((n) => n.source === 'XURRENT').map((n) => n.id);
    stack.resetRequests();
    const res = await stack.gql(`query($ids: [ID!]!) { nodes(ids: $ids) { ... on TimeEntry { person { id name email } } } }`, { ids: xurrentIds });
    expect(res.errors).toBeUndefined();
    const people = res.data.nodes.map((n: { person: { email: string | null } }) => n.person);
    expect(people.every((p: { email: string | null }) => typeof p.email === 'string' && p.email.includes('@'))).toBe(true);
    expect(entryRequests(stack.sims.xurrent, /\/people/)).toBe(1);
    expect(entryRequests(stack.sims.xurrent, /\/time_entries/)).toBe(1);
  });

  it('returns null with a named error for malformed and unknown ids, and resolves the rest', async () => {
    const good = ids[0].id;
    const unknownXurrent = encodeId('TimeEntry', 'XURRENT', '999999999');
    const unknownPrima = encodeId('TimeEntry', 'PRIMAERP', '00000000-0000-4000-8000-000000000000');
    const res = await stack.gql(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, {
      ids: ['not-an-id', good, unknownXurrent, encodeId('TimeEntry', 'XURRENT', 'abc'), unknownPrima],
    });
    expect(res.data.nodes).toEqual([null, { id: good }, null, null, null]);
    const byPath = Object.fromEntries((res.errors ?? []).map((e) => [e.path?.join('.'), e]));
    expect(byPath['nodes.0'].message).toContain('ids[0]');
    expect(byPath['nodes.0'].message).toContain('not-an-id');
    expect(byPath['nodes.2'].extensions?.code).toBe('NOT_FOUND');
    expect(byPath['nodes.2'].message).toContain(unknownXurrent);
    expect(byPath['nodes.3'].extensions?.code).toBe('BAD_USER_INPUT');
    expect(byPath['nodes.4'].extensions?.code).toBe('NOT_FOUND');
  });

  it('fetches one entry by node id with the same data timeEntries gave', async () => {
    for (const n of [ids[0], ids.find((i) => i.source === 'PRIMAERP')!, ids.find((i) => i.source === 'LAUREL')!]) {
      const res = await stack.gql(`query($id: ID!) { node(id: $id) { id ... on TimeEntry { sourceId source } } }`, { id: n.id });
      expect(res.data.node).toEqual(n);
    }
  });

  it('resolves people by id', async () => {
    const res = await stack.gql(`query($id: ID!) { node(id: $id) { ... on Person { source sourceId name email } } }`, {
      id: encodeId('Person', 'XURRENT', '7'),
    });
    expect(res.data.node).toEqual({ source: 'XURRENT', sourceId: '7', name: 'Chess Cole', email: expect.stringContaining('@') });
  });
});
