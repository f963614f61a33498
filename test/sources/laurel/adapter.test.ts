// The Laurel adapter over real HTTP against the simulator: auth, paging, pushdown, lookups, errors.
import { simulator as laurelSimulator } from '../../../src/simulators/laurel/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { laurelConfigFromEnv } from '../../../src/sources/laurel/config.js';
import { createLaurelClient } from '../../../src/sources/laurel/client.js';
import { createStaticTokenProvider } from '../../../src/sources/laurel/auth.js';
import { type EntryFilter, type EntryModel, type TimeEntrySort } from '../../../src/core/contract.js';
import { ConfigError } from '../../../src/core/errors.js';
import { SourceError } from '../../../src/core/errors.js';
import { laurel } from '../../../src/sources/laurel/index.js';
import { apiRequests, collect, setup, tokenRequests } from './stack.js';

const EPOCH = '1970-01-01T00:00:00.000Z';

describe('Laurel configuration', () => {
  const base = { LAUREL_BASE_URL: 'http://laurel.test/prefix', LAUREL_CUSTOMER_ID: '62f6bbc0a1b2c3d4e5f60718' };
  it('is disabled without LAUREL_BASE_URL and names the missing variable otherwise', () => {
    expect(laurel.configFromEnv({})).toBeNull();
    expect(() => laurel.configFromEnv({ LAUREL_BASE_URL: 'http://x' })).toThrow(/LAUREL_CUSTOMER_ID/);
    expect(() => laurel.configFromEnv(base)).toThrow(ConfigError);
    expect(() => laurel.configFromEnv({ ...base, LAUREL_CLIENT_ID: 'c' })).toThrow(/LAUREL_CLIENT_SECRET/);
    expect(() => laurel.configFromEnv({ ...base, LAUREL_CLIENT_ID: 'c', LAUREL_CLIENT_SECRET: 's' })).toThrow(/LAUREL_AUTH_URL/);
  });
  it('keeps the base path prefix, prefers a token, defaults the audience', () => {
    expect(laurelConfigFromEnv({ ...base, LAUREL_TOKEN: 't' })).toMatchObject({ baseUrl: 'http://laurel.test/prefix', customerId: base.LAUREL_CUSTOMER_ID, auth: { kind: 'token', token: 't' } });
    const cc = laurelConfigFromEnv({ ...base, LAUREL_CLIENT_ID: 'c', LAUREL_CLIENT_SECRET: 's', LAUREL_AUTH_URL: 'http://id.test' });
    expect(cc?.auth).toEqual({ kind: 'clientCredentials', clientId: 'c', clientSecret: 's', authUrl: 'http://id.test', audience: 'https://timeautomation.com' });
  });
  it('its simulator returns an env the definition accepts', async () => {
    const sim = await laurelSimulator.start();
    try {
      expect(laurel.configFromEnv(sim.env)?.auth.kind).toBe('clientCredentials');
    } finally {
      await sim.close();
    }
  });
});

describe('Laurel auth', () => {
  it('fetches one token for concurrent requests and sends it as a bearer', async () => {
    const { sim, adapter, close } = await setup();
    try {
      const req = { sort: 'WORK_DATE_DESC' as const, filter: { includeDeleted: false, updatedAfterMs: Date.UTC(2026, 9, 1) }, limit: 10 };
      await Promise.all([collect(adapter, req), collect(adapter, req), collect(adapter, req)]);
      const tokens = tokenRequests(sim);
      expect(tokens).toHaveLength(1);
      expect(apiRequests(sim).every((r) => /^Bearer [\w-]+\.[\w-]+\.[\w-]+$/.test(String(r.headers.authorization)))).toBe(true);
    } finally {
      await close();
    }
  });

  it('renews the token before it expires', async () => {
    let t = Date.UTC(2026, 10, 20);
    const now = () => t;
    const { sim, adapter, close } = await setup({ tokenLifetimeSeconds: 100, now }, { now });
    try {
      const req = { sort: 'WORK_DATE_DESC' as const, filter: { includeDeleted: false, updatedAfterMs: Date.UTC(2026, 9, 25) }, limit: 10 };
      await collect(adapter, req);
      t += 50_000;
      await collect(adapter, req);
      expect(tokenRequests(sim)).toHaveLength(1);
      t += 45_000; // inside the renewal margin (a tenth of the lifetime), not yet expired
      await collect(adapter, req);
      expect(tokenRequests(sim)).toHaveLength(2);
    } finally {
      await close();
    }
  });

  it('re-fetches the token once when Laurel answers 401', async () => {
    let simNow = Date.UTC(2026, 10, 20);
    const { sim, adapter, close } = await setup({ tokenLifetimeSeconds: 100, now: () => simNow }, { now: () => Date.UTC(2026, 10, 20) });
    try {
      const req = { sort: 'WORK_DATE_DESC' as const, filter: { includeDeleted: false, updatedAfterMs: Date.UTC(2026, 9, 25) }, limit: 10 };
      await collect(adapter, req);
      simNow += 200_000; // the server considers the cached token expired; the adapter does not know yet
      const before = apiRequests(sim).length;
      await collect(adapter, req);
      expect(tokenRequests(sim)).toHaveLength(2);
      expect(apiRequests(sim).length - before).toBe(2);
    } finally {
      await close();
    }
  });

  it('a bad client secret is SOURCE_UNAUTHENTICATED', async () => {
    const { adapter, close } = await setup({}, {}, { LAUREL_CLIENT_SECRET: 'wrong' });
    try {
      await expect(collect(adapter, { sort: 'WORK_DATE_DESC', filter: { includeDeleted: false }, limit: 1 })).rejects.toMatchObject({ code: 'SOURCE_UNAUTHENTICATED', source: 'LAUREL' });
    } finally {
      await close();
    }
  });

  it('a bad static token is SOURCE_UNAUTHENTICATED after one request, without leaking the token', async () => {
    const { sim, adapter, close } = await setup({}, {}, { LAUREL_TOKEN: 'secret-token-value' });
    try {
      const error = await collect(adapter, { sort: 'WORK_DATE_DESC', filter: { includeDeleted: false }, limit: 1 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SourceError);
      expect(error).toMatchObject({ code: 'SOURCE_UNAUTHENTICATED' });
      expect(String((error as Error).message)).not.toContain('secret-token-value');
      expect(apiRequests(sim)).toHaveLength(1);
    } finally {
      await close();
    }
  });
});

describe('Laurel list', () => {
  let ctx: Awaited<ReturnType<typeof setup>>;
  beforeAll(async () => {
    ctx = await setup();
  });
  afterAll(() => ctx.close());

  it('walks every v2 page with pageSize=100 and the open window, frontier only at the end', async () => {
    const { sim, adapter } = ctx;
    sim.requests.length = 0;
    const batches = await collect(adapter, { sort: 'WORK_DATE_DESC', filter: { includeDeleted: true }, limit: 50 });
    const all = sim.store.ordered();
    const pages = apiRequests(sim);
    expect(pages).toHaveLength(Math.ceil(all.length / 100));
    expect(pages[0].query.get('updatedAfter')).toBe(EPOCH);
    expect(pages.every((p) => p.query.get('pageSize') === '100' && p.path === `/api/v2/customers/${sim.customerId}/entries`)).toBe(true);
    expect(pages[0].query.get('cursor')).toBeNull();
    expect(pages[1].query.get('cursor')).toBe(all[100]._id);
    expect(batches.map((b) => b.frontier)).toEqual([...batches.slice(1).map(() => undefined), null]);
    expect(batches.flatMap((b) => b.entries.map((e) => e.sourceId))).toEqual(all.map((e) => e._id));
  });

  it('pushes the updated window down and narrows it with the seek position', async () => {
    const { sim, adapter } = ctx;
    const filter: EntryFilter = { includeDeleted: false, updatedAfterMs: Date.UTC(2026, 8, 1), updatedBeforeMs: Date.UTC(2026, 9, 1) };
    sim.requests.length = 0;
    await collect(adapter, { sort: 'WORK_DATE_ASC', filter, limit: 10 });
    expect(apiRequests(sim)[0].query.get('updatedAfter')).toBe('2026-09-01T00:00:00.000Z');
    expect(apiRequests(sim)[0].query.get('updatedOnOrBefore')).toBe('2026-10-01T00:00:00.000Z');
    sim.requests.length = 0;
    await collect(adapter, { sort: 'UPDATED_AT_ASC', filter, from: Date.UTC(2026, 8, 15), limit: 10 });
    expect(apiRequests(sim)[0].query.get('updatedAfter')).toBe('2026-09-14T23:59:59.999Z');
    sim.requests.length = 0;
    await collect(adapter, { sort: 'UPDATED_AT_DESC', filter, from: Date.UTC(2026, 8, 15), limit: 10 });
    expect(apiRequests(sim)[0].query.get('updatedOnOrBefore')).toBe('2026-09-15T00:00:00.000Z');
    sim.requests.length = 0;
    const batches = await collect(adapter, { sort: 'UPDATED_AT_DESC', filter, from: Date.UTC(2026, 7, 1), limit: 10 });
    expect(apiRequests(sim)).toHaveLength(0);
    expect(batches).toEqual([{ entries: [], frontier: null }]);
  });

  it('yields exactly the matching set for random filters, sorts and seek positions', async () => {
    const { sim, adapter } = ctx;
    const stored = sim.store.ordered().map((e) => ({ id: e._id, workDate: e.workDate ?? '', updatedMs: Date.parse(e.updatedAt), deleted: e.isDeleted === true, userId: e.userId }));
    const dates = [...new Set(stored.map((s) => s.workDate))].sort();
    const times = [...new Set(stored.map((s) => s.updatedMs))].sort((a, b) => a - b);
    const sorts: TimeEntrySort[] = ['WORK_DATE_DESC', 'WORK_DATE_ASC', 'UPDATED_AT_DESC', 'UPDATED_AT_ASC'];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...sorts),
        fc.boolean(),
        fc.option(fc.constantFrom(...dates.filter(Boolean)), { nil: undefined }),
        fc.option(fc.constantFrom(...dates.filter(Boolean)), { nil: undefined }),
        fc.option(fc.constantFrom(...times), { nil: undefined }),
        fc.option(fc.constantFrom(...times), { nil: undefined }),
        fc.option(fc.nat(stored.length - 1), { nil: undefined }),
        async (sort, includeDeleted, workDateFrom, workDateTo, updatedAfterMs, updatedBeforeMs, seekIndex) => {
          const byDate = sort.startsWith('WORK_DATE');
          const asc = sort.endsWith('ASC');
          const from = seekIndex === undefined ? undefined : byDate ? stored[seekIndex].workDate : stored[seekIndex].updatedMs;
          const filter: EntryFilter = { includeDeleted, workDateFrom, workDateTo, updatedAfterMs, updatedBeforeMs };
          const batches = await collect(adapter, { sort, filter, from, limit: 20 });
          const got = batches.flatMap((b) => b.entries.map((e: EntryModel) => e.sourceId)).sort();
          const expected = stored
            .filter((s) => includeDeleted || !s.deleted)
            .filter((s) => (workDateFrom === undefined || (s.workDate !== '' && s.workDate >= workDateFrom)) && (workDateTo === undefined || (s.workDate !== '' && s.workDate <= workDateTo)))
            .filter((s) => (updatedAfterMs === undefined || s.updatedMs > updatedAfterMs) && (updatedBeforeMs === undefined || s.updatedMs <= updatedBeforeMs))
            .filter((s) => {
              if (from === undefined) return true;
              const key = byDate ? s.workDate : s.updatedMs;
              return asc ? key >= from : key <= from;
            })
            .map((s) => s.id)
            .sort();
          expect(got).toEqual(expected);
          // Laurel cannot sort: nothing is promised until the last batch, which says the stream is done.
          expect(batches.at(-1)?.frontier).toBeNull();
          expect(batches.slice(0, -1).every((b) => b.frontier === undefined)).toBe(true);
        },
      ),
      { numRuns: 120, seed: 42 },
    );
  });

  it('applies the laurel: filter locally', async () => {
    const { sim, adapter } = ctx;
    const userId = sim.store.world.users[2]._id;
    const batches = await collect(adapter, { sort: 'WORK_DATE_DESC', filter: { includeDeleted: true }, sourceFilter: { userIds: [userId], creationMethods: ['USER'] }, limit: 10 });
    const got = batches.flatMap((b) => b.entries.map((e) => e.sourceId)).sort();
    const expected = sim.store.ordered().filter((e) => e.userId === userId && e.creationMethod === 'user').map((e) => e._id).sort();
    expect(expected.length).toBeGreaterThan(0);
    expect(got).toEqual(expected);
  });

  it('stops fetching when the consumer stops iterating', async () => {
    const { sim, adapter } = ctx;
    sim.requests.length = 0;
    for await (const batch of adapter.list({ sort: 'WORK_DATE_DESC', filter: { includeDeleted: true }, limit: 1 })) {
      expect(batch.entries.length).toBeGreaterThan(0);
      break;
    }
    expect(apiRequests(sim)).toHaveLength(1);
  });
});

describe('Laurel lookups', () => {
  let ctx: Awaited<ReturnType<typeof setup>>;
  beforeAll(async () => {
    ctx = await setup();
  });
  afterAll(() => ctx.close());

  it('finds a batch of keys with one scan from the oldest requested creation time, in key order', async () => {
    const { sim, adapter } = ctx;
    const all = sim.store.ordered();
    const picks = [all[all.length - 5], all[all.length - 40], all[all.length - 120]];
    const keys = [`${picks[0].userId}/${picks[0]._id}`, 'not-a-key', `${picks[1].userId}/${picks[1]._id}`, `${picks[2].userId}/${picks[2]._id}`];
    sim.requests.length = 0;
    const results = await adapter.getEntries(keys);
    expect(results.map((r) => (r && !(r instanceof Error) ? r.sourceId : null))).toEqual([picks[0]._id, null, picks[1]._id, picks[2]._id]);
    const scans = apiRequests(sim);
    const oldestMs = parseInt(picks[2]._id.slice(0, 8), 16) * 1000;
    expect(scans[0].query.get('updatedAfter')).toBe(new Date(oldestMs - 3_600_000).toISOString());
    // Pages are in id order: the scan ends with the page holding the last requested entry.
    const window = all.filter((e) => Date.parse(e.updatedAt) > oldestMs - 3_600_000);
    const lastIndex = Math.max(...picks.map((p) => window.findIndex((e) => e._id === p._id)));
    expect(scans).toHaveLength(Math.floor(lastIndex / 100) + 1);
  });

  it('a key whose user does not own the entry is a miss', async () => {
    const { sim, adapter } = ctx;
    const e = sim.store.ordered()[10];
    const other = sim.store.world.users.find((u) => u._id !== e.userId)!;
    expect(await adapter.getEntries([`${other._id}/${e._id}`])).toEqual([null]);
  });

  it('rejects malformed keys without a request and resolves people without any', async () => {
    const { sim, adapter } = ctx;
    sim.requests.length = 0;
    expect(adapter.isValidKey('62f6bbc0a1b2c3d4e5f60718/62f6bbc0a1b2c3d4e5f60719')).toBe(true);
    expect(adapter.isValidKey('62f6bbc0a1b2c3d4e5f60718')).toBe(false);
    expect(await adapter.getEntries(['x/y', 'zz'])).toEqual([null, null]);
    const people = await adapter.getPeople(['62f6bbc0a1b2c3d4e5f60718', 'nope']);
    expect(people).toEqual([{ source: 'LAUREL', sourceId: '62f6bbc0a1b2c3d4e5f60718', name: null, email: null }, null]);
    expect(sim.requests).toHaveLength(0);
  });
});

describe('Laurel v1 fallback and export', () => {
  it('falls back to v1 once v2 answers 404, and remembers it', async () => {
    const { sim, adapter, close } = await setup({ v2: false });
    try {
      const req = { sort: 'WORK_DATE_DESC' as const, filter: { includeDeleted: true }, limit: 10 };
      const first = await collect(adapter, req);
      expect(first.flatMap((b) => b.entries)).toHaveLength(sim.store.ordered().length);
      expect(first.at(-1)?.frontier).toBeNull();
      await collect(adapter, req);
      expect(apiRequests(sim).map((r) => r.path.split('/')[2])).toEqual(['v2', 'v1', 'v1']);
    } finally {
      await close();
    }
  });

  it('exports released entries over v2 pages, or v1', async () => {
    for (const v2 of [true, false]) {
      const { sim, adapter, close } = await setup({ v2 });
      try {
        const entries = await adapter.exportEntries(0, Date.UTC(2027, 0, 1));
        const expected = sim.store.ordered().filter((e) => e.releaseSuccessAt && !e.isDeleted).map((e) => e._id);
        expect(entries.map((e) => e.sourceId)).toEqual(expected);
        expect(expected.length).toBeGreaterThan(100);
        const paths = apiRequests(sim).map((r) => r.path.split('/')[2]);
        expect(paths).toEqual(v2 ? Array(Math.ceil(expected.length / 100)).fill('v2') : ['v2', 'v1']);
      } finally {
        await close();
      }
    }
  });
});

describe('Laurel error mapping', () => {
  it('429 with Retry-After is SOURCE_RATE_LIMITED', async () => {
    const { adapter, close } = await setup({ rateLimit: { limit: 1, windowMs: 60_000 } });
    try {
      await expect(collect(adapter, { sort: 'WORK_DATE_DESC', filter: { includeDeleted: true }, limit: 10 })).rejects.toMatchObject({ code: 'SOURCE_RATE_LIMITED', source: 'LAUREL' });
    } finally {
      await close();
    }
  });

  it('a malformed body is SOURCE_BAD_RESPONSE, a 5xx SOURCE_UNAVAILABLE', async () => {
    const { sim, adapter, close } = await setup();
    try {
      const req = { sort: 'WORK_DATE_DESC' as const, filter: { includeDeleted: true }, limit: 10 };
      await collect(adapter, { ...req, filter: { includeDeleted: true, updatedAfterMs: Date.UTC(2026, 9, 31) } }); // token cached
      sim.faults = { ...sim.faults, malformedRate: 1 };
      await expect(collect(adapter, req)).rejects.toMatchObject({ code: 'SOURCE_BAD_RESPONSE' });
      sim.faults = { ...sim.faults, malformedRate: 0, errorRate: 1, errorStatus: 503 };
      await expect(collect(adapter, req)).rejects.toMatchObject({ code: 'SOURCE_UNAVAILABLE' });
    } finally {
      await close();
    }
  });

  it("a NestJS 400 becomes SOURCE_BAD_RESPONSE quoting Laurel's message", async () => {
    const { sim, close } = await setup();
    const tokenRes = await fetch(`${sim.origin}/api/v1/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ audience: sim.env.LAUREL_AUDIENCE, grant_type: 'client_credentials', client_id: sim.env.LAUREL_CLIENT_ID, client_secret: sim.env.LAUREL_CLIENT_SECRET }),
    });
    const { access_token } = (await tokenRes.json()) as { access_token: string };
    const client = createLaurelClient({ baseUrl: sim.origin, customerId: sim.customerId }, { tokens: createStaticTokenProvider(access_token) });
    try {
      const error = await client.listAll({ after: 'yesterday', onOrBefore: '2026-01-01T00:00:00Z' }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'SOURCE_BAD_RESPONSE', status: 400 });
      expect((error as Error).message).toContain('updatedAfter must be a valid ISO 8601 date string');
    } finally {
      await client.close();
      await close();
    }
  });
});
