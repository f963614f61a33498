import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPrimaerpSimulator, type PrimaerpSimulatorHandle } from '../../../src/simulators/primaerp/index.js';
import type { RawTimeRecord } from '../../../src/sources/primaerp/raw.js';

const DUMMY_ID = '0a9c3af3-4bf7-4435-b4e7-cb66da031996';
const SMITH = '36e159ad-fc4f-46bf-8085-1e1cf1f5a40f';
const SW = '238120aa-549c-43f7-ab40-478407060dad';

let sim: PrimaerpSimulatorHandle;
let token = '';
beforeAll(async () => {
  sim = await startPrimaerpSimulator({ seed: 3 });
  const res = await login(sim.env.PRIMAERP_SECRET_KEY);
  token = ((await res.json()) as { token: string }).token;
});
afterAll(() => sim.close());

function login(user: string, password = '', apikey = sim.env.PRIMAERP_API_KEY) {
  return fetch(`${sim.origin}/v1/auth/login?apikey=${encodeURIComponent(apikey)}`, {
    headers: { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` },
  });
}

async function api(method: string, path: string, body?: unknown, query: Record<string, string> = {}) {
  const qs = new URLSearchParams({ ...query, token }).toString();
  const res = await fetch(`${sim.origin}${path}?${qs}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  const type = res.headers.get('content-type') ?? '';
  return { status: res.status, headers: res.headers, body: type.includes('json') ? JSON.parse(text) : text };
}

describe('primaERP simulator: auth and limits', () => {
  it('logs in with the secret key or email:password and answers the login shape', async () => {
    const res = await login(sim.env.PRIMAERP_SECRET_KEY);
    const body = (await res.json()) as Record<string, string>;
    expect(res.status).toBe(200);
    expect(body.expiration).toMatch(/^\/Date\(\d+\)\/$/);
    expect(body.refreshExpiration).toMatch(/^\/Date\(\d+\)\/$/);
    expect(body.refreshToken).toMatch(/^[0-9a-f]{32}$/);
    expect((await login('admin@example.com', 'sim-password')).status).toBe(200);
  });

  it('refuses bad credentials and missing or unknown tokens with 401 and a PE01 body', async () => {
    const bad = await login('nope');
    expect(bad.status).toBe(401);
    expect(await bad.json()).toMatchObject({ status: 401, code: 'PE01-2002' });
    expect((await login(sim.env.PRIMAERP_SECRET_KEY, '', 'wrong-key')).status).toBe(401);
    const noToken = await fetch(`${sim.origin}/v1/time/timerecords`);
    expect(noToken.status).toBe(401);
    expect(await noToken.json()).toMatchObject({ status: 401, code: 'PE01-2001', message: 'Unauthorized' });
  });

  it('answers the rate limit with 503 PE01-9002 and Retry-After', async () => {
    const limited = await startPrimaerpSimulator({ rateLimit: { limit: 1, windowMs: 10_000 } });
    try {
      await fetch(`${limited.origin}/v1/time/timerecords`);
      const res = await fetch(`${limited.origin}/v1/time/timerecords`);
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('10');
      expect(await res.json()).toMatchObject({ status: 503, code: 'PE01-9002' });
    } finally {
      await limited.close();
    }
  });

  it('expires tokens after the configured lifetime', async () => {
    let now = Date.UTC(2026, 0, 1);
    const s = await startPrimaerpSimulator({ tokenLifetimeMs: 1000, now: () => now });
    try {
      const res = await fetch(`${s.origin}/v1/auth/login?apikey=${s.env.PRIMAERP_API_KEY}`, {
        headers: { authorization: `Basic ${Buffer.from(`${s.env.PRIMAERP_SECRET_KEY}:`).toString('base64')}` },
      });
      const t = ((await res.json()) as { token: string; expiration: string });
      expect(t.expiration).toBe(`/Date(${now + 1000})/`);
      expect((await fetch(`${s.origin}/v1/users?token=${t.token}`)).status).toBe(200);
      now += 1000;
      expect((await fetch(`${s.origin}/v1/users?token=${t.token}`)).status).toBe(401);
    } finally {
      await s.close();
    }
  });
});

describe('primaERP simulator: reads', () => {
  it('serves the seed record verbatim, counts as text, and filters with OData', async () => {
    const one = await api('GET', `/v1/time/timerecords/${DUMMY_ID}`);
    expect(one.body).toMatchObject({ duration: 21600000, unitPrice: 3.0023e-5, price: 648.5, start: '/Date(1489301594659)/' });
    const count = await api('GET', '/v1/time/timerecords/$count');
    expect(count.body).toBe(String(sim.store.records.size));
    expect(count.headers.get('content-type')).toMatch(/^text\/plain/);
    const trashed = await api('GET', '/v1/time/timerecords', undefined, { $filter: 'not (trashItem eq null)', $count: 'true' });
    expect(Number(trashed.body)).toBe([...sim.store.records.values()].filter((r) => r.trashItem).length);
    const smith = await api('GET', '/v1/time/timerecords', undefined, { $filter: `user/id eq '${SMITH}' and (billable eq true or billable eq null)` });
    expect((smith.body as RawTimeRecord[]).map((r) => r.id)).toEqual([DUMMY_ID]);
    const old = await api('GET', '/v1/time/timerecords', undefined, { $filter: "start lt datetime'2018-01-01T00:00:00Z'" });
    expect((old.body as RawTimeRecord[]).map((r) => r.id)).toEqual([DUMMY_ID]);
  });

  it('orders, pages and caps $top at 1000', async () => {
    const all = await api('GET', '/v1/time/timerecords', undefined, { $orderby: 'updatedAt desc,id asc', $top: '5000' });
    const list = all.body as RawTimeRecord[];
    expect(list).toHaveLength(Math.min(1000, sim.store.records.size));
    const page2 = await api('GET', '/v1/time/timerecords', undefined, { $orderby: 'updatedAt desc,id asc', $top: '10', $skip: '10' });
    expect((page2.body as RawTimeRecord[]).map((r) => r.id)).toEqual(list.slice(10, 20).map((r) => r.id));
  });

  it('answers 400 PE01-1102 for a bad $filter or $orderby, 404 PE01-1104 for unknown ids', async () => {
    expect(await api('GET', '/v1/time/timerecords', undefined, { $filter: "start gt 'x' and" })).toMatchObject({ status: 400, body: { code: 'PE01-1102' } });
    expect(await api('GET', '/v1/time/timerecords', undefined, { $orderby: 'password asc' })).toMatchObject({ status: 400, body: { code: 'PE01-1102' } });
    expect(await api('GET', '/v1/time/timerecords/00000000-0000-4000-8000-000000000000')).toMatchObject({ status: 404, body: { code: 'PE01-1104' } });
    expect(await api('GET', '/v1/time/projects/00000000-0000-4000-8000-000000000000/timerecords')).toMatchObject({ status: 404 });
  });

  it('scopes lists by user, tag and work type', async () => {
    const byUser = await api('GET', `/v1/time/users/${SMITH}/timerecords`);
    expect((byUser.body as RawTimeRecord[]).map((r) => r.id)).toEqual([DUMMY_ID]);
    const [tagId, tagged] = [...sim.store.recordTags.entries()].map(([rid, tags]) => [tags[0], rid] as const)[0];
    const byTag = await api('GET', `/v1/time/tags/${tagId}/timerecords`);
    expect((byTag.body as RawTimeRecord[]).map((r) => r.id)).toContain(tagged);
    const byType = await api('GET', `/v1/time/worktypes/${SW}/timerecords/$count`);
    expect(byType.body).toBe('1');
  });
});

describe('primaERP simulator: writes', () => {
  it('creates a record (201 {id}, or the saved record with response_object=true)', async () => {
    const created = await api('POST', '/v1/time/timerecords', { user: { id: SMITH }, workType: { id: SW }, start: '/Date(1500000000000)/', duration: 3_600_000, billable: true });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    const full = await api('POST', `/v1/time/projects/3ee814df-75c2-4024-8e79-2390c5d0dfdf/timerecords`, { user: { id: SMITH }, duration: 600_000 }, { response_object: 'true' });
    expect(full.status).toBe(201);
    expect(full.body).toMatchObject({ version: 0, effective: true, recordType: 'ATTENDANCE', project: { id: '3ee814df-75c2-4024-8e79-2390c5d0dfdf' }, user: { id: SMITH, email: 'john.smith@example.com' } });
    const saved = sim.store.records.get((created.body as { id: string }).id)!;
    expect(saved.stop).toBe('/Date(1500003600000)/');
    expect(saved.price).toBe(Math.round(3.0023e-5 * 3_600_000 * 100) / 100);
  });

  it('validates with 400 PE01-1101 and constraintViolations', async () => {
    const res = await api('POST', '/v1/time/timerecords', { duration: -5, effective: null });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ status: 400, code: 'PE01-1101', message: expect.any(String), description: expect.any(String) });
    const fields = (res.body as { constraintViolations: Array<{ field: string; constraint: string; entityType: string; entityPath: string }> }).constraintViolations;
    expect(fields.map((v) => [v.field, v.constraint])).toEqual(expect.arrayContaining([['user', 'NotNull'], ['effective', 'NotNull'], ['duration', 'Min']]));
    expect(fields[0]).toMatchObject({ entityType: 'TimeRecord', entityPath: expect.stringMatching(/^TimeRecord\./) });
    expect(await api('POST', '/v1/time/timerecords', '{"user":')).toMatchObject({ status: 400, body: { code: 'PE01-1103' } });
  });

  it('updates with PUT carrying the current version (stale → 409 PE01-1107) and bumps it', async () => {
    const { body } = await api('POST', '/v1/time/timerecords', { user: { id: SMITH }, duration: 60_000, description: 'a' }, { response_object: 'true' });
    const rec = body as RawTimeRecord;
    const ok = await api('PUT', `/v1/time/timerecords/${rec.id}`, { version: rec.version, description: 'b' }, { response_object: 'true' });
    expect(ok).toMatchObject({ status: 200, body: { description: 'b', version: 1, duration: 60_000 } });
    const stale = await api('PUT', `/v1/time/timerecords/${rec.id}`, { version: rec.version, description: 'c' });
    expect(stale).toMatchObject({ status: 409, body: { status: 409, code: 'PE01-1107' } });
    expect(await api('PUT', `/v1/time/timerecords/${rec.id}`, { version: 1, description: 'd' })).toMatchObject({ status: 204 });
    expect(sim.store.records.get(rec.id)).toMatchObject({ description: 'd', version: 2 });
    expect(await api('PATCH', `/v1/time/timerecords/${rec.id}`, { version: 2 })).toMatchObject({ status: 405, body: { code: 'PE01-1105' } });
  });

  it('moves to the trash on DELETE, restores from the trash, and removes with ?hard=true', async () => {
    const { body } = await api('POST', '/v1/time/timerecords', { user: { id: SMITH }, duration: 60_000 }, { response_object: 'true' });
    const id = (body as RawTimeRecord).id;
    expect((await api('DELETE', `/v1/time/timerecords/${id}`)).status).toBe(204);
    const trashed = sim.store.records.get(id)!;
    expect(trashed.trashItem).toMatchObject({ id: expect.any(String), objectId: id });
    const visible = await api('GET', '/v1/time/timerecords', undefined, { $filter: `id eq '${id}' and trashItem eq null` });
    expect(visible.body).toEqual([]);
    const restored = await api('POST', `/v1/trash/${trashed.trashItem!.id}/$restore`);
    expect(restored).toMatchObject({ status: 200, body: { id, version: 2 } });
    expect((restored.body as RawTimeRecord).trashItem).toBeUndefined();
    expect((await api('DELETE', `/v1/time/timerecords/${id}`, undefined, { hard: 'true' })).status).toBe(204);
    expect((await api('GET', `/v1/time/timerecords/${id}`)).status).toBe(404);
  });

  it('recomputes a price with $updateprice and computes one without saving with $calculateprice', async () => {
    const { body } = await api('POST', '/v1/time/timerecords', { user: { id: SMITH }, workType: { id: SW }, duration: 3_600_000, billable: true }, { response_object: 'true' });
    const rec = body as RawTimeRecord;
    sim.store.rates.set(SW, 1e-4);
    const updated = await api('POST', `/v1/time/timerecords/${rec.id}/$updateprice`);
    expect(updated).toMatchObject({ status: 200, body: { price: 360, unitPrice: 1e-4, version: 1 } });
    sim.store.rates.set(SW, 3.0023e-5);
    const size = sim.store.records.size;
    const calc = await api('POST', `/v1/time/users/${SMITH}/timerecords/$calculateprice`, { workType: { id: SW }, duration: 21_600_000 });
    expect(calc).toMatchObject({ status: 200, body: { price: 648.5, billable: true } });
    expect(sim.store.records.size).toBe(size);
  });

  it('answers $unbilled and $unbilledsummary consistently', async () => {
    const list = (await api('GET', '/v1/time/timerecords/$unbilled')).body as RawTimeRecord[];
    const summary = (await api('GET', '/v1/time/timerecords/$unbilledsummary')).body as { count: number; duration: number; projects: Array<{ count: number }> };
    expect(list.every((r) => r.billable === true && r.billed !== true && !r.trashItem)).toBe(true);
    expect(summary.count).toBe(list.length);
    expect(summary.duration).toBe(list.reduce((s, r) => s + (r.duration ?? 0), 0));
    expect(summary.projects.reduce((s, p) => s + p.count, 0)).toBe(list.length);
  });
});

describe('primaERP simulator: seed', () => {
  it('is deterministic and uses the shared roster', async () => {
    const a = await startPrimaerpSimulator({ seed: 9 });
    const b = await startPrimaerpSimulator({ seed: 9 });
    try {
      expect([...a.store.records.keys()]).toEqual([...b.store.records.keys()]);
      expect(a.store.records.size).toBeGreaterThan(300);
      const emails = [...a.store.users.values()].map((u) => u.email);
      expect(emails).toContain('grace.hopper@example.com');
      expect([...a.store.users.values()].some((u) => u.email?.endsWith('@example.com') && u.timeZone == null)).toBe(true);
      expect([...a.store.records.values()].some((r) => !r.start)).toBe(true);
      expect([...a.store.records.values()].some((r) => r.trashItem)).toBe(true);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
