// timeEntries over real HTTP against the three simulators: the merged walk, filters, partial failure.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type GraphQLResponse, type Stack } from '../support/stack.js';
import { SOURCES } from '../../src/sources/registry.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.close());

interface Row { id: string; source: string; sourceId: string; workDate: string | null; updatedAt: string; deleted: boolean }

const PAGE = `query Page($first: Int, $after: String, $sort: TimeEntrySort, $filter: TimeEntryFilter) {
  timeEntries(first: $first, after: $after, sort: $sort, filter: $filter) {
    edges { cursor node { id source sourceId workDate updatedAt deleted } }
    pageInfo { hasNextPage endCursor }
    unavailableSources
  }
}`;

async function walk(vars: Record<string, unknown>, first: number): Promise<{ rows: Row[]; pages: number; cursors: string[] }> {
  const rows: Row[] = [];
  const cursors: string[] = [];
  let after: string | null = (vars.after as string | undefined) ?? null;
  let pages = 0;
  for (;;) {
    const res: GraphQLResponse = await stack.gql(PAGE, { ...vars, first, after });
    expect(res.errors).toBeUndefined();
    const conn: { edges: Array<{ cursor: string; node: Row }>; pageInfo: { hasNextPage: boolean; endCursor: string } } = res.data.timeEntries;
    pages++;
    rows.push(...conn.edges.map((e) => e.node));
    cursors.push(...conn.edges.map((e) => e.cursor));
    if (!conn.pageInfo.hasNextPage) return { rows, pages, cursors };
    expect(conn.edges).toHaveLength(first);
    after = conn.pageInfo.endCursor;
  }
}

/** The documented order, written independently of src/merge/order.ts. */
function expectedOrder(sort: string) {
  const desc = sort.endsWith('DESC');
  const key = (r: Row) => (sort.startsWith('WORK') ? (r.workDate ?? '') : Date.parse(r.updatedAt));
  const id = (s: string) => (/^\d+$/.test(s) ? s.padStart(20, '0') : s);
  return (a: Row, b: Row) => {
    const ka = key(a), kb = key(b);
    if (ka !== kb) return (ka < kb ? -1 : 1) * (desc ? -1 : 1);
    if (a.source !== b.source) return a.source < b.source ? -1 : 1;
    return id(a.sourceId) < id(b.sourceId) ? -1 : id(a.sourceId) > id(b.sourceId) ? 1 : 0;
  };
}

describe('timeEntries across all sources', () => {
  it('walks first: 37 returning each entry exactly once, in order, with no gaps', async () => {
    const perSource: Row[] = [];
    for (const { source } of SOURCES) {
      const { rows } = await walk({ filter: { sources: [source] } }, 500);
      expect(rows.length).toBeGreaterThan(100);
      expect(rows.every((r) => r.source === source && !r.deleted)).toBe(true);
      perSource.push(...rows);
    }
    const { rows, pages } = await walk({}, 37);
    expect(pages).toBe(Math.ceil(perSource.length / 37));
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
    expect(rows.map((r) => r.id)).toEqual([...perSource].sort(expectedOrder('WORK_DATE_DESC')).map((r) => r.id));
  });

  it('resumes from a cursor among the entries without a work date (the tail of WORK_DATE_DESC)', async () => {
    // A page that ends on an undated entry leaves only undated entries to read: backends whose
    // entries always have a date must answer none, not read everything and promise more.
    const { rows, cursors } = await walk({}, 500);
    const firstUndated = rows.findIndex((r) => r.workDate === null);
    expect(firstUndated).toBeGreaterThan(0);
    expect(rows.length - firstUndated).toBeGreaterThan(1);
    const { rows: tail } = await walk({ after: cursors[firstUndated] }, 20);
    expect(tail.map((r) => r.id)).toEqual(rows.slice(firstUndated + 1).map((r) => r.id));
    expect(tail.every((r) => r.workDate === null)).toBe(true);
  });

  it.each(['WORK_DATE_ASC', 'UPDATED_AT_DESC', 'UPDATED_AT_ASC'])('walks %s in order with deleted entries included', async (sort) => {
    const { rows } = await walk({ sort, filter: { includeDeleted: true } }, 113);
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
    expect(rows).toEqual([...rows].sort(expectedOrder(sort)));
    for (const source of ['LAUREL', 'XURRENT', 'PRIMAERP']) {
      expect(rows.some((r) => r.source === source && r.deleted)).toBe(true);
    }
  });

  it('applies the work date and updated windows to every source', async () => {
    const { rows: all } = await walk({ sort: 'WORK_DATE_ASC' }, 500);
    const dates = [...new Set(all.map((r) => r.workDate).filter((d): d is string => d !== null))].sort();
    const from = dates[Math.floor(dates.length / 3)];
    const to = dates[Math.floor((2 * dates.length) / 3)];
    const { rows } = await walk({ sort: 'WORK_DATE_ASC', filter: { workDateFrom: from, workDateTo: to } }, 50);
    expect(rows.map((r) => r.id)).toEqual(all.filter((r) => r.workDate !== null && r.workDate >= from && r.workDate <= to).map((r) => r.id));
    expect(new Set(rows.map((r) => r.source)).size).toBe(SOURCES.length);

    const instants = all.map((r) => Date.parse(r.updatedAt)).sort((a, b) => a - b);
    const after = new Date(instants[Math.floor(instants.length / 2)]).toISOString();
    const before = new Date(instants[Math.floor((3 * instants.length) / 4)]).toISOString();
    const { rows: window } = await walk({ sort: 'UPDATED_AT_ASC', filter: { updatedAfter: after, updatedBefore: before } }, 60);
    const expected = all
      .filter((r) => Date.parse(r.updatedAt) > Date.parse(after) && Date.parse(r.updatedAt) <= Date.parse(before))
      .sort(expectedOrder('UPDATED_AT_ASC'));
    expect(window.map((r) => r.id)).toEqual(expected.map((r) => r.id));
  });

  it('rejects a cursor from another query, naming the argument', async () => {
    const first = await stack.gql(PAGE, { first: 5 });
    const res = await stack.gql(PAGE, { first: 5, after: first.data.timeEntries.pageInfo.endCursor, sort: 'UPDATED_AT_ASC' });
    expect(res.errors?.[0].message).toContain('"after"');
    expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it.each([
    [{ first: 501 }, 'first', '501'],
    [{ first: -1 }, 'first', '-1'],
    [{ filter: { workDateFrom: '2026-02-30' } }, 'workDateFrom', '2026-02-30'],
    [{ filter: { updatedAfter: 'last tuesday' } }, 'updatedAfter', 'last tuesday'],
    [{ filter: { workDateFrom: '2026-05-02', workDateTo: '2026-05-01' } }, 'workDateTo', '2026-05-01'],
  ])('rejects bad input %j naming the argument and value', async (vars, argument, value) => {
    stack.resetRequests();
    const res = await stack.gql(PAGE, vars);
    expect(res.data?.timeEntries ?? null).toBeNull();
    expect(res.errors?.[0].message).toContain(argument);
    expect(res.errors?.[0].message).toContain(value);
    expect(Object.values(stack.sims).every((s) => s.requests.length === 0)).toBe(true);
  });

  it('returns the other sources and a typed error when one backend fails', async () => {
    stack.sims.xurrent.faults = { ...stack.sims.xurrent.faults, errorRate: 1, errorStatus: 503 };
    try {
      const res = await stack.gql(PAGE, { first: 30 });
      const conn = res.data.timeEntries;
      expect(conn.unavailableSources).toEqual(['XURRENT']);
      expect(conn.edges).toHaveLength(30);
      expect(conn.edges.every((e: { node: Row }) => e.node.source !== 'XURRENT')).toBe(true);
      expect(res.errors).toHaveLength(1);
      expect(res.errors?.[0].extensions).toEqual({ code: 'SOURCE_UNAVAILABLE', source: 'XURRENT' });
      expect(res.errors?.[0].path).toEqual(['timeEntries']);
    } finally {
      stack.sims.xurrent.faults = { ...stack.sims.xurrent.faults, errorRate: 0 };
    }
  });

  it('reports a malformed backend answer as SOURCE_BAD_RESPONSE without leaking the body', async () => {
    stack.sims.primaerp.faults = { ...stack.sims.primaerp.faults, malformedRate: 1 };
    try {
      const res = await stack.gql(PAGE, { first: 10 });
      expect(res.data.timeEntries.unavailableSources).toEqual(['PRIMAERP']);
      expect(res.errors?.[0].extensions).toEqual({ code: 'SOURCE_BAD_RESPONSE', source: 'PRIMAERP' });
      expect(JSON.stringify(res.errors)).not.toMatch(/token|http:\/\/|\{"id"/);
    } finally {
      stack.sims.primaerp.faults = { ...stack.sims.primaerp.faults, malformedRate: 0 };
    }
  });
});

describe('backend-specific filters', () => {
  it('restricts the query to the backends they name', async () => {
    const res = await stack.gql(PAGE, { first: 100, filter: { xurrent: { personId: '7' } }, sort: 'WORK_DATE_ASC' });
    const rows: Row[] = res.data.timeEntries.edges.map((e: { node: Row }) => e.node);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.source === 'XURRENT')).toBe(true);
  });

  it('passes a backend\'s input error through, naming the field', async () => {
    const res = await stack.gql(PAGE, { first: 5, filter: { primaerp: { projectId: 'a', taskId: 'b' } } });
    expect(res.data?.timeEntries ?? null).toBeNull();
    expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0].message).toContain('filter.primaerp');
  });
});
