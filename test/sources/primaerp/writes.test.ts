// primaERP writes end to end: GraphQL gateway → adapter → simulator over HTTP, and the next read.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { encodeId } from '../../../src/core/ids.js';
import { DUMMY_RECORD } from '../../../src/simulators/primaerp/index.js';
import type { RawTimeRecord } from '../../../src/sources/primaerp/raw.js';
import { formatMsJsonDate, isoUtc, parseMsJsonDate } from '../../../src/units/dates.js';
import { startPrimaerpStack, type PrimaerpStack } from './stack.js';

let stack: PrimaerpStack;
beforeAll(async () => {
  stack = await startPrimaerpStack();
  // Logs in once, so that request counts below are the writes' own.
  await stack.gql(`{ primaerpTimeRecord(id: "${DUMMY_RECORD.id}") { id } }`);
});
afterAll(() => stack.close());
beforeEach(() => stack.resetRequests());

const gid = (uuid: string) => encodeId('TimeEntry', 'PRIMAERP', uuid);
const FIELDS = `id sourceId duration { milliseconds } description deleted
  ... on PrimaerpTimeRecord { version start stop price unitPrice billable approved effective externalResourceId
    user { sourceId } project { sourceId } task { sourceId } client { sourceId } workType { sourceId } externalSystem { sourceId } trashItem { sourceId } }`;
const CREATE = `mutation($input: TimeEntryCreateInput!, $key: String) {
  timeEntryCreate(input: $input, idempotencyKey: $key) { timeEntry { ${FIELDS} } userErrors { field message code } } }`;
const UPDATE = `mutation($id: ID!, $input: TimeEntryUpdateInput!) {
  timeEntryUpdate(id: $id, input: $input) { timeEntry { ${FIELDS} } userErrors { field message code } } }`;
const DELETE = `mutation($id: ID!, $hard: Boolean) {
  timeEntryDelete(id: $id, hard: $hard) { deletedId timeEntry { ${FIELDS} } userErrors { field message code } } }`;
const RESTORE = `mutation($id: ID!) { primaerpTimeRecordRestore(id: $id) { primaerpTimeRecord { ${FIELDS} } userErrors { field message code } } }`;
const UPDATE_PRICE = `mutation($id: ID!) { primaerpTimeRecordUpdatePrice(id: $id) { primaerpTimeRecord { ${FIELDS} } userErrors { field message code } } }`;
const NODE = `query($id: ID!) { node(id: $id) { ... on TimeEntry { ${FIELDS} } } }`;

const iso = (msDate: string | null | undefined) => isoUtc(parseMsJsonDate(msDate!)!);

/** Seed 004's Dummy data record as a create input (its references, times and flags). */
function dummyInput(withId: boolean) {
  const d = DUMMY_RECORD;
  return {
    primaerp: {
      ...(withId ? { id: d.id } : {}),
      userId: d.user!.id,
      projectId: d.project!.id,
      taskId: d.task!.id,
      clientId: d.client!.id,
      workTypeId: d.workType!.id,
      externalSystemId: d.externalSystem!.id,
      externalResourceId: d.externalResourceId,
      externalBrowsableUrl: d.externalBrowsableUrl,
      externalSynced: d.externalSynced,
      start: iso(d.start),
      stop: iso(d.stop),
      duration: { milliseconds: d.duration },
      description: d.description,
      billable: d.billable,
      unitPrice: d.unitPrice,
      priceModified: d.priceModified,
      approved: d.approved,
    },
  };
}

/** A fresh record straight in the simulator's store (so tests do not depend on each other). */
async function freshRecord(extra: Record<string, unknown> = {}): Promise<RawTimeRecord> {
  const res = await stack.gql(CREATE, {
    input: { primaerp: { userId: DUMMY_RECORD.user!.id, start: '2026-10-20T08:00:00Z', duration: { hours: 1 }, description: 'fresh', ...extra } },
  });
  expect(res.data.timeEntryCreate.userErrors).toEqual([]);
  stack.resetRequests();
  // A copy: the simulator changes some records in place.
  return structuredClone(stack.sim.store.records.get(res.data.timeEntryCreate.timeEntry.sourceId)!);
}

describe('timeEntryCreate (primaERP)', () => {
  it("creates seed 004's Dummy data record with one POST, answers the saved record, and the next read shows it", async () => {
    const res = await stack.gql(CREATE, { input: dummyInput(false) });
    expect(res.errors).toBeUndefined();
    const { timeEntry, userErrors } = res.data.timeEntryCreate;
    expect(userErrors).toEqual([]);
    expect(timeEntry).toMatchObject({
      duration: { milliseconds: 21_600_000 },
      description: 'Form validations and CRUD.',
      deleted: false,
      version: 0,
      start: iso(DUMMY_RECORD.start),
      stop: iso(DUMMY_RECORD.stop),
      price: 648.5,
      unitPrice: 3.0023e-5,
      billable: true,
      approved: true,
      effective: true,
      externalResourceId: 'time-55567',
      user: { sourceId: DUMMY_RECORD.user!.id },
      project: { sourceId: DUMMY_RECORD.project!.id },
      task: { sourceId: DUMMY_RECORD.task!.id },
      client: { sourceId: DUMMY_RECORD.client!.id },
      workType: { sourceId: DUMMY_RECORD.workType!.id },
      externalSystem: { sourceId: DUMMY_RECORD.externalSystem!.id },
      trashItem: null,
    });
    expect(timeEntry.sourceId).not.toBe(DUMMY_RECORD.id);
    expect(stack.upstream()).toEqual(['POST /v1/time/timerecords?response_object=true']);
    const read = await stack.gql(NODE, { id: timeEntry.id });
    expect(read.data.node).toEqual(timeEntry);
  });

  it("maps primaERP's constraintViolations to userErrors with field paths (the Dummy record's own id is taken)", async () => {
    const res = await stack.gql(CREATE, { input: dummyInput(true) });
    expect(res.data.timeEntryCreate).toEqual({
      timeEntry: null,
      userErrors: [{ field: ['input', 'primaerp', 'id'], message: expect.stringContaining(`"${DUMMY_RECORD.id}"`), code: 'VALIDATION' }],
    });
    expect(stack.upstream()).toEqual(['POST /v1/time/timerecords?response_object=true']);
    const stop = await stack.gql(CREATE, {
      input: { primaerp: { userId: DUMMY_RECORD.user!.id, start: '2026-10-20T10:00:00Z', stop: '2026-10-20T09:00:00Z' } },
    });
    expect(stop.data.timeEntryCreate.timeEntry).toBeNull();
    expect(stop.data.timeEntryCreate.userErrors).toContainEqual({
      field: ['input', 'primaerp', 'stop'],
      message: expect.stringMatching(/stop.*before start.*\/Date\(/),
      code: 'VALIDATION',
    });
  });

  it('converts durations exactly to milliseconds, and rounds only when asked', async () => {
    const exact = await stack.gql(CREATE, { input: { primaerp: { userId: DUMMY_RECORD.user!.id, duration: { hours: 1.5 } } } });
    expect(exact.data.timeEntryCreate.timeEntry.duration).toEqual({ milliseconds: 5_400_000 });
    const rounded = await stack.gql(CREATE, { input: { primaerp: { userId: DUMMY_RECORD.user!.id, duration: { milliseconds: 1.5 }, rounding: 'NEAREST' } } });
    expect(rounded.data.timeEntryCreate.timeEntry.duration).toEqual({ milliseconds: 2 });
    const down = await stack.gql(CREATE, { input: { primaerp: { userId: DUMMY_RECORD.user!.id, duration: { seconds: 0.0015 }, rounding: 'DOWN' } } });
    expect(down.data.timeEntryCreate.timeEntry.duration).toEqual({ milliseconds: 1 });
  });

  it.each([
    ['1.5 ms without rounding', { duration: { milliseconds: 1.5 } }, ['input', 'primaerp', 'duration', 'milliseconds'], 'INEXACT_DURATION', '1.5'],
    ['a negative duration', { duration: { minutes: -2 } }, ['input', 'primaerp', 'duration', 'minutes'], 'VALIDATION', '-120000'],
    ['a malformed user UUID', { userId: 'John Smith' }, ['input', 'primaerp', 'userId'], 'INVALID_ID', '"John Smith"'],
    ['an upper-case project UUID', { projectId: DUMMY_RECORD.project!.id.toUpperCase() }, ['input', 'primaerp', 'projectId'], 'INVALID_ID', DUMMY_RECORD.project!.id.toUpperCase()],
    ['a malformed record id', { id: '42' }, ['input', 'primaerp', 'id'], 'INVALID_ID', '"42"'],
    ['effective: null', { effective: null }, ['input', 'primaerp', 'effective'], 'VALIDATION', 'null'],
  ])('refuses %s before any upstream call', async (_name, change, field, code, quoted) => {
    const res = await stack.gql(CREATE, { input: { primaerp: { userId: DUMMY_RECORD.user!.id, ...change } } });
    expect(res.data.timeEntryCreate).toEqual({ timeEntry: null, userErrors: [{ field, message: expect.stringContaining(quoted), code }] });
    expect(stack.upstream()).toEqual([]);
  });

  it('refuses a create without a user before any upstream call', async () => {
    const res = await stack.gql(CREATE, { input: { primaerp: { description: 'nobody' } } });
    expect(res.errors?.[0].message).toMatch(/userId/);
    expect(stack.upstream()).toEqual([]);
  });

  it('creates once per idempotency key', async () => {
    const input = { primaerp: { userId: DUMMY_RECORD.user!.id, description: 'once', duration: { minutes: 5 } } };
    const first = await stack.gql(CREATE, { input, key: 'primaerp-once' });
    const again = await stack.gql(CREATE, { input, key: 'primaerp-once' });
    expect(again.data).toEqual(first.data);
    expect(stack.upstream()).toEqual(['POST /v1/time/timerecords?response_object=true']);
  });

  it('does not retry a create primaERP answered 500, and reports it as a typed top-level error', async () => {
    stack.sim.faults = { ...stack.sim.faults, errorRate: 1, errorStatus: 500 };
    try {
      const res = await stack.gql(CREATE, { input: { primaerp: { userId: DUMMY_RECORD.user!.id, description: 'fails' } } });
      expect(res.errors?.[0].extensions).toEqual({ code: 'SOURCE_OUTCOME_UNKNOWN', source: 'PRIMAERP' });
      expect(stack.upstream()).toEqual(['POST /v1/time/timerecords?response_object=true']);
    } finally {
      stack.sim.faults = { ...stack.sim.faults, errorRate: 0 };
    }
  });
});

describe('timeEntryUpdate (primaERP)', () => {
  it('reads, applies the given fields and PUTs the whole record with the version; the next read shows it', async () => {
    const rec = await freshRecord({ billable: true, unitPrice: 0.00001 });
    const res = await stack.gql(UPDATE, { id: gid(rec.id), input: { primaerp: { version: rec.version, description: 'changed', duration: { hours: 2 } } } });
    expect(res.data.timeEntryUpdate.userErrors).toEqual([]);
    expect(res.data.timeEntryUpdate.timeEntry).toMatchObject({
      description: 'changed',
      duration: { milliseconds: 7_200_000 },
      version: rec.version! + 1,
      start: '2026-10-20T08:00:00.000Z',
      stop: '2026-10-20T10:00:00.000Z',
      price: 72,
      user: { sourceId: DUMMY_RECORD.user!.id },
    });
    expect(stack.upstream()).toEqual([`GET /v1/time/timerecords/${rec.id}`, `PUT /v1/time/timerecords/${rec.id}?response_object=true`]);
    const read = await stack.gql(NODE, { id: gid(rec.id) });
    expect(read.data.node).toEqual(res.data.timeEntryUpdate.timeEntry);
  });

  it('derives duration from a new start and stop, and clears a reference given as null', async () => {
    const rec = await freshRecord({ projectId: DUMMY_RECORD.project!.id });
    const res = await stack.gql(UPDATE, {
      id: gid(rec.id),
      input: { primaerp: { version: rec.version, start: '2026-10-21T09:00:00+02:00', stop: '2026-10-21T09:30:00+02:00', projectId: null } },
    });
    expect(res.data.timeEntryUpdate.timeEntry).toMatchObject({ duration: { milliseconds: 1_800_000 }, start: '2026-10-21T07:00:00.000Z', project: null });
  });

  it('answers a stale version with VERSION_CONFLICT from primaERP\'s 409, never overwriting', async () => {
    const rec = await freshRecord();
    const stale = rec.version!;
    const first = await stack.gql(UPDATE, { id: gid(rec.id), input: { primaerp: { version: stale, description: 'first writer' } } });
    expect(first.data.timeEntryUpdate.userErrors).toEqual([]);
    stack.resetRequests();
    const second = await stack.gql(UPDATE, { id: gid(rec.id), input: { primaerp: { version: stale, description: 'second writer' } } });
    expect(second.data.timeEntryUpdate).toEqual({
      timeEntry: null,
      userErrors: [{ field: ['input', 'primaerp', 'version'], message: expect.stringContaining(`Version ${stale}`), code: 'VERSION_CONFLICT' }],
    });
    expect(stack.upstream()).toEqual([`GET /v1/time/timerecords/${rec.id}`, `PUT /v1/time/timerecords/${rec.id}?response_object=true`]);
    expect(stack.sim.store.records.get(rec.id)).toMatchObject({ description: 'first writer', version: stale + 1 });
    const read = await stack.gql(NODE, { id: gid(rec.id) });
    expect(read.data.node.description).toBe('first writer');
  });

  it.each([
    ['userId: null', { userId: null }, ['input', 'primaerp', 'userId'], 'VALIDATION'],
    ['duration: null', { duration: null }, ['input', 'primaerp', 'duration'], 'VALIDATION'],
    ['1.5 ms', { duration: { milliseconds: 1.5 } }, ['input', 'primaerp', 'duration', 'milliseconds'], 'INEXACT_DURATION'],
    ['a negative duration', { duration: { hours: -1 } }, ['input', 'primaerp', 'duration', 'hours'], 'VALIDATION'],
    ['a malformed task UUID', { taskId: 'task-334' }, ['input', 'primaerp', 'taskId'], 'INVALID_ID'],
  ])('refuses %s before any upstream call', async (_name, change, field, code) => {
    const res = await stack.gql(UPDATE, { id: gid(DUMMY_RECORD.id), input: { primaerp: { version: 3, ...change } } });
    expect(res.data.timeEntryUpdate).toEqual({ timeEntry: null, userErrors: [{ field, message: expect.any(String), code }] });
    expect(stack.upstream()).toEqual([]);
  });

  it('answers NOT_FOUND for an unknown record, and INVALID_ID without a call for a malformed one', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    const res = await stack.gql(UPDATE, { id: gid(unknown), input: { primaerp: { version: 1, description: 'x' } } });
    expect(res.data.timeEntryUpdate.userErrors).toEqual([{ field: ['id'], message: expect.stringContaining(unknown), code: 'NOT_FOUND' }]);
    expect(stack.upstream()).toEqual([`GET /v1/time/timerecords/${unknown}`]);
    stack.resetRequests();
    const bad = await stack.gql(UPDATE, { id: gid('not-a-uuid'), input: { primaerp: { version: 1 } } });
    expect(bad.data.timeEntryUpdate.userErrors[0].code).toBe('INVALID_ID');
    expect(stack.upstream()).toEqual([]);
  });
});

describe('timeEntryDelete and primaerpTimeRecordRestore', () => {
  it('moves to the trash, restores from it, and shows each state in the next read', async () => {
    const rec = await freshRecord();
    const del = await stack.gql(DELETE, { id: gid(rec.id) });
    expect(del.data.timeEntryDelete).toMatchObject({ deletedId: gid(rec.id), userErrors: [], timeEntry: { deleted: true, trashItem: { sourceId: expect.any(String) } } });
    expect(stack.upstream()).toEqual([`DELETE /v1/time/timerecords/${rec.id}`, `GET /v1/time/timerecords/${rec.id}`]);
    expect((await stack.gql(NODE, { id: gid(rec.id) })).data.node.deleted).toBe(true);
    const listed = await stack.gql(`{ timeEntries(first: 500, sort: UPDATED_AT_DESC, filter: { sources: [PRIMAERP] }) { nodes { id } } }`);
    expect(listed.data.timeEntries.nodes.map((n: { id: string }) => n.id)).not.toContain(gid(rec.id));

    stack.resetRequests();
    const trashItemId = stack.sim.store.records.get(rec.id)!.trashItem!.id;
    const restored = await stack.gql(RESTORE, { id: gid(rec.id) });
    expect(restored.data.primaerpTimeRecordRestore).toMatchObject({ userErrors: [], primaerpTimeRecord: { sourceId: rec.id, deleted: false, trashItem: null } });
    expect(stack.upstream()).toEqual([`GET /v1/time/timerecords/${rec.id}`, `POST /v1/trash/${trashItemId}/$restore?response_object=true`]);
    expect((await stack.gql(NODE, { id: gid(rec.id) })).data.node.deleted).toBe(false);

    stack.resetRequests();
    const again = await stack.gql(RESTORE, { id: gid(rec.id) });
    expect(again.data.primaerpTimeRecordRestore).toEqual({ primaerpTimeRecord: null, userErrors: [{ field: ['id'], message: expect.stringContaining(rec.id), code: 'NOT_IN_TRASH' }] });
    expect(stack.upstream()).toEqual([`GET /v1/time/timerecords/${rec.id}`]);
  });

  it('removes for good with hard: true; the next read finds nothing', async () => {
    const rec = await freshRecord();
    const del = await stack.gql(DELETE, { id: gid(rec.id), hard: true });
    expect(del.data.timeEntryDelete).toEqual({ deletedId: gid(rec.id), timeEntry: null, userErrors: [] });
    expect(stack.upstream()).toEqual([`DELETE /v1/time/timerecords/${rec.id}?hard=true`]);
    expect(stack.sim.store.records.has(rec.id)).toBe(false);
    const read = await stack.gql(NODE, { id: gid(rec.id) });
    expect(read.data?.node ?? null).toBeNull();
    const again = await stack.gql(DELETE, { id: gid(rec.id) });
    expect(again.data.timeEntryDelete).toEqual({ deletedId: null, timeEntry: null, userErrors: [{ field: ['id'], message: expect.stringContaining(rec.id), code: 'NOT_FOUND' }] });
  });

  it('refuses ids of another backend for the primaERP-only mutations, with no upstream call', async () => {
    const res = await stack.gql(RESTORE, { id: encodeId('TimeEntry', 'XURRENT', '195') });
    expect(res.data.primaerpTimeRecordRestore.userErrors).toEqual([{ field: ['id'], message: expect.any(String), code: 'SOURCE_MISMATCH' }]);
    expect(stack.upstream()).toEqual([]);
  });
});

describe('primaerpTimeRecordUpdatePrice', () => {
  it('recomputes the price from the current price list with one call; the next read shows it', async () => {
    const workType = [...stack.sim.store.workTypes.values()][1];
    const rec = await freshRecord({ billable: true, workTypeId: workType.id });
    const oldRate = stack.sim.store.rates.get(workType.id)!;
    expect(rec.price).toBe(Math.round(oldRate * 3_600_000 * 100) / 100);
    stack.sim.store.rates.set(workType.id, 100 / 3_600_000);
    try {
      const res = await stack.gql(UPDATE_PRICE, { id: gid(rec.id) });
      expect(res.data.primaerpTimeRecordUpdatePrice).toMatchObject({ userErrors: [], primaerpTimeRecord: { price: 100, version: rec.version! + 1 } });
      expect(stack.upstream()).toEqual([`POST /v1/time/timerecords/${rec.id}/$updateprice?response_object=true`]);
      expect((await stack.gql(NODE, { id: gid(rec.id) })).data.node.price).toBe(100);
    } finally {
      stack.sim.store.rates.set(workType.id, oldRate);
    }
  });

  it('answers NOT_FOUND for an unknown record', async () => {
    const unknown = '00000000-0000-4000-8000-000000000001';
    const res = await stack.gql(UPDATE_PRICE, { id: gid(unknown) });
    expect(res.data.primaerpTimeRecordUpdatePrice).toEqual({ primaerpTimeRecord: null, userErrors: [{ field: ['id'], message: expect.stringContaining(unknown), code: 'NOT_FOUND' }] });
  });
});

// DateTime inputs reach primaERP as Microsoft JSON dates, the only date format it reads.
it('sends start as a Microsoft JSON date', async () => {
  const rec = await freshRecord();
  expect(rec.start).toBe(formatMsJsonDate(Date.parse('2026-10-20T08:00:00Z')));
});
