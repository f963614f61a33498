// The primaERP adapter against its simulator over loopback: configuration and auth, lists (paging,
// pushdown, the frontier promise), batched lookups, error mapping and the extra reads.
import { simulator as primaerpSimulator } from '../../../src/simulators/primaerp/index.js';
import { afterEach, describe, expect, it, afterAll, beforeAll } from 'vitest';
import { createPrimaerpAdapter } from '../../../src/sources/primaerp/adapter.js';
import { primaerp } from '../../../src/sources/primaerp/index.js';
import { ConfigError } from '../../../src/core/errors.js';
import { collect, startRig, type Rig } from './stack.js';
import fc from 'fast-check';
import { calendarDayIn, parseMsJsonDate } from '../../../src/units/dates.js';
import type { EntryFilter, ListRequest, SortKey, TimeEntrySort } from '../../../src/core/contract.js';
import type { RawTimeRecord } from '../../../src/sources/primaerp/raw.js';
import { DEFAULT_ANCHOR_MS } from '../../../src/simulators/common/people.js';
import { noFaults } from '../../../src/simulators/common/server.js';

// One rig per test here (configuration, auth, lookups, error mapping, extra reads); the lists share one below.
describe('primaERP adapter: configuration, auth, lookups, error mapping and extra reads', () => {
  const DUMMY_ID = '0a9c3af3-4bf7-4435-b4e7-cb66da031996';
  let rig: Rig | undefined;
  afterEach(async () => {
    await rig?.close();
    rig = undefined;
  });

  describe('primaERP configuration', () => {
    it('is disabled without a base URL and names the missing variable', () => {
      expect(primaerp.configFromEnv({})).toBeNull();
      expect(() => primaerp.configFromEnv({ PRIMAERP_BASE_URL: 'http://x', PRIMAERP_SECRET_KEY: 's' })).toThrow(ConfigError);
      expect(() => primaerp.configFromEnv({ PRIMAERP_BASE_URL: 'http://x', PRIMAERP_SECRET_KEY: 's' })).toThrow(/PRIMAERP_API_KEY/);
      expect(() => primaerp.configFromEnv({ PRIMAERP_BASE_URL: 'http://x', PRIMAERP_API_KEY: 'k' })).toThrow(/PRIMAERP_SECRET_KEY/);
    });

    it('keeps the base URL path prefix', async () => {
      rig = await startRig({ basePath: '/erp/api' });
      expect(rig.sim.env.PRIMAERP_BASE_URL).toMatch(/\/erp\/api$/);
      expect(await rig.adapter.getEntries([DUMMY_ID])).toMatchObject([{ sourceId: DUMMY_ID }]);
      expect(rig.sim.requests.map((r) => r.path)).toEqual(['/erp/api/v1/auth/login', '/erp/api/v1/time/timerecords']);
    });

    it('starts its simulator for demo mode', async () => {
      const demo = await primaerpSimulator.start();
      try {
        const adapter = primaerp.create(primaerp.configFromEnv(demo.env)!);
        expect(await adapter.getEntries([DUMMY_ID])).toMatchObject([{ durationMs: 21_600_000 }]);
        await adapter.close();
      } finally {
        await demo.close();
      }
    });
  });

  describe('primaERP auth', () => {
    it('logs in once with the API key and secret key, then passes ?token= on every call', async () => {
      rig = await startRig();
      await Promise.all([rig.adapter.getEntries([DUMMY_ID]), rig.adapter.getPeople(['36e159ad-fc4f-46bf-8085-1e1cf1f5a40f'])]);
      await rig.adapter.getEntries([DUMMY_ID]);
      const logins = rig.sim.requests.filter((r) => r.path === '/v1/auth/login');
      expect(logins).toHaveLength(1);
      expect(logins[0].query.get('apikey')).toBe(rig.sim.env.PRIMAERP_API_KEY);
      expect(logins[0].headers.authorization).toBe(`Basic ${Buffer.from(`${rig.sim.env.PRIMAERP_SECRET_KEY}:`).toString('base64')}`);
      for (const call of rig.calls()) expect(call.query.get('token')).toMatch(/^[0-9a-f]{32}$/);
    });

    it('renews the token shortly before it expires', async () => {
      let now = Date.UTC(2026, 0, 1);
      const clock = () => now;
      rig = await startRig({ tokenLifetimeMs: 3_600_000, now: clock }, { now: clock });
      await rig.adapter.getEntries([DUMMY_ID]);
      now += 3_600_000 - 120_000; // two minutes before expiry: still used
      await rig.adapter.getEntries([DUMMY_ID]);
      expect(rig.sim.logins).toBe(1);
      now += 90_000; // 30 s before expiry: renewed first, no 401 seen
      await rig.adapter.getEntries([DUMMY_ID]);
      expect(rig.sim.logins).toBe(2);
      expect(rig.sim.requests.filter((r) => r.path !== '/v1/auth/login')).toHaveLength(3);
    });

    it('logs in again once after a 401 and retries', async () => {
      rig = await startRig();
      await rig.adapter.getEntries([DUMMY_ID]);
      rig.sim.expireTokens();
      expect(await rig.adapter.getEntries([DUMMY_ID])).toMatchObject([{ sourceId: DUMMY_ID }]);
      expect(rig.sim.logins).toBe(2);
      expect(rig.sim.requests.map((r) => r.path)).toEqual([
        '/v1/auth/login',
        '/v1/time/timerecords',
        '/v1/time/timerecords',
        '/v1/auth/login',
        '/v1/time/timerecords',
      ]);
    });

    it('answers SOURCE_UNAUTHENTICATED for a bad secret key, without leaking it', async () => {
      rig = await startRig();
      const bad = createPrimaerpAdapter({ ...primaerp.configFromEnv(rig.sim.env)!, secretKey: 'wrong-secret-123' });
      const error = await collect(bad, { sort: 'WORK_DATE_DESC', filter: { includeDeleted: false }, limit: 10 }).catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'SourceError', code: 'SOURCE_UNAUTHENTICATED', source: 'PRIMAERP' });
      expect(String((error as Error).message)).not.toMatch(/wrong-secret|sim-primaerp|token|http/);
      await bad.close();
    });
  });


  describe('primaERP batched lookups', () => {
    it('getEntries asks for at most 100 ids a request with id eq … or …, and matches results by key', async () => {
      rig = await startRig();
      const ids = [...rig.sim.store.records.keys()].slice(0, 150);
      const unknown = '00000000-0000-4000-8000-000000000000';
      const keys = [unknown, 'not-a-uuid', ...ids.slice().reverse(), ids[0]];
      const results = await rig.adapter.getEntries(keys);
      const calls = rig.calls();
      expect(calls).toHaveLength(2);
      for (const call of calls) {
        expect(call.path).toBe('/v1/time/timerecords');
        expect(call.query.get('$filter')).toMatch(/^id eq '[0-9a-f-]{36}'( or id eq '[0-9a-f-]{36}')*$/);
      }
      expect(calls.map((c) => c.query.get('$filter')!.split(' or ').length).sort()).toEqual([100, 51]);
      expect(results[0]).toBeNull();
      expect(results[1]).toBeNull();
      expect(results.slice(2).map((r) => (r as { sourceId: string }).sourceId)).toEqual(keys.slice(2));
      // Trashed records are found too: node() of a deleted entry still resolves.
      const trashed = [...rig.sim.store.records.values()].find((r) => r.trashItem)!;
      expect(await rig.adapter.getEntries([trashed.id])).toMatchObject([{ deleted: true }]);
    });

    it('getPeople reads primaERP users in one request per 100 ids', async () => {
      rig = await startRig();
      const users = [...rig.sim.store.users.values()];
      const results = await rig.adapter.getPeople([...users.map((u) => u.id), '00000000-0000-4000-8000-000000000000']);
      expect(rig.calls().map((c) => c.path)).toEqual(['/v1/users']);
      expect(results.at(-1)).toBeNull();
      expect(results[0]).toEqual({ source: 'PRIMAERP', sourceId: '36e159ad-fc4f-46bf-8085-1e1cf1f5a40f', name: 'John Smith', email: 'john.smith@example.com' });
      expect(results).toContainEqual(expect.objectContaining({ name: 'Ada Lovelace', email: 'ada.lovelace@example.com' }));
    });

    it('isValidKey accepts primaERP UUIDs only', () => {
      return startRig().then((r) => {
        rig = r;
        expect(r.adapter.isValidKey(DUMMY_ID)).toBe(true);
        expect(r.adapter.isValidKey('0A9C3AF3-4BF7-4435-B4E7-CB66DA031996x')).toBe(false);
        expect(r.adapter.isValidKey('42')).toBe(false);
      });
    });
  });

  describe('primaERP error mapping', () => {
    const list = (r: Rig) => collect(r.adapter, { sort: 'WORK_DATE_DESC', filter: { includeDeleted: false }, limit: 10 }).catch((e: unknown) => e);

    it('maps the 503 PE01-9002 rate limit answer to SOURCE_RATE_LIMITED', async () => {
      rig = await startRig({ rateLimit: { limit: 2, windowMs: 60_000 } });
      await rig.adapter.getEntries([DUMMY_ID]);
      const error = await list(rig);
      expect(error).toMatchObject({ code: 'SOURCE_RATE_LIMITED', source: 'PRIMAERP', status: 503 });
      const last = rig.sim.requests.at(-1)!;
      expect(last.path).toBe('/v1/time/timerecords');
    });

    it('maps a malformed body to SOURCE_BAD_RESPONSE', async () => {
      rig = await startRig();
      await rig.adapter.getEntries([DUMMY_ID]);
      rig.sim.faults = { ...noFaults(), malformedRate: 1 };
      expect(await list(rig)).toMatchObject({ code: 'SOURCE_BAD_RESPONSE', source: 'PRIMAERP' });
    });

    it('maps a vendor 400 to SOURCE_BAD_RESPONSE naming only the status and code, and 5xx to SOURCE_UNAVAILABLE', async () => {
      rig = await startRig();
      await rig.adapter.getEntries([DUMMY_ID]);
      rig.sim.faults = { ...noFaults(), errorRate: 1, errorStatus: 400 };
      const error = await list(rig);
      expect(error).toMatchObject({ code: 'SOURCE_BAD_RESPONSE', message: 'PRIMAERP answered HTTP 400 (PE01-1102)' });
      rig.sim.faults = { ...noFaults(), errorRate: 1, errorStatus: 500 };
      expect(await list(rig)).toMatchObject({ code: 'SOURCE_UNAVAILABLE' });
    });

    it('yields nothing for the scope of an unknown project (404)', async () => {
      rig = await startRig();
      const { entries, batches } = await collect(rig.adapter, {
        sort: 'WORK_DATE_ASC',
        filter: { includeDeleted: true },
        sourceFilter: { projectId: '00000000-0000-4000-8000-000000000000' },
        limit: 10,
      });
      expect(entries).toEqual([]);
      expect(batches.at(-1)!.frontier).toBeNull();
    });
  });

  describe('primaERP extra reads', () => {
    it('reads one record, the unbilled list and summary, and a price without saving', async () => {
      rig = await startRig();
      const store = rig.sim.store;
      expect(await rig.adapter.getTimeRecord(DUMMY_ID)).toMatchObject({ durationMs: 21_600_000 });
      expect(await rig.adapter.getTimeRecord('00000000-0000-4000-8000-000000000000')).toBeNull();

      const project = [...store.projects.values()][1];
      const expected = [...store.records.values()].filter((r) => r.project?.id === project.id && store.isUnbilled(r));
      const unbilled = await rig.adapter.unbilled({ projectId: project.id });
      expect(unbilled.map((e) => e.sourceId).sort()).toEqual(expected.map((r) => r.id).sort());
      expect(rig.calls().at(-1)!.path).toBe(`/v1/time/projects/${project.id}/timerecords/$unbilled`);
      const summary = await rig.adapter.unbilledSummary({ projectId: project.id });
      expect(summary.count).toBe(expected.length);
      expect(summary.duration).toBe(expected.reduce((s, r) => s + (r.duration ?? 0), 0));

      const before = store.records.size;
      const priced = await rig.adapter.calculatePrice(
        { user: { id: '36e159ad-fc4f-46bf-8085-1e1cf1f5a40f' }, workType: { id: '238120aa-549c-43f7-ab40-478407060dad' }, duration: 21_600_000, billable: true },
        null,
      );
      expect(priced.price).toBe(648.5);
      expect(store.records.size).toBe(before);
      await expect(rig.adapter.calculatePrice({ duration: -1 }, null)).rejects.toMatchObject({
        name: 'PrimaerpValidationError',
        violations: expect.arrayContaining([expect.objectContaining({ field: 'user', constraint: 'NotNull' }), expect.objectContaining({ field: 'duration', constraint: 'Min' })]),
      });
    });
  });
});

describe('primaERP adapter: lists', () => {
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
});
