// Regression (issue 7): a keyed create whose answer was lost was created twice, because the retry with
// the same key sent a second POST. Now the create carries the attempt's stamp (Xurrent `source` +
// `sourceID`, primaERP `externalResourceId`) and the retry finds the entry with one lookup instead.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noFaults, type RecordedRequest } from '../../src/simulators/common/server.js';
import { DUMMY_RECORD, startPrimaerpSimulator, type PrimaerpSimulatorHandle } from '../../src/simulators/primaerp/index.js';
import { startXurrentSimulator, type XurrentSimulatorHandle } from '../../src/simulators/xurrent/index.js';
import { serveGateway } from '../support/stack.js';
import { startRedis } from '../support/redis.js';

const CREATE = `mutation C($input: TimeEntryCreateInput!, $key: String) {
  timeEntryCreate(input: $input, idempotencyKey: $key) {
    timeEntry { id sourceId description ... on XurrentTimeEntry { externalSource externalSourceId } ... on PrimaerpTimeRecord { externalResourceId } }
    userErrors { field message code }
  }
}`;
const xurrentInput = (description: string) => ({
  xurrent: { personId: '7', date: '2026-10-21', timeSpent: { minutes: 30 }, customerId: '8', serviceId: '36', description },
});
const primaerpInput = (description: string, extra: Record<string, unknown> = {}) => ({
  primaerp: { userId: DUMMY_RECORD.user!.id, start: '2026-10-21T08:00:00Z', duration: { hours: 1 }, description, ...extra },
});

/** Upstream calls other than logins, as `METHOD path`. */
const calls = (requests: RecordedRequest[], from: number) =>
  requests.slice(from).filter((r) => !r.path.endsWith('/auth/login')).map((r) => `${r.method} ${r.path}`);

describe.each(['memory', 'redis'])('a keyed create whose answer is lost (%s store)', (store) => {
  let xurrent: XurrentSimulatorHandle;
  let primaerp: PrimaerpSimulatorHandle;
  let gateway: Awaited<ReturnType<typeof serveGateway>>;
  let redis: Awaited<ReturnType<typeof startRedis>> | undefined;
  let n = 0;
  const key = () => `lost-${store}-${Date.now()}-${n++}`;

  beforeAll(async () => {
    redis = store === 'redis' ? await startRedis() : undefined;
    xurrent = await startXurrentSimulator({ rateLimit: { perHour: 1_000_000, burst: 1_000_000 } });
    primaerp = await startPrimaerpSimulator();
    gateway = await serveGateway({ ...xurrent.env, ...primaerp.env, XURRENT_RATE_LIMIT: 'off', PRIMAERP_RATE_LIMIT: 'off', ...(redis && { REDIS_URL: redis.url }) });
    // primaERP's login happens now, so the faults hit the writes.
    await gateway.gql(`{ primaerpTimeRecord(id: "${DUMMY_RECORD.id}") { id } }`);
  });
  afterAll(async () => {
    await gateway.close();
    await Promise.all([xurrent.close(), primaerp.close()]);
    await redis?.stop();
  });

  it('Xurrent: the retry with the same key returns the entry the first POST stored; one POST in all', async () => {
    const k = key();
    const input = xurrentInput(`lost answer ${k}`);
    const from = xurrent.requests.length;
    xurrent.faults = { ...noFaults(), resetAfterWrite: 1 };
    const first = await gateway.gql(CREATE, { input, key: k });
    expect(first.errors?.map((e) => e.extensions)).toEqual([{ code: 'SOURCE_OUTCOME_UNKNOWN', source: 'XURRENT' }]);
    const stored = [...xurrent.store.entries.values()].filter((e) => e.description === `lost answer ${k}`);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ source: 'TimeGraph', sourceID: expect.stringMatching(/^tg-/) });

    const retry = await gateway.gql(CREATE, { input, key: k });
    expect(retry.errors).toBeUndefined();
    expect(retry.data.timeEntryCreate).toMatchObject({
      timeEntry: { sourceId: String(stored[0].id), externalSource: 'TimeGraph', externalSourceId: stored[0].sourceID },
      userErrors: [],
    });
    // One POST, then one filtered lookup by the stamp.
    expect(calls(xurrent.requests, from)).toEqual(['POST /v1/time_entries', 'GET /v1/time_entries']);
    const lookup = xurrent.requests.at(-1)!;
    expect([lookup.query.get('source'), lookup.query.get('sourceID')]).toEqual(['TimeGraph', stored[0].sourceID]);

    // From now on the key answers the reconciled result without any call.
    const again = await gateway.gql(CREATE, { input, key: k });
    expect(again).toEqual(retry);
    expect(calls(xurrent.requests, from)).toHaveLength(2);
  });

  it('Xurrent: when the lookup finds nothing (a 5xx before the write), the retry creates the entry once', async () => {
    const k = key();
    const input = xurrentInput(`failed before writing ${k}`);
    const from = xurrent.requests.length;
    xurrent.faults = { ...noFaults(), failNext: 1, errorStatus: 503 };
    const first = await gateway.gql(CREATE, { input, key: k });
    expect(first.errors?.map((e) => e.extensions?.code)).toEqual(['SOURCE_OUTCOME_UNKNOWN']);
    const retry = await gateway.gql(CREATE, { input, key: k });
    expect(retry.data.timeEntryCreate.userErrors).toEqual([]);
    expect(calls(xurrent.requests, from)).toEqual(['POST /v1/time_entries', 'GET /v1/time_entries', 'POST /v1/time_entries']);
    expect([...xurrent.store.entries.values()].filter((e) => e.description === `failed before writing ${k}`)).toHaveLength(1);
  });

  it('Xurrent: a 201 whose entry cannot be read keeps the key too, and the retry finds the entry', async () => {
    const k = key();
    const input = xurrentInput(`unreadable ${k}`);
    const from = xurrent.requests.length;
    // The simulator stores the entry as usual but answers it with a duration of the wrong type.
    const create = xurrent.store.create;
    xurrent.store.create = (body) => {
      const result = create(body);
      return 'entry' in result ? { entry: { ...result.entry, time_spent: 'half an hour' as unknown as number } } : result;
    };
    let first;
    try {
      first = await gateway.gql(CREATE, { input, key: k });
    } finally {
      xurrent.store.create = create;
    }
    expect(first.errors?.map((e) => e.extensions)).toEqual([{ code: 'SOURCE_OUTCOME_UNKNOWN', source: 'XURRENT' }]);
    const retry = await gateway.gql(CREATE, { input, key: k });
    const [stored] = [...xurrent.store.entries.values()].filter((e) => e.description === `unreadable ${k}`);
    expect(retry.data.timeEntryCreate).toMatchObject({ timeEntry: { sourceId: String(stored.id) }, userErrors: [] });
    expect(calls(xurrent.requests, from)).toEqual(['POST /v1/time_entries', 'GET /v1/time_entries']);
  });

  it('primaERP: the stamp goes into externalResourceId; the retry finds the record with one $filter lookup', async () => {
    const k = key();
    const input = primaerpInput(`lost answer ${k}`);
    const from = primaerp.requests.length;
    primaerp.faults = { ...noFaults(), resetAfterWrite: 1 };
    const first = await gateway.gql(CREATE, { input, key: k });
    expect(first.errors?.map((e) => e.extensions)).toEqual([{ code: 'SOURCE_OUTCOME_UNKNOWN', source: 'PRIMAERP' }]);
    const stored = [...primaerp.store.records.values()].filter((r) => r.description === `lost answer ${k}`);
    expect(stored).toHaveLength(1);
    expect(stored[0].externalResourceId).toMatch(/^tg-/);

    const retry = await gateway.gql(CREATE, { input, key: k });
    expect(retry.errors).toBeUndefined();
    expect(retry.data.timeEntryCreate).toMatchObject({ timeEntry: { sourceId: stored[0].id, externalResourceId: stored[0].externalResourceId }, userErrors: [] });
    expect(calls(primaerp.requests, from)).toEqual(['POST /v1/time/timerecords', 'GET /v1/time/timerecords']);
    expect(primaerp.requests.at(-1)!.query.get('$filter')).toBe(`externalResourceId eq '${stored[0].externalResourceId}'`);
  });

  it("primaERP: a record with the client's own id is looked up by that id", async () => {
    const k = key();
    const id = `5e1b0c2a-0000-4000-8000-${String(Date.now()).slice(-12).padStart(12, '0')}`;
    const input = primaerpInput(`own id ${k}`, { id, externalResourceId: 'JIRA-1' });
    const from = primaerp.requests.length;
    primaerp.faults = { ...noFaults(), resetAfterWrite: 1 };
    expect((await gateway.gql(CREATE, { input, key: k })).errors?.map((e) => e.extensions?.code)).toEqual(['SOURCE_OUTCOME_UNKNOWN']);
    const retry = await gateway.gql(CREATE, { input, key: k });
    expect(retry.data.timeEntryCreate).toMatchObject({ timeEntry: { sourceId: id, externalResourceId: 'JIRA-1' }, userErrors: [] });
    expect(calls(primaerp.requests, from)).toEqual(['POST /v1/time/timerecords', `GET /v1/time/timerecords/${id}`]);
  });

  it("primaERP: with the client's own externalResourceId and no id there is no lookup: OUTCOME_UNKNOWN, no second POST", async () => {
    const k = key();
    const input = primaerpInput(`no lookup ${k}`, { externalResourceId: 'JIRA-2' });
    const from = primaerp.requests.length;
    primaerp.faults = { ...noFaults(), resetAfterWrite: 1 };
    expect((await gateway.gql(CREATE, { input, key: k })).errors?.map((e) => e.extensions?.code)).toEqual(['SOURCE_OUTCOME_UNKNOWN']);
    const retry = await gateway.gql(CREATE, { input, key: k });
    expect(retry.data.timeEntryCreate).toEqual({
      timeEntry: null,
      userErrors: [{ field: ['idempotencyKey'], code: 'OUTCOME_UNKNOWN', message: expect.stringContaining(k) }],
    });
    expect(calls(primaerp.requests, from)).toEqual(['POST /v1/time/timerecords']);
    expect([...primaerp.store.records.values()].filter((r) => r.description === `no lookup ${k}`)).toHaveLength(1);
  });
});
