// Regression (issue 9): a page cost a second Xurrent request only to learn how the last work date's
// ties end and whether a 101st entry exists. Xurrent's Link header and its id tie order answer both,
// so each page below costs exactly the upstream requests asserted, and hasNextPage stays exact.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack.js';
import { SOURCES } from '../../src/sources/registry.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.close());

const PAGE = `query Page($first: Int, $after: String, $sort: TimeEntrySort, $filter: TimeEntryFilter) {
  timeEntries(first: $first, after: $after, sort: $sort, filter: $filter) {
    nodes { id source sourceId workDate updatedAt description duration { hours } person { name } }
    pageInfo { hasNextPage endCursor }
  }
}`;

interface Row { id: string; source: string; sourceId: string; updatedAt: string; person: { name: string } | null }

/** Requests per backend since the last reset, token fetches apart (they are counted on their own). */
function calls(): Record<string, number> {
  const token = /\/oauth\/token$|\/auth\/login$/;
  return Object.fromEntries(Object.entries(stack.sims).map(([name, sim]) => [name, sim.requests.filter((r) => !token.test(r.path)).length]));
}

/** One Xurrent request, none to any other registered backend. */
const onlyXurrent = () => Object.fromEntries(SOURCES.map(({ field }) => [field, field === 'xurrent' ? 1 : 0]));

async function page(vars: Record<string, unknown>) {
  const res = await stack.gql(PAGE, vars);
  expect(res.errors).toBeUndefined();
  return res.data.timeEntries as { nodes: Row[]; pageInfo: { hasNextPage: boolean; endCursor: string } };
}

/** Every Xurrent entry (not deleted), read before the counted requests. */
async function xurrentRows(): Promise<Row[]> {
  const rows: Row[] = [];
  let after: string | null = null;
  for (;;) {
    const p = await page({ first: 500, after, filter: { sources: ['XURRENT'] } });
    rows.push(...p.nodes);
    if (!p.pageInfo.hasNextPage) return rows;
    after = p.pageInfo.endCursor;
  }
}

describe('upstream calls per page', () => {
  it('100 Xurrent entries with their people: one Xurrent request, the very first request of the run included', async () => {
    stack.resetRequests();
    for (let i = 0; i < 2; i++) {
      const p = await page({ first: 100, filter: { sources: ['XURRENT'] } });
      expect(p.nodes).toHaveLength(100);
      expect(p.nodes.every((n) => n.person?.name)).toBe(true);
      expect(p.pageInfo.hasNextPage).toBe(true);
      expect(stack.sims.xurrent.requests.map((r) => r.path)).toEqual(['/v1/time_entries']);
      expect(calls()).toEqual(onlyXurrent());
      stack.resetRequests();
    }
  });

  it('100 merged from the three backends: one request each for Xurrent and primaERP, Laurel its v2 pages (it cannot sort)', async () => {
    stack.resetRequests();
    const p = await page({ first: 100 });
    expect(p.nodes).toHaveLength(100);
    expect(p.pageInfo.hasNextPage).toBe(true);
    const got = calls();
    expect(got.xurrent).toBe(1);
    expect(got.primaerp).toBe(1);
    // Laurel must be read whole before any of its entries can be placed: as many requests as v2 pages.
    const laurelPages = stack.sims.laurel.requests.filter((r) => r.path.endsWith('/entries'));
    expect(got.laurel).toBe(laurelPages.length);
    expect(laurelPages.filter((r) => r.query.has('cursor'))).toHaveLength(laurelPages.length - 1);
  });

  it('hasNextPage is exact at a page boundary: 100 of exactly 100 ends the list, 100 of 101 does not, one request each', async () => {
    const rows = await xurrentRows();
    expect(rows.length).toBeGreaterThan(101);
    for (const [count, more] of [[100, false], [101, true]] as const) {
      const ids = rows.slice(0, count).map((r) => r.sourceId);
      stack.resetRequests();
      const p = await page({ first: 100, filter: { sources: ['XURRENT'], xurrent: { ids } } });
      expect(p.nodes.map((n) => n.sourceId)).toEqual(rows.filter((r) => ids.includes(r.sourceId)).slice(0, 100).map((r) => r.sourceId));
      expect(p.pageInfo.hasNextPage).toBe(more);
      expect(calls()).toEqual(onlyXurrent());
    }
  });

  it('walks 200 of exactly 200 in two pages of one request each, the second ending the list', async () => {
    const rows = await xurrentRows();
    const ids = rows.slice(0, 200).map((r) => r.sourceId);
    stack.resetRequests();
    const one = await page({ first: 100, sort: 'UPDATED_AT_DESC', filter: { sources: ['XURRENT'], xurrent: { ids } } });
    expect(one.pageInfo.hasNextPage).toBe(true);
    const two = await page({ first: 100, after: one.pageInfo.endCursor, sort: 'UPDATED_AT_DESC', filter: { sources: ['XURRENT'], xurrent: { ids } } });
    expect(two.pageInfo.hasNextPage).toBe(false);
    expect(new Set([...one.nodes, ...two.nodes].map((n) => n.sourceId))).toEqual(new Set(ids));
    // The second page seeks to the cursor's second: at most the entries of that second are read again.
    expect(calls().xurrent).toBeLessThanOrEqual(3);
    expect(calls().xurrent).toBeGreaterThanOrEqual(2);
  });

  it('reads on when the query cannot say the filter exactly (an exclusive bound), so hasNextPage stays exact', async () => {
    const rows = await xurrentRows();
    const chosen = rows.slice(0, 101);
    const oldest = Math.min(...chosen.map((r) => Date.parse(r.updatedAt)));
    const expected = chosen.filter((r) => Date.parse(r.updatedAt) > oldest).length;
    expect(expected).toBeLessThanOrEqual(100);
    stack.resetRequests();
    const p = await page({
      first: 100,
      sort: 'UPDATED_AT_ASC',
      filter: { sources: ['XURRENT'], updatedAfter: new Date(oldest).toISOString(), xurrent: { ids: chosen.map((r) => r.sourceId) } },
    });
    expect(p.nodes).toHaveLength(expected);
    expect(p.pageInfo.hasNextPage).toBe(false);
    // Xurrent answers `>=` the bound: its first page still holds an entry the filter excludes.
    expect(calls().xurrent).toBe(2);
  });

  it('nodes of 50 mixed ids with their people: one request per backend', async () => {
    const p = await page({ first: 50 });
    const ids = p.nodes.map((n) => n.id);
    expect(new Set(p.nodes.map((n) => n.source)).size).toBe(SOURCES.length);
    stack.resetRequests();
    const res = await stack.gql(`query($ids: [ID!]!) { nodes(ids: $ids) { id ... on TimeEntry { person { name } } } }`, { ids });
    expect(res.errors).toBeUndefined();
    expect(res.data.nodes.map((n: { id: string }) => n.id)).toEqual(ids);
    const made = calls();
    expect(made).toMatchObject({ laurel: 1, xurrent: 1, primaerp: 1 });
    // Every other registered backend is asked too (its people may need a call of their own).
    for (const [name, n] of Object.entries(made)) expect(n, name).toBeGreaterThanOrEqual(1);
  });
});
