// Relay and Apollo read PageInfo and `id` as the Relay specification defines them: a complete
// PageInfo, backward paging refused by name, and ids that are unique across every Node type.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack.js';
import { SOURCES } from '../../src/sources/registry.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.close());

const PAGE = `query Page($first: Int, $after: String) {
  timeEntries(first: $first, after: $after, sort: UPDATED_AT_ASC) {
    edges { cursor node { id } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;
const upstreamCalls = () => Object.values(stack.sims).reduce((n, sim) => n + sim.requests.length, 0);

describe('PageInfo', () => {
  it('has startCursor and endCursor of the page, and hasPreviousPage false when paging forward', async () => {
    const one = (await stack.gql(PAGE, { first: 3 })).data.timeEntries;
    expect(one.pageInfo).toEqual({ hasNextPage: true, hasPreviousPage: false, startCursor: one.edges[0].cursor, endCursor: one.edges[2].cursor });
    const two = (await stack.gql(PAGE, { first: 3, after: one.pageInfo.endCursor })).data.timeEntries;
    expect(two.pageInfo).toEqual({ hasNextPage: true, hasPreviousPage: false, startCursor: two.edges[0].cursor, endCursor: two.edges[2].cursor });
    expect(two.pageInfo.startCursor).not.toBe(one.pageInfo.endCursor);
  });

  it('has null cursors for an empty page', async () => {
    const empty = (await stack.gql(PAGE, { first: 0 })).data.timeEntries;
    expect(empty).toEqual({ edges: [], pageInfo: { hasNextPage: true, hasPreviousPage: false, startCursor: null, endCursor: null } });
  });

  it.each([
    ['last', 'query { timeEntries(last: 5) { nodes { id } } }', 'Argument "last" has invalid value 5'],
    ['before', 'query { timeEntries(first: 5, before: "abc") { nodes { id } } }', 'Argument "before" has invalid value "abc"'],
  ])('refuses %s (backward paging) with BAD_USER_INPUT naming it, before any upstream call', async (argument, query, message) => {
    stack.resetRequests();
    const res = await stack.gql(query);
    expect(res.data).toBeNull();
    expect(res.errors).toEqual([expect.objectContaining({ message: expect.stringContaining(message), extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', argument }) })]);
    expect(res.errors![0].message).toContain('forward only');
    expect(upstreamCalls()).toBe(0);
  });
});

describe('global ids', () => {
  it('are unique across every Node type, and node() returns the type each id was read as', async () => {
    const seen = new Map<string, string>();
    let after: string | null = null;
    for (let page = 0; page < 3; page++) {
      const res: any = await stack.gql(
        `query($after: String) { timeEntries(first: 200, after: $after) { nodes { __typename id person { __typename id } } pageInfo { endCursor } } }`,
        { after },
      );
      for (const entry of res.data.timeEntries.nodes) {
        for (const node of [entry, entry.person].filter(Boolean)) {
          const before = seen.get(node.id);
          expect(before === undefined || before === node.__typename, `${node.id} is both ${before} and ${node.__typename}`).toBe(true);
          seen.set(node.id, node.__typename);
        }
      }
      after = res.data.timeEntries.pageInfo.endCursor;
    }
    const typenames = new Set(seen.values());
    expect([...typenames].sort()).toEqual([...SOURCES.map((s) => s.typename), 'Person'].sort());
    const sample = [...typenames].map((t) => [...seen].find(([, name]) => name === t)![0]);
    const back = await stack.gql(`query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }`, { ids: sample });
    expect(back.data.nodes).toEqual(sample.map((id) => ({ id, __typename: seen.get(id) })));
  });
});
