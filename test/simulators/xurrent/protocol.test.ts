import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startXurrentSimulator, type XurrentSimulatorHandle } from '../../../src/simulators/xurrent/index.js';

let sim: XurrentSimulatorHandle;
const AUTH = { authorization: 'Bearer xurrent-sim-token', 'x-4me-account': 'wna-it' };

beforeAll(async () => {
  sim = await startXurrentSimulator({ rateLimit: { burst: 100_000 } });
});
afterAll(() => sim.close());

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = AUTH) {
  const res = await fetch(`${sim.origin}/v1${path}`, {
    method,
    headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
}

const valid = { person_id: 101, customer_id: 8, service_id: 36, date: '2026-10-20', time_spent: 45, description: 'Pairing session' };

describe('Xurrent simulator: auth and limits', () => {
  it('answers 401 {message} without or with a wrong token, and for a missing account', async () => {
    const variants: Array<Record<string, string>> = [{}, { ...AUTH, authorization: 'Bearer wrong' }, { authorization: AUTH.authorization }];
    for (const headers of variants) {
      const r = await call('GET', '/time_entries', undefined, headers);
      expect(r.status).toBe(401);
      expect(typeof r.body.message).toBe('string');
    }
  });

  it('answers 404 {message} for an unknown account', async () => {
    const r = await call('GET', '/time_entries', undefined, { ...AUTH, 'x-4me-account': 'nope' });
    expect(r.status).toBe(404);
    expect(r.body.message).toMatch(/nope/);
  });

  it('answers 429 with Retry-After over the burst limit, per token', async () => {
    const s = await startXurrentSimulator({ count: 3, rateLimit: { burst: 3, burstWindowMs: 60_000 } });
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 4; i++) {
      last = await fetch(`${s.origin}/v1/people`, { headers: AUTH });
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(last!.headers.get('x-ratelimit-limit')).toBe('3600');
    await s.close();
  });
});

describe('Xurrent simulator: reads', () => {
  it('pages with Link and X-Pagination headers', async () => {
    const r = await call('GET', '/time_entries?per_page=7&page=2&sort=-date');
    expect(r.body).toHaveLength(7);
    const total = Number(r.headers.get('x-pagination-total-entries'));
    expect(r.headers.get('x-pagination-per-page')).toBe('7');
    expect(r.headers.get('x-pagination-current-page')).toBe('2');
    expect(r.headers.get('x-pagination-total-pages')).toBe(String(Math.ceil(total / 7)));
    const link = r.headers.get('link')!;
    for (const rel of ['first', 'prev', 'next', 'last']) expect(link).toContain(`rel="${rel}"`);
    expect(link).toMatch(/<http:\/\/127\.0\.0\.1:\d+\/v1\/time_entries\?[^>]*page=3[^>]*>; rel="next"/);
    const dates = (r.body as Array<{ date: string }>).map((e) => e.date);
    expect([...dates].sort().reverse()).toEqual(dates);
  });

  it('defaults to 20 per page sorted by id and caps per_page at 100', async () => {
    const r = await call('GET', '/time_entries');
    expect(r.body).toHaveLength(20);
    expect(r.body[0].id).toBe(195);
    expect(r.body[1].id).toBe(231);
    expect((await call('GET', '/time_entries?per_page=500')).body).toHaveLength(100);
  });

  it('filters by date range, updated_at, id, person and deleted', async () => {
    const range = await call('GET', `/time_entries?per_page=100&date=${encodeURIComponent('>=2026-09-01<=2026-09-03')}`);
    expect(range.body.length).toBeGreaterThan(0);
    for (const e of range.body) expect(e.date >= '2026-09-01' && e.date <= '2026-09-03').toBe(true);
    const after = await call('GET', `/time_entries?per_page=100&updated_at=${encodeURIComponent('>2026-10-25T00:00:00Z')}`);
    for (const e of after.body) expect(Date.parse(e.updated_at)).toBeGreaterThan(Date.parse('2026-10-25T00:00:00Z'));
    expect((await call('GET', '/time_entries?id=231,195')).body.map((e: { id: number }) => e.id)).toEqual([195, 231]);
    for (const e of (await call('GET', '/time_entries?per_page=100&person=103')).body) expect(e.person.id).toBe(103);
    const deleted = await call('GET', '/time_entries?per_page=100&deleted=true');
    expect(deleted.body.length).toBeGreaterThan(0);
    for (const e of deleted.body) expect(e.deleted).toBe(true);
    expect((await call('GET', '/time_entries?date=yesterday')).status).toBe(400);
  });

  it('hides deleted entries older than 3 months', async () => {
    const gone = [...sim.store.entries.values()].find((e) => e.deleted && !sim.store.isReadable(e))!;
    expect(gone).toBeDefined();
    expect((await call('GET', `/time_entries/${gone.id}`)).status).toBe(404);
    expect((await call('GET', `/time_entries?id=${gone.id}`)).body).toEqual([]);
  });

  it('returns the collection fields by default and more with ?fields=', async () => {
    const byDefault = (await call('GET', '/time_entries?id=1001')).body[0];
    expect(byDefault).not.toHaveProperty('effort_class');
    const chosen = (await call('GET', '/time_entries?id=1001&fields=time_spent,effort_class,charge,time_allocation')).body[0];
    expect(Object.keys(chosen).every((k) => ['id', 'time_spent', 'effort_class', 'charge', 'time_allocation', 'request', 'problem', 'task', 'project_task'].includes(k))).toBe(true);
    expect(chosen).toHaveProperty('effort_class');
  });

  it('serves people by id and by id list', async () => {
    expect((await call('GET', '/people/7')).body).toMatchObject({ id: 7, name: 'Chess Cole', primary_email: 'chess.cole@widget.com' });
    expect((await call('GET', '/people?id=57,101')).body.map((p: { primary_email: string }) => p.primary_email)).toEqual(['tom.waters@widget.com', 'ada.lovelace@example.com']);
    expect((await call('GET', '/people/4242')).status).toBe(404);
  });
});

describe('Xurrent simulator: writes', () => {
  it('creates an entry (201, full record, organization from the person)', async () => {
    const r = await call('POST', '/time_entries', { ...valid, effort_class_id: 1 });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ date: '2026-10-20', time_spent: 45, person: { id: 101, name: 'Ada Lovelace' }, customer: { id: 8 }, service: { id: 36 }, deleted: false, correction: false, charge: 90, charge_type: 'time_material' });
    expect(r.body.organization).toBeDefined();
    expect(r.body.created_at).toBe(r.body.updated_at);
    expect((await call('GET', `/time_entries/${r.body.id}`)).body).toEqual(r.body);
  });

  it('keeps source and sourceID of a create and filters on each, exactly (seed 002 lists both as filters)', async () => {
    const r = await call('POST', '/time_entries', { ...valid, source: 'TimeGraph', sourceID: 'tg-abc' });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ source: 'TimeGraph', sourceID: 'tg-abc' });
    const found = await call('GET', '/time_entries?source=TimeGraph&sourceID=tg-abc&fields=source,sourceID');
    expect(found.body).toEqual([{ id: r.body.id, source: 'TimeGraph', sourceID: 'tg-abc' }]);
    expect((await call('GET', '/time_entries?sourceID=tg-ab')).body).toEqual([]);
    const long = await call('POST', '/time_entries', { ...valid, source: 'x'.repeat(31) });
    expect(long.status).toBe(422);
    expect(long.body.errors).toEqual([['source', 'is too long (maximum is 30 characters)']]);
  });

  it('answers 422 {message, errors} for missing fields, a long description and a negative non-correction', async () => {
    const missing = await call('POST', '/time_entries', { date: '2026-10-20' });
    expect(missing.status).toBe(422);
    expect(missing.body.message).toMatch(/^Validation failed/);
    expect(missing.body.errors.map(([f]: [string]) => f).sort()).toEqual(['customer', 'person', 'service', 'time_spent']);
    const long = await call('POST', '/time_entries', { ...valid, description: 'x'.repeat(81) });
    expect(long.status).toBe(422);
    expect(long.body.errors).toContainEqual(['description', 'is too long (maximum is 80 characters)']);
    const negative = await call('POST', '/time_entries', { ...valid, time_spent: -30 });
    expect(negative.status).toBe(422);
    expect(negative.body.errors[0][0]).toBe('time_spent');
    const correction = await call('POST', '/time_entries', { ...valid, time_spent: -30, correction: true });
    expect(correction.status).toBe(201);
    expect(correction.body.time_spent).toBe(-30);
    const described = await call('POST', '/time_entries', { ...valid, description: undefined, time_allocation_id: 4 });
    expect(described.status).toBe(422);
    expect(described.body.errors).toContainEqual(['description', "can't be blank"]);
  });

  it('updates with PATCH (200), deletes with 204, and archives, trashes and restores', async () => {
    const { body: created } = await call('POST', '/time_entries', valid);
    const patched = await call('PATCH', `/time_entries/${created.id}`, { time_spent: 60, description: 'Longer pairing' });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ id: created.id, time_spent: 60, description: 'Longer pairing' });
    expect((await call('PATCH', `/time_entries/${created.id}`, { description: 'y'.repeat(81) })).status).toBe(422);

    const archived = await call('POST', `/time_entries/${created.id}/archive`);
    expect(archived).toMatchObject({ status: 200, body: { archived: true } });
    expect((await call('GET', `/time_entries?id=${created.id}`)).body).toEqual([]);
    const trashed = await call('POST', `/time_entries/${created.id}/trash`);
    expect(trashed.body.trashed).toBe(true);
    expect(trashed.body).not.toHaveProperty('archived');
    const restored = await call('POST', `/time_entries/${created.id}/restore`);
    expect(restored.status).toBe(200);
    expect(restored.body).not.toHaveProperty('trashed');
    expect((await call('GET', `/time_entries?id=${created.id}`)).body).toHaveLength(1);

    const removed = await call('DELETE', `/time_entries/${created.id}`);
    expect(removed.status).toBe(204);
    expect(removed.body).toBeNull();
    expect((await call('GET', `/time_entries/${created.id}`)).body.deleted).toBe(true);
    expect((await call('DELETE', '/time_entries/99999999')).status).toBe(404);
    expect((await call('PATCH', '/time_entries/99999999', { time_spent: 1 })).status).toBe(404);
  });

  it('sets customer and service from a linked problem, task or project task, and counts description characters', async () => {
    const base = { person_id: 101, date: '2026-10-20', time_spent: 5 };
    const task = await call('POST', '/time_entries', { ...base, task_id: 9031, customer_id: 8 });
    expect(task).toMatchObject({ status: 201, body: { service: { id: 36 }, customer: { id: 8 } } });
    const problem = await call('POST', '/time_entries', { ...base, problem_id: 812 });
    expect(problem.status).toBe(422);
    expect(problem.body.errors).toEqual([['customer', "can't be blank"]]);
    const emoji = await call('POST', '/time_entries', { ...base, customer_id: 8, service_id: 36, description: '😀'.repeat(80) });
    expect(emoji.status).toBe(201);
    expect((await call('POST', '/time_entries', { ...base, customer_id: 8, service_id: 36, description: '😀'.repeat(81) })).status).toBe(422);
  });

  it('answers 400 {message} for a body that is not JSON', async () => {
    const res = await fetch(`${sim.origin}/v1/time_entries`, { method: 'POST', headers: { ...AUTH, 'content-type': 'application/json' }, body: '{oops' });
    expect(res.status).toBe(400);
    expect(await res.json()).toHaveProperty('message');
  });
});
