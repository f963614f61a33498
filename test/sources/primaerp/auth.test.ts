import { simulator as primaerpSimulator } from '../../../src/simulators/primaerp/index.js';
import { afterEach, describe, expect, it } from 'vitest';
import { createPrimaerpAdapter } from '../../../src/sources/primaerp/adapter.js';
import { primaerp } from '../../../src/sources/primaerp/index.js';
import { ConfigError } from '../../../src/core/errors.js';
import { collect, startRig, type Rig } from './helpers.js';

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
