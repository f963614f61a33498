import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calendarDayIn, parseMsJsonDate } from '../../../src/units/dates.js';
import type { EntryFilter, ListRequest, SortKey, TimeEntrySort } from '../../../src/core/contract.js';
import type { RawTimeRecord } from '../../../src/sources/primaerp/raw.js';
import { DEFAULT_ANCHOR_MS } from '../../../src/simulators/common/people.js';
import { collect, startRig, type Rig } from './helpers.js';

let rig: Rig;
beforeAll(async () => {
  rig = await startRig({ rateLimit: { limit: 100_000, windowMs: 10_000 } });
});
afterAll(() => rig.close());

const ms = (d: string | null | undefined) => (d ? parseMsJsonDate(d) : null);

/** The oracle: which simulator records a request must yield, computed independently of the adapter. */
function expectedIds(request: ListRequest, flags: { billable?: boolean } = {}, on: Rig = rig): string[] {
  const f = request.filter;
  const out: string[] = [];
  for (const r of on.sim.store.records.values() as Iterable<RawTimeRecord>) {
    const start = ms(r.start);
    const workDate = start === null ? null : calendarDayIn(start, r.user?.timeZone);
    const updated = ms(r.updatedAt)!;
    if (!f.includeDeleted && r.trashItem) continue;
    if (f.updatedAfterMs !== undefined && updated <= f.updatedAfterMs) continue;
    if (f.updatedBeforeMs !== undefined && updated > f.updatedBeforeMs) continue;
    if ((f.workDateFrom || f.workDateTo) && workDate === null) continue;
    if (f.workDateFrom && workDate! < f.workDateFrom) continue;
    if (f.workDateTo && workDate! > f.workDateTo) continue;
    if (flags.billable !== undefined && (r.billable ?? null) !== flags.billable) continue;
    if (request.from !== undefined) {
      const key: SortKey = request.sort.startsWith('WORK') ? (workDate ?? '') : updated;
      const asc = request.sort.endsWith('ASC');
      if (asc ? key < request.from : key > request.from) continue;
    }
    out.push(r.id);
  }
  return out.sort();
}

const DAY = 86_400_000;
const day = (t: number) => new Date(t).toISOString().slice(0, 10);

describe('primaERP list: paging and pushdown', () => {
  it('pages with $top/$skip until a short page, then reads the undated records last (descending)', async () => {
    const before = rig.sim.requests.length;
    const request: ListRequest = { sort: 'WORK_DATE_DESC', filter: { includeDeleted: true }, limit: 150 };
    const { entries, batches } = await collect(rig.adapter, request);
    const calls = rig.sim.requests.slice(before).filter((c) => c.path !== '/v1/auth/login');
    expect(calls.map((c) => [c.path, c.query.get('$top'), c.query.get('$skip'), c.query.get('$orderby'), c.query.get('$filter')])).toEqual([
      ['/v1/time/timerecords', '151', '0', 'start desc,id asc', 'start ne null'],
      ['/v1/time/timerecords', '151', '151', 'start desc,id asc', 'start ne null'],
      ['/v1/time/timerecords', '151', '302', 'start desc,id asc', 'start ne null'],
      ['/v1/time/timerecords', '151', '0', 'id asc', 'start eq null'],
    ]);
    expect(entries.map((e) => e.sourceId).sort()).toEqual(expectedIds(request));
    expect(new Set(entries.map((e) => e.sourceId)).size).toBe(entries.length);
    expect(batches.map((b) => b.frontier).slice(-2)).toEqual(['', null]);
    expect(batches.at(-1)!.entries.every((e) => e.workDate === null)).toBe(true);
  });

  it('pushes filters, work date bounds widened by the zone slack, and the seek position down', async () => {
    const before = rig.sim.requests.length;
    const updatedAfterMs = Date.UTC(2026, 6, 1);
    const request: ListRequest = {
      sort: 'WORK_DATE_DESC',
      filter: { includeDeleted: false, workDateFrom: '2026-09-01', workDateTo: '2026-09-30', updatedAfterMs },
      from: '2026-09-20',
      sourceFilter: { billable: true },
      limit: 20,
    };
    const { entries } = await collect(rig.adapter, request);
    const calls = rig.sim.requests.slice(before);
    expect(calls).toHaveLength(1);
    expect(calls[0].query.get('$top')).toBe('100');
    expect(calls[0].query.get('$filter')).toBe(
      "trashItem eq null and updatedAt gt datetime'2026-07-01T00:00:00.000Z' and billable eq true and start ne null" +
        " and start ge datetime'2026-08-31T10:00:00.000Z' and start lt datetime'2026-09-21T12:00:00.000Z'",
    );
    expect(entries.map((e) => e.sourceId).sort()).toEqual(expectedIds(request, { billable: true }));
    expect(entries.length).toBeGreaterThan(0);
  });

  it('pushes the updated window and seek for UPDATED_AT sorts', async () => {
    const before = rig.sim.requests.length;
    const from = DEFAULT_ANCHOR_MS - 10 * DAY;
    await collect(rig.adapter, { sort: 'UPDATED_AT_ASC', filter: { includeDeleted: true, updatedBeforeMs: DEFAULT_ANCHOR_MS }, from, limit: 500 });
    const call = rig.sim.requests[before];
    expect(call.query.get('$orderby')).toBe('updatedAt asc,id asc');
    expect(call.query.get('$filter')).toBe(`updatedAt le datetime'${new Date(DEFAULT_ANCHOR_MS).toISOString()}' and updatedAt ge datetime'${new Date(from).toISOString()}'`);
    expect(call.query.get('$top')).toBe('501');
  });

  it('uses the scoped URL for a scope and refuses two scopes naming them', async () => {
    const project = [...rig.sim.store.projects.values()][1];
    const before = rig.sim.requests.length;
    const { entries } = await collect(rig.adapter, { sort: 'UPDATED_AT_DESC', filter: { includeDeleted: true }, sourceFilter: { projectId: project.id }, limit: 1000 });
    expect(rig.sim.requests[before].path).toBe(`/v1/time/projects/${project.id}/timerecords`);
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.every((e) => (e.raw as RawTimeRecord).project?.id === project.id)).toBe(true);
    const error = await collect(rig.adapter, {
      sort: 'UPDATED_AT_DESC',
      filter: { includeDeleted: true },
      sourceFilter: { projectId: project.id, userId: project.owner!.id },
      limit: 10,
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', argument: 'filter.primaerp' } });
    expect((error as Error).message).toMatch(/projectId, userId/);
  });

  it('stops fetching when the consumer stops iterating', async () => {
    const before = rig.sim.requests.length;
    for await (const batch of rig.adapter.list({ sort: 'WORK_DATE_DESC', filter: { includeDeleted: false }, limit: 10 })) {
      expect(batch.entries.length).toBeGreaterThan(0);
      break;
    }
    expect(rig.sim.requests.length - before).toBe(1);
  });
});

describe('primaERP list: the frontier promise (property)', () => {
  // Dense data (30 records a day over 40 days, every zone from −8 h to +14 h) so that page boundaries
  // and work date bounds fall next to records whose local day differs from their UTC day.
  let dense: Rig;
  beforeAll(async () => {
    dense = await startRig({ recordCount: 1200, days: 40, seed: 5, rateLimit: { limit: 100_000, windowMs: 10_000 } });
  });
  afterAll(() => dense.close());
  const dayArb = fc.integer({ min: -42, max: 2 }).map((d) => day(DEFAULT_ANCHOR_MS + d * DAY));
  const instantArb = fc.integer({ min: -42 * DAY, max: DAY }).map((d) => DEFAULT_ANCHOR_MS + d);
  const sortArb = fc.constantFrom<TimeEntrySort>('WORK_DATE_DESC', 'WORK_DATE_ASC', 'UPDATED_AT_DESC', 'UPDATED_AT_ASC');

  it('yields exactly the matching set, and nothing after a batch sorts before its frontier', async () => {
    await fc.assert(
      fc.asyncProperty(
        sortArb,
        fc.record(
          {
            workDateFrom: dayArb,
            workDateTo: dayArb,
            updatedAfterMs: instantArb,
            updatedBeforeMs: instantArb,
            includeDeleted: fc.boolean(),
          },
          { requiredKeys: ['includeDeleted'] },
        ),
        fc.option(fc.oneof(dayArb, fc.constant(''), instantArb), { nil: undefined }),
        fc.option(fc.boolean(), { nil: undefined }),
        fc.oneof(fc.integer({ min: 1, max: 150 }), fc.integer({ min: 1, max: 1200 })),
        async (sort, filter: EntryFilter, rawFrom, billable, limit) => {
          const workSort = sort.startsWith('WORK');
          const from = rawFrom === undefined ? undefined : workSort === (typeof rawFrom === 'string') ? rawFrom : undefined;
          const request: ListRequest = { sort, filter, from, limit, sourceFilter: billable === undefined ? undefined : { billable } };
          const { batches, entries } = await collect(dense.adapter, request);
          expect(entries.map((e) => e.sourceId).sort()).toEqual(expectedIds(request, { billable }, dense));
          const asc = sort.endsWith('ASC');
          const keyOf = (e: (typeof entries)[number]): SortKey => (workSort ? (e.workDate ?? '') : e.updatedAtMs);
          for (let i = 0; i < batches.length; i++) {
            const f = batches[i].frontier;
            if (f === undefined || f === null) continue;
            for (const later of batches.slice(i + 1)) {
              for (const e of later.entries) {
                const k = keyOf(e);
                if (asc ? k < f : k > f) throw new Error(`entry ${e.sourceId} key ${k} yielded after frontier ${f}`);
              }
            }
          }
          expect(batches.at(-1)!.frontier).toBeNull();
        },
      ),
      { numRuns: 60 },
    );
  });
});
