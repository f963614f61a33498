import { collectBatches } from '../../support/batches.js';
import { simulator as xurrentSimulator } from '../../../src/simulators/xurrent/index.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { startXurrentSimulator, type XurrentSimulatorHandle } from '../../../src/simulators/xurrent/index.js';
import { noFaults } from '../../../src/simulators/common/server.js';
import { xurrent } from '../../../src/sources/xurrent/index.js';
import { createXurrentAdapter, type XurrentAdapter } from '../../../src/sources/xurrent/adapter.js';
import { createXurrentClient } from '../../../src/sources/xurrent/client.js';
import type { XurrentConfig } from '../../../src/sources/xurrent/config.js';
import type { XurrentTimeEntryRaw } from '../../../src/sources/xurrent/raw.js';
import { type EntryBatch, type EntryFilter, type ListRequest, type SortKey, type TimeEntrySort } from '../../../src/core/contract.js';
import { ConfigError } from '../../../src/core/errors.js';

let sim: XurrentSimulatorHandle;
let config: XurrentConfig;
let adapter: XurrentAdapter;

beforeAll(async () => {
  sim = await startXurrentSimulator({ rateLimit: { burst: 1_000_000, perHour: 1_000_000 } });
  config = xurrent.configFromEnv(sim.env)!;
  adapter = createXurrentAdapter(config);
});
afterAll(async () => {
  await adapter.close();
  await sim.close();
});
afterEach(() => {
  sim.faults = noFaults();
});

const entryRequests = () => sim.requests.filter((r) => r.path.startsWith('/v1/time_entries'));
const ALL: EntryFilter = { includeDeleted: true };

const collect = (request: ListRequest): Promise<EntryBatch[]> => collectBatches(adapter, request);

describe('configuration', () => {
  it('is disabled without a base URL and names the missing variable', () => {
    expect(xurrent.configFromEnv({})).toBeNull();
    expect(() => xurrent.configFromEnv({ XURRENT_BASE_URL: 'http://x/v1', XURRENT_ACCOUNT: 'a' })).toThrow(ConfigError);
    expect(() => xurrent.configFromEnv({ XURRENT_BASE_URL: 'http://x/v1', XURRENT_ACCOUNT: 'a' })).toThrow(/XURRENT_TOKEN/);
    expect(() => xurrent.configFromEnv({ XURRENT_BASE_URL: 'http://x/v1', XURRENT_TOKEN: 't' })).toThrow(/XURRENT_ACCOUNT/);
    expect(xurrent.configFromEnv({ XURRENT_BASE_URL: 'https://api.xurrent.com/v1', XURRENT_TOKEN: 't', XURRENT_ACCOUNT: 'a' })).toMatchObject({
      baseUrl: 'https://api.xurrent.com/v1', token: 't', account: 'a',
    });
  });

  it('keeps the base URL path prefix and sends both auth headers', async () => {
    sim.requests.length = 0;
    await adapter.getEntries(['195']);
    expect(sim.requests).toHaveLength(1);
    expect(sim.requests[0].path).toBe('/v1/time_entries');
    expect(sim.requests[0].headers.authorization).toBe('Bearer xurrent-sim-token');
    expect(sim.requests[0].headers['x-4me-account']).toBe('wna-it');
  });

  it('starts its simulator for demo mode', async () => {
    const demo = await xurrentSimulator.start();
    try {
      expect(demo.env.XURRENT_BASE_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
      const a = xurrent.create(xurrent.configFromEnv(demo.env)!);
      expect((await a.getEntries(['231']))[0]).toMatchObject({ sourceId: '231' });
      await a.close();
    } finally {
      await demo.close();
    }
  });
});

describe('auth', () => {
  it.each([
    ['a wrong token', { token: 'nope' }],
    ['an unknown account', { account: 'someone-else' }],
  ])('maps %s to SOURCE_UNAUTHENTICATED', async (_name, override) => {
    const bad = createXurrentAdapter({ ...config, ...override });
    // Lookups go through the collection, where a 404 can only mean the account (a single GET's 404
    // would be ambiguous with a missing entry).
    const [lookup] = await bad.getEntries(['195']);
    expect(lookup).toMatchObject({ code: 'SOURCE_UNAUTHENTICATED', source: 'XURRENT' });
    const err = await bad.list({ sort: 'WORK_DATE_DESC', filter: ALL, limit: 5 })[Symbol.asyncIterator]().next().catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'SOURCE_UNAUTHENTICATED' });
    expect(String((err as Error).message)).not.toContain('nope');
    await bad.close();
  });

  it('rejects an expired token', async () => {
    const s = await startXurrentSimulator({ tokenExpiresAtMs: 0, count: 5 });
    const a = xurrent.create(xurrent.configFromEnv(s.env)!);
    await expect(a.getPeople(['7'])).resolves.toEqual([expect.any(Error)]);
    const [result] = await a.getPeople(['7']);
    expect(result).toMatchObject({ code: 'SOURCE_UNAUTHENTICATED' });
    await a.close();
    await s.close();
  });
});

describe('list paging and pushdown', () => {
  it('follows the Link header across pages and stops when the consumer stops', async () => {
    sim.requests.length = 0;
    const batches = await collect({ sort: 'WORK_DATE_ASC', filter: ALL, limit: 19 });
    const reqs = entryRequests();
    const total = Number(reqs.length);
    expect(total).toBe(Math.ceil([...sim.store.entries.values()].filter(sim.store.inCollection).length / 20));
    expect(reqs[0].query.get('per_page')).toBe('20');
    expect(reqs[1].query.get('page')).toBe('2');
    expect(reqs[1].query.get('sort')).toBe('date');
    expect(batches.at(-1)!.frontier).toBeNull();
    expect(batches.slice(0, -1).every((b) => b.frontier !== null && b.frontier !== undefined)).toBe(true);

    sim.requests.length = 0;
    for await (const batch of adapter.list({ sort: 'WORK_DATE_DESC', filter: ALL, limit: 150 })) {
      expect(batch.entries).toHaveLength(100);
      break;
    }
    expect(entryRequests()).toHaveLength(1);
    expect(entryRequests()[0].query.get('per_page')).toBe('100');
  });

  it('pushes work dates, the seek position, deleted and sort down', async () => {
    sim.requests.length = 0;
    await collect({ sort: 'WORK_DATE_DESC', filter: { workDateFrom: '2026-06-01', workDateTo: '2026-09-30', includeDeleted: false }, from: '2026-08-15', limit: 50 });
    const q = entryRequests()[0].query;
    expect(q.get('sort')).toBe('-date');
    expect(q.get('date')).toBe('>=2026-06-01<=2026-08-15');
    expect(q.get('deleted')).toBe('false');
    expect(q.get('per_page')).toBe('51');
    expect(q.get('fields')).toContain('charge_type');
  });

  it('pushes updated windows rounded outward to the second and keeps the strict bound locally', async () => {
    const target = [...sim.store.entries.values()].find((e) => e.id > 1000 && !e.deleted)!;
    const at = Date.parse(target.updated_at);
    sim.requests.length = 0;
    const batches = await collect({ sort: 'UPDATED_AT_ASC', filter: { updatedAfterMs: at, updatedBeforeMs: at + 1500, includeDeleted: true }, limit: 10 });
    const q = entryRequests()[0].query;
    expect(q.get('sort')).toBe('updated_at');
    expect(q.get('updated_at')).toBe(`>=${new Date(at).toISOString().replace('.000', '')}<=${new Date(at + 2000).toISOString().replace('.000', '')}`);
    const ids = batches.flatMap((b) => b.entries.map((e) => e.sourceId));
    expect(ids).not.toContain(String(target.id));
    for (const b of batches) for (const e of b.entries) expect(e.updatedAtMs > at && e.updatedAtMs <= at + 1500).toBe(true);

    sim.requests.length = 0;
    await collect({ sort: 'UPDATED_AT_DESC', filter: ALL, from: at + 250, limit: 10 });
    expect(entryRequests()[0].query.get('updated_at')).toBe(`<=${new Date(at + 1000).toISOString().replace('.000', '')}`);
    expect(entryRequests()[0].query.get('sort')).toBe('-updated_at');
  });

  it('pushes the Xurrent filter fields down', async () => {
    sim.requests.length = 0;
    const batches = await collect({
      sort: 'WORK_DATE_DESC', filter: ALL, limit: 10,
      sourceFilter: { personId: '102', ids: ['1001', '1002', '1003', '195'], externalSource: 'jira', createdAfter: '2026-01-01T00:00:00Z' },
    });
    const q = entryRequests()[0].query;
    expect(q.get('person')).toBe('102');
    expect(q.get('id')).toBe('1001,1002,1003,195');
    expect(q.get('source')).toBe('jira');
    expect(q.get('created_at')).toBe('>=2026-01-01T00:00:00Z');
    for (const e of batches.flatMap((b) => b.entries)) expect(e.person?.sourceId).toBe('102');
  });

  it('rejects a malformed Xurrent id filter before any request', async () => {
    sim.requests.length = 0;
    await expect(collect({ sort: 'WORK_DATE_DESC', filter: ALL, limit: 10, sourceFilter: { ids: ['12x'] } })).rejects.toThrow(/"12x"/);
    expect(sim.requests).toHaveLength(0);
  });
});

// The frontier promise: whatever the filter, sort and seek position, the stream yields exactly the
// matching set, and nothing yielded later sorts strictly before an earlier batch's frontier.
describe('frontier promise', () => {
  const keyOf = (sort: TimeEntrySort, e: XurrentTimeEntryRaw): SortKey => (sort.startsWith('WORK_DATE') ? e.date : Date.parse(e.updated_at));
  const before = (sort: TimeEntrySort, a: SortKey, b: SortKey) => (sort.endsWith('_ASC') ? a < b : a > b);

  it('holds for random requests', async () => {
    const entries = () => [...sim.store.entries.values()].filter(sim.store.inCollection);
    const days = [...new Set(entries().map((e) => e.date))].sort();
    const instants = entries().map((e) => Date.parse(e.updated_at)).sort((a, b) => a - b);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<TimeEntrySort>('WORK_DATE_DESC', 'WORK_DATE_ASC', 'UPDATED_AT_DESC', 'UPDATED_AT_ASC'),
        fc.option(fc.constantFrom(...days), { nil: undefined }),
        fc.option(fc.constantFrom(...days), { nil: undefined }),
        fc.option(fc.constantFrom(...instants).chain((t) => fc.integer({ min: -1500, max: 1500 }).map((d) => t + d)), { nil: undefined }),
        fc.boolean(),
        fc.option(fc.nat({ max: 1000 }), { nil: undefined }),
        fc.integer({ min: 1, max: 150 }),
        async (sort, workDateFrom, workDateTo, updatedAfterMs, includeDeleted, fromIndex, limit) => {
          const byDate = sort.startsWith('WORK_DATE');
          const from: SortKey | undefined =
            fromIndex === undefined ? undefined : byDate ? days[fromIndex % days.length] : instants[fromIndex % instants.length] + (fromIndex % 3) * 300;
          const filter: EntryFilter = { workDateFrom, workDateTo, updatedAfterMs, includeDeleted };
          const batches = await collect({ sort, filter, from, limit });
          const expected = entries()
            .filter((e) => includeDeleted || e.deleted !== true)
            .filter((e) => (workDateFrom === undefined || e.date >= workDateFrom) && (workDateTo === undefined || e.date <= workDateTo))
            .filter((e) => updatedAfterMs === undefined || Date.parse(e.updated_at) > updatedAfterMs)
            .filter((e) => from === undefined || !before(sort, keyOf(sort, e), from))
            .map((e) => String(e.id))
            .sort();
          const got = batches.flatMap((b) => b.entries.map((e) => e.sourceId));
          // Extra entries before the seek position are allowed; none of the expected may be missing.
          const gotInScope = got.filter((id) => {
            const raw = sim.store.entries.get(Number(id))!;
            return from === undefined || !before(sort, keyOf(sort, raw), from);
          });
          expect(gotInScope.sort()).toEqual(expected);
          expect(new Set(got).size).toBe(got.length);
          batches.forEach((batch, i) => {
            if (batch.frontier === undefined || batch.frontier === null) return;
            for (const later of batches.slice(i + 1)) {
              for (const e of later.entries) expect(before(sort, byDate ? e.workDate! : e.updatedAtMs, batch.frontier)).toBe(false);
            }
          });
          expect(batches.at(-1)!.frontier).toBeNull();
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('batched lookups', () => {
  it('looks up entries with one request per 100 ids, matched by key', async () => {
    const known = [...sim.store.entries.keys()].filter((id) => id >= 1000).slice(0, 140).map(String);
    const keys = ['231', ...known, '999999', 'abc', '195', '231'];
    sim.requests.length = 0;
    const results = await adapter.getEntries(keys);
    const reqs = entryRequests();
    expect(reqs).toHaveLength(2);
    for (const r of reqs) {
      expect(r.query.get('per_page')).toBe('100');
      expect(r.query.get('id')!.split(',').length).toBeLessThanOrEqual(100);
      expect(r.query.get('deleted')).toBeNull();
    }
    expect(results).toHaveLength(keys.length);
    keys.forEach((k, i) => {
      const r = results[i];
      if (k === '999999' || k === 'abc' || !sim.store.get(Number(k)) || !sim.store.inCollection(sim.store.get(Number(k))!)) expect(r).toBeNull();
      else expect(r).toMatchObject({ sourceId: k, key: k });
    });
  });

  it('looks people up in one request and maps primary_email', async () => {
    sim.requests.length = 0;
    const people = await adapter.getPeople(['57', '101', '7', '424242']);
    expect(sim.requests).toHaveLength(1);
    expect(sim.requests[0].path).toBe('/v1/people');
    expect(sim.requests[0].query.get('id')).toBe('57,101,7,424242');
    expect(people).toEqual([
      { source: 'XURRENT', sourceId: '57', name: 'Tom Waters', email: 'tom.waters@widget.com' },
      { source: 'XURRENT', sourceId: '101', name: 'Ada Lovelace', email: 'ada.lovelace@example.com' },
      { source: 'XURRENT', sourceId: '7', name: 'Chess Cole', email: 'chess.cole@widget.com' },
      null,
    ]);
  });

  it('validates keys and gets one entry by id', async () => {
    expect(adapter.isValidKey('195')).toBe(true);
    for (const bad of ['0', '-1', '1.5', 'abc', '', '01']) expect(adapter.isValidKey(bad)).toBe(false);
    expect(await adapter.getEntry('195')).toMatchObject({ sourceId: '195', durationMs: 7_200_000 });
    expect(await adapter.getEntry('999999')).toBeNull();
    const gone = [...sim.store.entries.values()].find((e) => !sim.store.isReadable(e))!;
    expect(await adapter.getEntry(String(gone.id))).toBeNull();
  });
});

describe('error mapping', () => {
  it('maps the rate limit answer to SOURCE_RATE_LIMITED', async () => {
    const s = await startXurrentSimulator({ count: 5, rateLimit: { burst: 2 } });
    // Without retries: reads retry a 429 after its Retry-After (test/resilience/retries.test.ts).
    const a = createXurrentAdapter(xurrent.configFromEnv({ ...s.env, XURRENT_MAX_RETRIES: '0' })!);
    await a.getEntry('195');
    await a.getEntry('195');
    await expect(a.getEntry('195')).rejects.toMatchObject({ code: 'SOURCE_RATE_LIMITED', status: 429 });
    await a.close();
    await s.close();
  });

  it('maps a malformed body to SOURCE_BAD_RESPONSE and a 500 to SOURCE_UNAVAILABLE', async () => {
    sim.faults = { ...noFaults(), malformedRate: 1 };
    await expect(adapter.getEntry('195')).rejects.toMatchObject({ code: 'SOURCE_BAD_RESPONSE' });
    sim.faults = { ...noFaults(), errorRate: 1, errorStatus: 500 };
    await expect(collect({ sort: 'WORK_DATE_DESC', filter: ALL, limit: 5 })).rejects.toMatchObject({ code: 'SOURCE_UNAVAILABLE' });
  });

  it('maps a vendor 400 answer to SOURCE_BAD_RESPONSE without leaking the body', async () => {
    const client = createXurrentClient(config);
    const err = await client.listTimeEntries('/time_entries', { sort: 'bogus' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'SOURCE_BAD_RESPONSE', status: 400 });
    expect((err as Error).message).not.toMatch(/bogus|sort/);
    await client.close();
  });
});
