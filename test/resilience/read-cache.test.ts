// Why: the opt-in read cache (<SOURCE>_CACHE_TTL_MS) must answer repeated reads without the backend,
// forget them after the TTL, and never show a read-back its pre-write answer, in any instance sharing
// Redis; the answers say how old cached data is (Age) and that nothing downstream may keep them.
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryReadCache, createRedisReadCache, type CachedAnswer, type ReadCache } from '../../src/http/read-cache.js';
import { startSimulators, type RunningSimulator, type SimulatorSet } from '../../src/simulators/registry.js';
import { SOURCES } from '../../src/sources/registry.js';
import { startRedis } from '../support/redis.js';
import { serveGateway } from '../support/stack.js';

const READ = `query($day: Date!) {
  timeEntries(first: 50, filter: { sources: [XURRENT], workDateFrom: $day, workDateTo: $day }) { nodes { id description } unavailableSources }
}`;
const CREATE = `mutation($input: TimeEntryCreateInput!) { timeEntryCreate(input: $input) { timeEntry { id } userErrors { message } } }`;
const createInput = (date: string, description: string) => ({
  xurrent: { personId: '7', date, timeSpent: { hours: 1 }, customerId: '8', serviceId: '36', description },
});

/** A GraphQL POST that also returns the answer's headers. */
async function post(url: string, query: string, variables: Record<string, unknown>) {
  const res = await request(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  const body = (await res.body.json()) as { data?: any; errors?: unknown[] };
  return { headers: res.headers, body };
}
async function cacheHits(url: string, source: string): Promise<number> {
  const text = await (await request(url.replace(/\/graphql$/, '/metrics'))).body.text();
  return Number(new RegExp(`^timegraph_cache_hits_total\\{source="${source}"\\} (\\S+)$`, 'm').exec(text)?.[1]);
}
const gets = (sim: RunningSimulator) => sim.requests.filter((r) => r.method === 'GET').length;
const limitsOff = Object.fromEntries(SOURCES.map(({ source }) => [`${source}_RATE_LIMIT`, 'off']));

describe('the read cache of one instance (memory)', () => {
  let simulators: SimulatorSet;
  let xurrent: RunningSimulator;
  let gateway: Awaited<ReturnType<typeof serveGateway>>;
  beforeAll(async () => {
    simulators = await startSimulators({ unlimited: true });
    xurrent = simulators.get('XURRENT');
    gateway = await serveGateway({ ...simulators.env, ...limitsOff, XURRENT_CACHE_TTL_MS: '3000' });
  }, 30_000);
  afterAll(async () => {
    await gateway?.close();
    await simulators?.close();
  });

  it('answers a repeated read from the cache, with Age, counts the hit, and goes upstream again after the TTL', async () => {
    const day = '2021-03-01';
    const hitsBefore = await cacheHits(gateway.url, 'XURRENT');
    xurrent.requests.length = 0;
    const first = await post(gateway.url, READ, { day });
    expect(first.body.errors).toBeUndefined();
    expect(first.headers['cache-control']).toBe('private, no-store');
    expect(first.headers.age).toBeUndefined();
    const upstream = gets(xurrent);
    expect(upstream).toBeGreaterThan(0);

    await new Promise((resolve) => setTimeout(resolve, 1100));
    const second = await post(gateway.url, READ, { day });
    expect(second.body).toEqual(first.body);
    expect(gets(xurrent)).toBe(upstream);
    expect(second.headers.age).toBe('1');
    expect(second.headers['cache-control']).toBe('private, no-store');
    expect(await cacheHits(gateway.url, 'XURRENT')).toBe(hitsBefore + upstream);

    await new Promise((resolve) => setTimeout(resolve, 2000));
    await post(gateway.url, READ, { day });
    expect(gets(xurrent)).toBe(2 * upstream);
  });

  it('a write through the gateway makes the next read reach the backend and show it', async () => {
    const day = '2021-03-02';
    await post(gateway.url, READ, { day });
    xurrent.requests.length = 0;
    const created = await post(gateway.url, CREATE, { input: createInput(day, 'cached-then-written') });
    expect(created.body.data.timeEntryCreate.userErrors).toEqual([]);
    const after = await post(gateway.url, READ, { day });
    expect(gets(xurrent)).toBeGreaterThan(0);
    expect(after.headers.age).toBeUndefined();
    expect(after.body.data.timeEntries.nodes).toContainEqual({ id: created.body.data.timeEntryCreate.timeEntry.id, description: 'cached-then-written' });
  });

  it('is off by default: the same read twice goes upstream twice', async () => {
    const plain = await serveGateway({ ...simulators.env, ...limitsOff });
    try {
      xurrent.requests.length = 0;
      await post(plain.url, READ, { day: '2021-03-03' });
      const once = gets(xurrent);
      const again = await post(plain.url, READ, { day: '2021-03-03' });
      expect(gets(xurrent)).toBe(2 * once);
      expect(again.headers.age).toBeUndefined();
    } finally {
      await plain.close();
    }
  });
});

describe('the read cache shared in Redis by several instances', () => {
  let redis: Awaited<ReturnType<typeof startRedis>>;
  let simulators: SimulatorSet;
  let xurrent: RunningSimulator;
  let a: Awaited<ReturnType<typeof serveGateway>>;
  let b: Awaited<ReturnType<typeof serveGateway>>;
  beforeAll(async () => {
    [redis, simulators] = await Promise.all([startRedis(), startSimulators({ unlimited: true })]);
    xurrent = simulators.get('XURRENT');
    const env = { ...simulators.env, ...limitsOff, REDIS_URL: redis.url, XURRENT_CACHE_TTL_MS: '60000' };
    [a, b] = await Promise.all([serveGateway(env), serveGateway(env)]);
  }, 30_000);
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await simulators?.close();
    await redis?.stop();
  });

  it("one instance's read answers the other's, and a write through either reaches both", async () => {
    const day = '2021-04-01';
    xurrent.requests.length = 0;
    const first = await post(a.url, READ, { day });
    const upstream = gets(xurrent);
    expect(upstream).toBeGreaterThan(0);
    const other = await post(b.url, READ, { day });
    expect(other.body).toEqual(first.body);
    expect(gets(xurrent)).toBe(upstream);
    expect(other.headers.age).toBeDefined();

    const created = await post(a.url, CREATE, { input: createInput(day, 'written-through-a') });
    expect(created.body.data.timeEntryCreate.userErrors).toEqual([]);
    xurrent.requests.length = 0;
    const seenByB = await post(b.url, READ, { day });
    expect(gets(xurrent)).toBeGreaterThan(0);
    expect(seenByB.body.data.timeEntries.nodes).toContainEqual({ id: created.body.data.timeEntryCreate.timeEntry.id, description: 'written-through-a' });
  });

  it('keeps no URL or credential in its key names', async () => {
    const keys = await redisKeys(redis.url);
    expect(keys.some((k) => k.startsWith('timegraph:cache:{xurrent:'))).toBe(true);
    for (const k of keys) {
      expect(k).not.toContain('time_entries');
      expect(k).not.toContain(simulators.env.XURRENT_TOKEN);
    }
  });
});

async function redisKeys(url: string): Promise<string[]> {
  const { Redis } = await import('ioredis');
  const client = new Redis(url);
  try {
    return await client.keys('timegraph:cache:*');
  } finally {
    client.disconnect();
  }
}

/** The race both stores must win: an answer whose read started before a write is never stored. */
describe.each([
  ['memory', async () => ({ cache: createMemoryReadCache({ ttlMs: 60_000 }), stop: async () => {} })],
  [
    'redis',
    async () => {
      const server = await startRedis();
      return { cache: createRedisReadCache({ url: server.url, ttlMs: 60_000, backend: 'test', account: ['a'] }), stop: server.stop };
    },
  ],
] as const)('%s read cache', (_name, open) => {
  let cache: ReadCache;
  let stop: () => Promise<void>;
  beforeAll(async () => {
    ({ cache, stop } = await open());
  }, 30_000);
  afterAll(async () => {
    await cache?.close();
    await stop?.();
  });
  const answer = (n: number): CachedAnswer => ({ status: 200, headers: { 'x-n': String(n) }, body: { n } });

  it('stores an answer and gives it back for the same key only', async () => {
    const miss = await cache.lookup('k1');
    expect(miss.hit).toBeUndefined();
    if (!miss.hit) miss.store(answer(1));
    await until(async () => (await cache.lookup('k1')).hit !== undefined);
    expect((await cache.lookup('k1')).hit).toEqual(answer(1));
    expect((await cache.lookup('k2')).hit).toBeUndefined();
  });

  it('an invalidation forgets what is stored, and an answer fetched across it is not stored', async () => {
    await cache.invalidate();
    expect((await cache.lookup('k1')).hit).toBeUndefined();
    const before = await cache.lookup('k3');
    await cache.invalidate();
    if (!before.hit) before.store(answer(3));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await cache.lookup('k3')).hit).toBeUndefined();
  });
});

async function until(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 50 && !(await check()); i++) await new Promise((resolve) => setTimeout(resolve, 10));
}
