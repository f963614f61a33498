import { afterEach, describe, expect, it } from 'vitest';
import { noFaults } from '../../../src/simulators/common/server.js';
import { collect, startRig, type Rig } from './helpers.js';

const DUMMY_ID = '0a9c3af3-4bf7-4435-b4e7-cb66da031996';
let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
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
