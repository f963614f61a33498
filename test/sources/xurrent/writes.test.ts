/**
 * Xurrent writes end to end: GraphQL mutations through a gateway over HTTP to the simulator, with the
 * exact upstream calls each makes (none for a rejected input) and the change visible in the next read.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { encodeId } from '../../../src/core/ids.js';
import { noFaults } from '../../../src/simulators/common/server.js';
import { startXurrentStack, type XurrentStack } from './stack.js';

let stack: XurrentStack;
beforeAll(async () => {
  stack = await startXurrentStack();
});
afterAll(async () => {
  await stack.close();
});
afterEach(() => {
  stack.sim.faults = noFaults();
});

const gid = (key: string | number) => encodeId('TimeEntry', 'XURRENT', String(key));
const keyOf = (id: string) => Buffer.from(id, 'base64url').toString().split(':')[2];

const FIELDS = `id sourceId workDate description deleted duration { minutes milliseconds } sourceDuration { value unit }
  person { sourceId name }
  ... on XurrentTimeEntry { date timeSpent correction archived trashed state customer { sourceId name } service { sourceId name }
    timeAllocation { sourceId name } request { sourceId } effortClass { sourceId } costCurrency startedAt noteId }`;

const CREATE = `mutation($input: TimeEntryCreateInput!, $key: String) { timeEntryCreate(input: $input, idempotencyKey: $key) {
  timeEntry { ${FIELDS} } userErrors { field message code } } }`;
const UPDATE = `mutation($id: ID!, $input: TimeEntryUpdateInput!) { timeEntryUpdate(id: $id, input: $input) {
  timeEntry { ${FIELDS} } userErrors { field message code } } }`;
const DELETE = `mutation($id: ID!, $hard: Boolean) { timeEntryDelete(id: $id, hard: $hard) {
  deletedId timeEntry { ${FIELDS} } userErrors { field message code } } }`;
const NODE = `query($id: ID!) { node(id: $id) { ... on TimeEntry { ${FIELDS} } } }`;

/** Seed 002/003's record 195, as a create input. */
const SEED_195 = {
  personId: '7',
  date: '2016-03-28',
  timeSpent: { minutes: 120 },
  timeAllocationId: '4',
  serviceId: '36',
  customerId: '8',
  description: 'Transaction response time testing for new HR features.',
};
const VALID = { personId: '101', date: '2026-10-20', timeSpent: { minutes: 45 }, customerId: '8', serviceId: '36' };

async function create(input: Record<string, unknown>, key?: string) {
  const r = await stack.gql(CREATE, { input: { xurrent: input }, key });
  expect(r.errors).toBeUndefined();
  return r.data.timeEntryCreate;
}
async function createdId(input: Record<string, unknown> = VALID): Promise<string> {
  const payload = await create(input);
  expect(payload.userErrors).toEqual([]);
  return payload.timeEntry.id;
}

describe('timeEntryCreate (POST /time_entries)', () => {
  it('creates the seed record 195 with one call; the 201 answer is the payload and the next read shows it', async () => {
    const calls = stack.mark();
    const payload = await create(SEED_195);
    expect(payload.userErrors).toEqual([]);
    expect(calls()).toEqual(['POST /v1/time_entries']);
    const entry = payload.timeEntry;
    expect(entry).toMatchObject({
      workDate: '2016-03-28', date: '2016-03-28', timeSpent: 120, duration: { minutes: 120 }, sourceDuration: { value: 120, unit: 'MINUTES' },
      person: { sourceId: '7', name: 'Chess Cole' }, customer: { sourceId: '8' }, service: { sourceId: '36', name: 'SAP Basis' },
      timeAllocation: { sourceId: '4' }, description: SEED_195.description, correction: false, deleted: false, archived: false, trashed: false, state: 'ACTIVE',
    });
    expect(stack.sim.store.get(Number(entry.sourceId))).toMatchObject({ time_spent: 120, person: { id: 7 } });

    const read = await stack.gql(NODE, { id: entry.id });
    expect(read.data.node).toEqual(entry);
    const listed = await stack.gql(`{ timeEntries(first: 5, filter: { xurrent: { ids: ["${entry.sourceId}"] } }) { nodes { id } } }`);
    expect(listed.data.timeEntries.nodes).toEqual([{ id: entry.id }]);
  });

  it('converts durations exactly to whole minutes', async () => {
    for (const [timeSpent, minutes] of [[{ hours: 1.5 }, 90], [{ seconds: 5400 }, 90], [{ milliseconds: 60_000 }, 1], [{ hours: 0.1 }, 6]] as const) {
      const payload = await create({ ...VALID, timeSpent });
      expect(payload.userErrors).toEqual([]);
      expect(payload.timeEntry).toMatchObject({ timeSpent: minutes, duration: { milliseconds: minutes * 60_000 } });
      expect(stack.sim.store.get(Number(payload.timeEntry.sourceId))!.time_spent).toBe(minutes);
    }
  });

  it('rejects 90 seconds as INEXACT_DURATION without any call, and rounds it only when asked', async () => {
    const calls = stack.mark();
    const inexact = await create({ ...VALID, timeSpent: { seconds: 90 } });
    expect(inexact).toEqual({
      timeEntry: null,
      userErrors: [{ field: ['input', 'xurrent', 'timeSpent', 'seconds'], code: 'INEXACT_DURATION', message: expect.stringContaining('90 seconds') }],
    });
    expect(calls()).toEqual([]);
    for (const [rounding, minutes] of [['UP', 2], ['DOWN', 1], ['NEAREST', 2]] as const) {
      const payload = await create({ ...VALID, timeSpent: { seconds: 90 }, rounding });
      expect(payload.timeEntry.timeSpent).toBe(minutes);
    }
    const negative = await create({ ...VALID, timeSpent: { seconds: -90 }, rounding: 'NEAREST', correction: true });
    expect(negative.timeEntry).toMatchObject({ timeSpent: -2, correction: true });
  });

  it.each([
    ['a description over 80 characters', { description: 'x'.repeat(81) }, ['description'], 'VALIDATION', '"xxxxx'],
    ['negative time without correction', { timeSpent: { minutes: -30 } }, ['timeSpent'], 'VALIDATION', '-30'],
    ['negative time with correction: false', { timeSpent: { hours: -1 }, correction: false }, ['timeSpent'], 'VALIDATION', '-60'],
    ['a person id that is not a positive integer', { personId: 'abc' }, ['personId'], 'INVALID_ID', '"abc"'],
    ['a zero customer id', { customerId: '0' }, ['customerId'], 'INVALID_ID', '"0"'],
    ['a malformed time allocation id', { timeAllocationId: '4.5' }, ['timeAllocationId'], 'INVALID_ID', '"4.5"'],
    ['a malformed note id', { noteId: '-3' }, ['noteId'], 'INVALID_ID', '"-3"'],
    ['a lower-case currency', { costCurrency: 'usd' }, ['costCurrency'], 'VALIDATION', '"usd"'],
    ['no customer and no linked record', { customerId: undefined }, ['customerId'], 'VALIDATION', 'got none'],
    ['no service and no linked record', { serviceId: undefined }, ['serviceId'], 'VALIDATION', 'got none'],
    ['more minutes than an Int holds', { timeSpent: { hours: 40_000_000 } }, ['timeSpent'], 'VALIDATION', '2400000000'],
    ['a duration in two units', { timeSpent: { hours: 1, minutes: 5 } }, null, null, null],
  ])('rejects %s before any call', async (_name, change, field, code, quoted) => {
    const calls = stack.mark();
    const r = await stack.gql(CREATE, { input: { xurrent: { ...VALID, ...change } } });
    expect(calls()).toEqual([]);
    if (field === null) {
      // @oneOf: GraphQL itself rejects the input, a failure of the request.
      expect(r.errors?.[0].message).toMatch(/exactly one key/i);
      return;
    }
    expect(r.data.timeEntryCreate.timeEntry).toBeNull();
    expect(r.data.timeEntryCreate.userErrors).toEqual([{ field: ['input', 'xurrent', ...field], code, message: expect.stringContaining(quoted!) }]);
  });

  it('leaves required fields to GraphQL when they are missing (no call)', async () => {
    const calls = stack.mark();
    const r = await stack.gql(CREATE, { input: { xurrent: { ...VALID, personId: undefined } } });
    expect(r.errors?.[0].message).toMatch(/personId/);
    expect(calls()).toEqual([]);
  });

  it('counts characters, not UTF-16 units: 80 emoji are a valid description', async () => {
    const payload = await create({ ...VALID, description: '⏱️'.slice(0, 1).repeat(40) + '😀'.repeat(40) });
    expect(payload.userErrors).toEqual([]);
    expect([...payload.timeEntry.description]).toHaveLength(80);
  });

  it('takes customer and service from a linked request', async () => {
    const payload = await create({ personId: '57', date: '2026-10-21', timeSpent: { minutes: 10 }, requestId: '70248' });
    expect(payload.userErrors).toEqual([]);
    expect(payload.timeEntry).toMatchObject({ request: { sourceId: '70248' }, customer: { sourceId: '48' }, service: { sourceId: '22' } });
  });

  it("maps Xurrent's 422 {message, errors} to userErrors on the input's fields (one call)", async () => {
    const calls = stack.mark();
    const payload = await create({ ...VALID, timeAllocationId: '4', personId: '999999' });
    expect(calls()).toEqual(['POST /v1/time_entries']);
    expect(payload.timeEntry).toBeNull();
    expect(payload.userErrors).toEqual(expect.arrayContaining([
      { field: ['input', 'xurrent', 'personId'], code: 'VALIDATION', message: 'personId is invalid (got "999999").' },
      { field: ['input', 'xurrent', 'description'], code: 'VALIDATION', message: "description can't be blank (none given)." },
    ]));
  });

  it('never retries: a create answered 500 is sent once and surfaces as a top-level SourceError', async () => {
    stack.sim.faults = { ...noFaults(), errorRate: 1, errorStatus: 500 };
    const before = stack.sim.store.entries.size;
    const calls = stack.mark();
    const r = await stack.gql(CREATE, { input: { xurrent: VALID } });
    expect(calls()).toEqual(['POST /v1/time_entries']);
    expect(r.errors?.[0].extensions).toMatchObject({ code: 'SOURCE_OUTCOME_UNKNOWN', source: 'XURRENT' });
    expect(r.data?.timeEntryCreate ?? null).toBeNull();
    expect(stack.sim.store.entries.size).toBe(before);
  });

  it('makes one call for a repeated idempotency key, and refuses the key with another input', async () => {
    const calls = stack.mark();
    const first = await create(VALID, 'xurrent-key-1');
    const again = await create(VALID, 'xurrent-key-1');
    expect(again).toEqual(first);
    expect(calls()).toEqual(['POST /v1/time_entries']);
    const other = await create({ ...VALID, description: 'other' }, 'xurrent-key-1');
    expect(other.userErrors).toEqual([expect.objectContaining({ code: 'IDEMPOTENCY_MISMATCH', field: ['idempotencyKey'] })]);
    expect(calls()).toEqual(['POST /v1/time_entries']);
  });
});

describe('timeEntryUpdate (PATCH /time_entries/:id)', () => {
  it('sends only the fields given, answers the 200 record and the next read shows it', async () => {
    const id = await createdId({ ...VALID, description: 'before', noteId: '77' });
    const calls = stack.mark();
    const r = await stack.gql(UPDATE, { id, input: { xurrent: { timeSpent: { hours: 2.25 }, description: 'after', noteId: null, effortClassId: '1' } } });
    expect(calls()).toEqual([`PATCH /v1/time_entries/${keyOf(id)}`]);
    expect(r.data.timeEntryUpdate.userErrors).toEqual([]);
    expect(r.data.timeEntryUpdate.timeEntry).toMatchObject({ id, timeSpent: 135, description: 'after', noteId: null, effortClass: { sourceId: '1' }, customer: { sourceId: '8' } });
    const read = await stack.gql(NODE, { id });
    expect(read.data.node).toEqual(r.data.timeEntryUpdate.timeEntry);
  });

  it('allows negative time only with correction: true in the same input', async () => {
    const id = await createdId();
    const calls = stack.mark();
    const refused = await stack.gql(UPDATE, { id, input: { xurrent: { timeSpent: { minutes: -15 } } } });
    expect(refused.data.timeEntryUpdate.userErrors).toEqual([expect.objectContaining({ field: ['input', 'xurrent', 'timeSpent'], code: 'VALIDATION' })]);
    expect(calls()).toEqual([]);
    const done = await stack.gql(UPDATE, { id, input: { xurrent: { timeSpent: { minutes: -15 }, correction: true } } });
    expect(done.data.timeEntryUpdate.timeEntry).toMatchObject({ timeSpent: -15, correction: true });
  });

  it.each([
    ['a long description', { description: 'y'.repeat(81) }, ['description'], 'VALIDATION'],
    ['an inexact duration', { timeSpent: { milliseconds: 1500 } }, ['timeSpent', 'milliseconds'], 'INEXACT_DURATION'],
    ['clearing a required reference', { personId: null }, ['personId'], 'VALIDATION'],
    ['clearing the date', { date: null }, ['date'], 'VALIDATION'],
    ['a malformed reference id', { serviceId: '36a' }, ['serviceId'], 'INVALID_ID'],
    ['nothing to change', { rounding: 'UP' }, [], 'VALIDATION'],
  ])('rejects %s before any call', async (_name, input, field, code) => {
    const calls = stack.mark();
    const r = await stack.gql(UPDATE, { id: gid(195), input: { xurrent: input } });
    expect(calls()).toEqual([]);
    expect(r.data.timeEntryUpdate).toEqual({ timeEntry: null, userErrors: [expect.objectContaining({ field: ['input', 'xurrent', ...field], code })] });
  });

  it('rejects malformed ids and ids of other backends before any call', async () => {
    const calls = stack.mark();
    const bad = await stack.gql(UPDATE, { id: gid('12ab'), input: { xurrent: { description: 'x' } } });
    expect(bad.data.timeEntryUpdate.userErrors).toEqual([expect.objectContaining({ field: ['id'], code: 'INVALID_ID' })]);
    const garbage = await stack.gql(UPDATE, { id: 'not-an-id', input: { xurrent: { description: 'x' } } });
    expect(garbage.data.timeEntryUpdate.userErrors[0].code).toBe('INVALID_ID');
    expect(calls()).toEqual([]);
  });

  it('answers NOT_FOUND for an unknown entry (one call), and maps a 422 of the PATCH', async () => {
    const calls = stack.mark();
    const missing = await stack.gql(UPDATE, { id: gid(98765432), input: { xurrent: { description: 'x' } } });
    expect(missing.data.timeEntryUpdate).toEqual({ timeEntry: null, userErrors: [expect.objectContaining({ field: ['id'], code: 'NOT_FOUND', message: expect.stringContaining('"98765432"') })] });
    expect(calls()).toEqual(['PATCH /v1/time_entries/98765432']);
    const id = await createdId();
    const invalid = await stack.gql(UPDATE, { id, input: { xurrent: { timeAllocationId: '6' } } });
    expect(invalid.data.timeEntryUpdate.userErrors).toEqual([{ field: ['input', 'xurrent', 'description'], code: 'VALIDATION', message: "description can't be blank (none given)." }]);
  });

  it('never retries an update answered 500', async () => {
    stack.sim.faults = { ...noFaults(), errorRate: 1, errorStatus: 500 };
    const calls = stack.mark();
    const r = await stack.gql(UPDATE, { id: gid(195), input: { xurrent: { description: 'x' } } });
    expect(calls()).toEqual(['PATCH /v1/time_entries/195']);
    expect(r.errors?.[0].extensions).toMatchObject({ code: 'SOURCE_OUTCOME_UNKNOWN', source: 'XURRENT' });
  });
});

describe('timeEntryDelete (DELETE /time_entries/:id, 204)', () => {
  it('deletes, reads the entry back as deleted, and the next read shows it', async () => {
    const id = await createdId();
    const key = keyOf(id);
    const calls = stack.mark();
    const r = await stack.gql(DELETE, { id });
    expect(calls()).toEqual([`DELETE /v1/time_entries/${key}`, `GET /v1/time_entries/${key}`]);
    expect(r.data.timeEntryDelete).toMatchObject({ deletedId: id, userErrors: [], timeEntry: { id, deleted: true } });
    expect((await stack.gql(NODE, { id })).data.node).toMatchObject({ deleted: true });
    const listed = await stack.gql(`{ timeEntries(first: 5, filter: { xurrent: { ids: ["${key}"] } }) { nodes { id } } }`);
    expect(listed.data.timeEntries.nodes).toEqual([]);
  });

  it('answers NOT_FOUND for an unknown entry, and refuses hard deletes before any call', async () => {
    let calls = stack.mark();
    const missing = await stack.gql(DELETE, { id: gid(98765432) });
    expect(missing.data.timeEntryDelete).toEqual({ deletedId: null, timeEntry: null, userErrors: [expect.objectContaining({ code: 'NOT_FOUND', field: ['id'] })] });
    expect(calls()).toEqual(['DELETE /v1/time_entries/98765432']);
    calls = stack.mark();
    const hard = await stack.gql(DELETE, { id: gid(195), hard: true });
    expect(hard.data.timeEntryDelete.userErrors).toEqual([expect.objectContaining({ field: ['hard'], code: 'UNSUPPORTED', message: expect.stringContaining('hard: true') })]);
    expect(calls()).toEqual([]);
    expect(stack.sim.store.get(195)!.deleted).toBe(false);
  });

  it('never retries a delete answered 500', async () => {
    stack.sim.faults = { ...noFaults(), errorRate: 1, errorStatus: 500 };
    const calls = stack.mark();
    const r = await stack.gql(DELETE, { id: gid(231) });
    expect(calls()).toEqual(['DELETE /v1/time_entries/231']);
    expect(r.errors?.[0].extensions).toMatchObject({ code: 'SOURCE_OUTCOME_UNKNOWN', source: 'XURRENT' });
  });
});

describe('xurrentTimeEntryArchive / Trash / Restore', () => {
  const ACT = (name: string) => `mutation($id: ID!) { ${name}(id: $id) { xurrentTimeEntry { id archived trashed state timeSpent customer { sourceId } } userErrors { field message code } } }`;
  const listed = async (key: string) =>
    (await stack.gql(`{ timeEntries(first: 5, filter: { xurrent: { ids: ["${key}"] } }) { nodes { id } } }`)).data.timeEntries.nodes.length;
  const byKey = async (key: string) => (await stack.gql(`{ xurrentTimeEntry(id: "${key}") { archived trashed state } }`)).data.xurrentTimeEntry;

  it('archives, trashes and restores with one call each; the state shows in the payload and the next reads', async () => {
    const id = await createdId();
    const key = keyOf(id);

    let calls = stack.mark();
    const archived = await stack.gql(ACT('xurrentTimeEntryArchive'), { id });
    expect(calls()).toEqual([`POST /v1/time_entries/${key}/archive`]);
    expect(archived.data.xurrentTimeEntryArchive).toEqual({
      xurrentTimeEntry: { id, archived: true, trashed: false, state: 'ARCHIVED', timeSpent: 45, customer: { sourceId: '8' } }, userErrors: [],
    });
    expect(await listed(key)).toBe(0);
    expect(await byKey(key)).toEqual({ archived: true, trashed: false, state: 'ARCHIVED' });

    calls = stack.mark();
    const trashed = await stack.gql(ACT('xurrentTimeEntryTrash'), { id });
    expect(calls()).toEqual([`POST /v1/time_entries/${key}/trash`]);
    expect(trashed.data.xurrentTimeEntryTrash.xurrentTimeEntry).toMatchObject({ archived: false, trashed: true, state: 'TRASHED' });
    expect(await byKey(key)).toEqual({ archived: false, trashed: true, state: 'TRASHED' });

    calls = stack.mark();
    const restored = await stack.gql(ACT('xurrentTimeEntryRestore'), { id });
    expect(calls()).toEqual([`POST /v1/time_entries/${key}/restore`]);
    expect(restored.data.xurrentTimeEntryRestore.xurrentTimeEntry).toMatchObject({ archived: false, trashed: false, state: 'ACTIVE' });
    expect(await listed(key)).toBe(1);
    expect((await stack.gql(NODE, { id })).data.node).toMatchObject({ state: 'ACTIVE' });
  });

  it('reads the vendor example answer "archived": "true" (a string) as archived', async () => {
    const id = await createdId();
    const key = Number(keyOf(id));
    stack.sim.store.entries.get(key)!.archived = 'true';
    expect(await byKey(String(key))).toEqual({ archived: true, trashed: false, state: 'ARCHIVED' });
  });

  it('answers NOT_FOUND, INVALID_ID and SOURCE_MISMATCH as userErrors (no call for the last two)', async () => {
    let calls = stack.mark();
    const missing = await stack.gql(ACT('xurrentTimeEntryArchive'), { id: gid(98765432) });
    expect(missing.data.xurrentTimeEntryArchive).toEqual({ xurrentTimeEntry: null, userErrors: [expect.objectContaining({ field: ['id'], code: 'NOT_FOUND' })] });
    expect(calls()).toEqual(['POST /v1/time_entries/98765432/archive']);
    calls = stack.mark();
    const bad = await stack.gql(ACT('xurrentTimeEntryTrash'), { id: gid('0') });
    expect(bad.data.xurrentTimeEntryTrash.userErrors).toEqual([expect.objectContaining({ field: ['id'], code: 'INVALID_ID' })]);
    const other = await stack.gql(ACT('xurrentTimeEntryRestore'), { id: encodeId('TimeEntry', 'PRIMAERP', '5d3c1f0e-0000-4000-8000-000000000001') });
    expect(other.data.xurrentTimeEntryRestore.userErrors).toEqual([expect.objectContaining({ field: ['id'], code: 'SOURCE_MISMATCH' })]);
    expect(calls()).toEqual([]);
  });

  it('never retries an archive answered 500', async () => {
    stack.sim.faults = { ...noFaults(), errorRate: 1, errorStatus: 500 };
    const calls = stack.mark();
    const r = await stack.gql(ACT('xurrentTimeEntryArchive'), { id: gid(195) });
    expect(calls()).toEqual(['POST /v1/time_entries/195/archive']);
    expect(r.errors?.[0].extensions).toMatchObject({ code: 'SOURCE_OUTCOME_UNKNOWN', source: 'XURRENT' });
  });
});
