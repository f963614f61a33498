// The Laurel simulator's protocol: identity, auth checks, v2 paging rules and the write endpoints' state changes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { startLaurelSimulator, type LaurelSimulatorHandle } from '../../../src/simulators/laurel/index.js';
import type { StoredEntry } from '../../../src/simulators/laurel/data.js';

let sim: LaurelSimulatorHandle;
let token: string;

async function call(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown, auth: string | null = token) {
  const res = await request(`${sim.origin}${path}`, {
    method,
    headers: { ...(auth ? { authorization: `Bearer ${auth}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.body.text();
  return { status: res.statusCode, headers: res.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : null };
}

const c = () => sim.customerId;
const entryPath = (e: StoredEntry) => `/api/v1/public/customers/${c()}/users/${e.userId}/entries/${e._id}`;
const pick = (pred: (e: StoredEntry) => boolean) => sim.store.ordered().find(pred)!;

beforeAll(async () => {
  sim = await startLaurelSimulator({ seed: 3 });
  const res = await call('POST', '/api/v1/oauth/token', { audience: 'https://timeautomation.com', grant_type: 'client_credentials', client_id: sim.env.LAUREL_CLIENT_ID, client_secret: sim.env.LAUREL_CLIENT_SECRET }, null);
  token = res.body!.access_token as string;
  expect(res.body!.expires_in).toBe(86_400);
});
afterAll(() => sim.close());

describe('Laurel simulator: seed', () => {
  it('uses realistic ObjectIds and includes the seed examples', () => {
    const entries = sim.store.ordered();
    expect(entries.length).toBeGreaterThan(300);
    for (const e of entries) expect(parseInt(e._id.slice(0, 8), 16)).toBe(Math.floor(Date.parse(e.createdAt) / 1000));
    expect(entries.filter((e) => e.createdAt === '2022-08-12T20:44:48Z' && e.summary === 'text')).toHaveLength(3);
    expect(entries.some((e) => e.isDeleted)).toBe(true);
  });
});

describe('Laurel simulator: identity and auth', () => {
  it('refuses bad client credentials, a wrong audience, a missing or forged bearer, another customer', async () => {
    expect((await call('POST', '/api/v1/oauth/token', { audience: 'https://timeautomation.com', grant_type: 'client_credentials', client_id: 'x', client_secret: 'y' }, null)).status).toBe(401);
    expect((await call('POST', '/api/v1/oauth/token', { audience: 'https://other', grant_type: 'client_credentials', client_id: sim.env.LAUREL_CLIENT_ID, client_secret: sim.env.LAUREL_CLIENT_SECRET }, null)).status).toBe(403);
    const q = '?updatedAfter=2026-01-01T00:00:00Z&updatedOnOrBefore=2026-02-01T00:00:00Z';
    expect(await call('GET', `/api/v2/customers/${c()}/entries${q}`, undefined, null)).toMatchObject({ status: 401, body: { statusCode: 401, message: 'Unauthorized' } });
    expect((await call('GET', `/api/v2/customers/${c()}/entries${q}`, undefined, `${token}x`)).status).toBe(401);
    expect((await call('GET', `/api/v2/customers/62f6bbc0a1b2c3d4e5f60718/entries${q}`)).status).toBe(403);
  });

  it('requires both window parameters and bounds pageSize (NestJS 400 bodies)', async () => {
    const missing = await call('GET', `/api/v2/customers/${c()}/entries?updatedAfter=2026-01-01T00:00:00Z`);
    expect(missing).toMatchObject({ status: 400, body: { statusCode: 400, error: 'Bad Request', message: ['updatedOnOrBefore must be a valid ISO 8601 date string'] } });
    const big = await call('GET', `/api/v2/customers/${c()}/entries?updatedAfter=1970-01-01T00:00:00Z&updatedOnOrBefore=2030-01-01T00:00:00Z&pageSize=101`);
    expect(big.status).toBe(400);
  });

  it('pages v2 by id with nextCursor, omitted on the last page', async () => {
    const base = `/api/v2/customers/${c()}/entries?updatedAfter=1970-01-01T00:00:00Z&updatedOnOrBefore=2030-01-01T00:00:00Z&pageSize=100`;
    const ids: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await call('GET', cursor ? `${base}&cursor=${cursor}` : base);
      const items = page.body!.items as Array<{ entryId: string }>;
      expect(items.length).toBeLessThanOrEqual(100);
      ids.push(...items.map((i) => i.entryId));
      cursor = page.body!.nextCursor as string | undefined;
      pages++;
    } while (cursor);
    expect(ids).toEqual(sim.store.ordered().map((e) => e._id));
    expect(pages).toBe(Math.ceil(ids.length / 100));
  });

  it('answers 429 with Retry-After over its rate limit', async () => {
    const limited = await startLaurelSimulator({ rateLimit: { limit: 1, windowMs: 60_000 } });
    try {
      const url = `${limited.origin}/api/v1/customers/${limited.customerId}/entries?updatedAfter=2026-01-01T00:00:00Z&updatedOnOrBefore=2026-01-02T00:00:00Z`;
      await request(url).then((r) => r.body.dump());
      const res = await request(url);
      expect(res.statusCode).toBe(429);
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      expect(await res.body.json()).toMatchObject({ statusCode: 429 });
    } finally {
      await limited.close();
    }
  });
});

describe('Laurel simulator: writes', () => {
  it('override updates the entry and answers the list record', async () => {
    const e = pick((x) => !x.isDeleted && !x.isLocked && x.initiativeProps.initiative.type === 'pms' && x.unitIncrementCountFromSources > 2);
    const before = e.updatedAt;
    const res = await call('PATCH', `${entryPath(e)}/override`, { summary: 'Revised', unitIncrementCountAdjustments: 2, workDate: '2026-10-01' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ entryId: e._id, summary: 'Revised', workDate: '2026-10-01', unitIncrementCount: e.unitIncrementCountFromSources + 2 });
    expect(res.body!.incrementDurationInSeconds).toBe((e.unitIncrementCountFromSources + 2) * e.initiativeProps.initiative.unitIncrements);
    expect(Date.parse(e.updatedAt)).toBeGreaterThan(Date.parse(before));
    expect((await call('PATCH', `${entryPath(e)}/override`, { summary: '' })).body).toMatchObject({ statusCode: 400, errorCode: 'summary-is-required' });
    expect((await call('PATCH', `${entryPath(e)}/override`, { workDate: 'soon' })).status).toBe(400);
  });

  it('soft delete answers the full entry with isDeleted true; a second delete is 404', async () => {
    const e = pick((x) => !x.isDeleted && !x.isLocked);
    const res = await call('DELETE', entryPath(e));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ _id: e._id, isDeleted: true, statusInfo: { status: e.statusInfo.status } });
    expect(res.body).not.toHaveProperty('entryId');
    expect((await call('DELETE', entryPath(e))).status).toBe(404);
  });

  it('release-succeeded, release-failed and unrelease change the status', async () => {
    const e = pick((x) => !x.isDeleted && !x.isLocked && x.statusInfo.status === 'validation-success' && sim.store.releaseProblem(x, Date.now()) === null);
    expect((await call('POST', `/api/v1/customers/${c()}/users/${e.userId}/entries/${e._id}/release-succeeded`, { externalId: 'PMS-1' })).status).toBe(200);
    expect(e).toMatchObject({ externalId: 'PMS-1', statusInfo: { status: 'release-success' } });
    expect(e.releaseSuccessAt).toBeDefined();
    expect((await call('POST', `/api/v1/public/customers/${c()}/users/${e.userId}/entries/${e._id}/unrelease`)).status).toBe(200);
    expect(e.statusInfo.status).toBe('validation-success');
    expect((await call('POST', `/api/v1/customers/${c()}/users/${e.userId}/entries/${e._id}/release-failed`, { errors: ['Matter closed'] })).status).toBe(200);
    expect(e.statusInfo).toEqual({ status: 'release-failed', releaseFailedErrors: [{ originalMessage: 'Matter closed', title: 'Release failed', description: 'Matter closed' }] });
    expect((await call('POST', `/api/v1/customers/${c()}/users/${e.userId}/entries/${e._id}/release-failed`, { errors: [''] })).status).toBe(400);
  });

  it('refuses to release a zero-increment entry with its validation code', async () => {
    const e = pick((x) => !x.isDeleted && x.unitIncrementCountFromSources + x.unitIncrementCountAdjustments === 0);
    const res = await call('POST', `/api/v1/customers/${c()}/users/${e.userId}/entries/${e._id}/release-succeeded`, {});
    expect(res).toMatchObject({ status: 400, body: { statusCode: 400, errorCode: 'cannot-release-zero-increment' } });
  });

  it('batch release answers 207 with a status per item and rejects 0 or more than 20 items', async () => {
    const ok = pick((x) => !x.isDeleted && !x.isLocked && x.statusInfo.status === 'validation-success' && sim.store.releaseProblem(x, Date.now()) === null);
    const path = `/api/v1/customers/${c()}/entries/release-succeeded/batch`;
    const res = await call('POST', path, { request: [{ entryId: ok._id, userId: ok.userId }, { entryId: '62f6bbc0a1b2c3d4e5f60718', userId: ok.userId }] });
    expect(res.status).toBe(207);
    expect(res.body).toEqual({ response: [{ entryId: ok._id, status: 'OK' }, { entryId: '62f6bbc0a1b2c3d4e5f60718', status: 'NOT_FOUND', errorMessage: 'Entry not found', errorCode: 404 }] });
    expect((await call('POST', path, { request: [] })).status).toBe(400);
    expect((await call('POST', path, { request: Array(21).fill({ entryId: ok._id, userId: ok.userId }) })).status).toBe(400);
  });

  it('bulk release moves releasable entries of the window to release-pending (202)', async () => {
    const e = pick((x) => !x.isDeleted && !x.isLocked && x.statusInfo.status === 'validation-success' && !!x.workDate && sim.store.releaseProblem(x, Date.now()) === null);
    const res = await call('POST', `/api/v1/public/customers/${c()}/entries/bulk-release`, { workDateStart: e.workDate, workDateEnd: e.workDate, userIds: [e.userId] });
    expect(res.status).toBe(202);
    expect(e.statusInfo.status).toBe('release-pending');
    expect((await call('POST', `/api/v1/public/customers/${c()}/entries/bulk-release`, { workDateStart: 'x' })).status).toBe(400);
  });

  it('the v2 export pages released entries like the list; v1 returns one array', async () => {
    const q = 'releasedAfter=1970-01-01T00:00:00Z&releasedOnOrBefore=2030-01-01T00:00:00Z';
    const v1 = await request(`${sim.origin}/api/v1/customers/${c()}/entries/export?${q}`, { headers: { authorization: `Bearer ${token}` } });
    const all = (await v1.body.json()) as Array<{ _id: string; codes: unknown[] }>;
    const v2 = await call('GET', `/api/v2/customers/${c()}/entries/export?${q}&pageSize=100`);
    expect((v2.body!.items as unknown[]).length).toBe(Math.min(100, all.length));
    expect(v2.body!.nextCursor).toBe(all[100]?._id);
  });
});
