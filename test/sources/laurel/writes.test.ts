// Laurel's writes end to end: GraphQL gateway (only Laurel configured) → adapter → simulator over HTTP.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { encodeId } from '../../../src/core/ids.js';
import type { StoredEntry } from '../../../src/simulators/laurel/data.js';
import { noFaults } from '../../../src/simulators/common/server.js';
import { startLaurelGateway } from './stack.js';

let g: Awaited<ReturnType<typeof startLaurelGateway>>;
beforeAll(async () => {
  g = await startLaurelGateway({ seed: 5 });
});
afterAll(() => g.close());
beforeEach(() => g.reset());

const used = new Set<string>();
/** A simulator entry no other test has touched. */
function take(pred: (e: StoredEntry) => boolean, n = 1): StoredEntry[] {
  const found = g.sim.store.ordered().filter((e) => !used.has(e._id) && pred(e)).slice(0, n);
  expect(found).toHaveLength(n);
  for (const e of found) used.add(e._id);
  return found;
}
const editable = (e: StoredEntry) => !e.isDeleted && !e.isLocked && e.initiativeProps.initiative.type === 'pms' && e.unitIncrementCountFromSources > 2;
const releasable = (e: StoredEntry) => !e.isDeleted && !e.isLocked && e.statusInfo.status === 'validation-success' && g.sim.store.releaseProblem(e, Date.now()) === null;
const NO_SUCH = '62f6bbc0a1b2c3d4e5f60718';

const ERRORS = 'userErrors { field message code }';
const ENTRY = 'id deleted description workDate duration { seconds } ... on LaurelEntry { summary isDeleted externalId initiativeExternalId unitIncrementCount codes { codeExternalId } releaseSuccessAt lastReleaseFailedAt lastReleasePendingAt }';
const UPDATE = `mutation U($id: ID!, $input: TimeEntryUpdateInput!) { timeEntryUpdate(id: $id, input: $input) { timeEntry { ${ENTRY} } ${ERRORS} } }`;
const DELETE = `mutation D($id: ID!, $hard: Boolean) { timeEntryDelete(id: $id, hard: $hard) { deletedId timeEntry { ${ENTRY} } ${ERRORS} } }`;
const NODE = `query N($id: ID!) { node(id: $id) { ... on TimeEntry { ${ENTRY} } } }`;
const UNRELEASE = `mutation R($id: ID!) { laurelEntryUnrelease(id: $id) { laurelEntry { ${ENTRY} } ${ERRORS} } }`;
const SUCCEEDED = `mutation S($id: ID!, $externalId: String, $m: [String!]) { laurelEntryReleaseSucceeded(id: $id, externalId: $externalId, reReleaseFailedMessages: $m) { laurelEntry { ${ENTRY} } ${ERRORS} } }`;
const FAILED = `mutation F($id: ID!, $errors: [String!]!) { laurelEntryReleaseFailed(id: $id, errors: $errors) { laurelEntry { ${ENTRY} } ${ERRORS} } }`;
const BULK = `mutation K($input: LaurelBulkReleaseInput!) { laurelEntriesBulkRelease(input: $input) { accepted ${ERRORS} } }`;

const PATCH = 'PATCH /api/v1/public/customers/:id/users/:id/entries/:id/override';
const READ_BACK = 'GET /api/v2/customers/:id/entries';

describe('timeEntryUpdate with input.laurel (override)', () => {
  it("sends the seed's own body, answers the list record and the next read shows it", async () => {
    const [e] = take(editable);
    const world = g.sim.store.world;
    const initiative = world.initiatives.find((i) => i.type === 'pms' && i.status === 'active' && i._id !== e.initiativeProps.initiative._id)!;
    const code = world.codes[0];
    const input = { laurel: { summary: 'text', unitIncrementCountAdjustments: 1, initiativeId: initiative._id, codeIds: [code._id], workDate: '2022-08-12' } };
    const res = await g.gql(UPDATE, { id: g.idOf(e), input });
    expect(res.errors).toBeUndefined();
    const seconds = (e.unitIncrementCountFromSources + 1) * initiative.unitIncrements;
    expect(res.data.timeEntryUpdate).toEqual({
      userErrors: [],
      timeEntry: expect.objectContaining({ id: g.idOf(e), summary: 'text', description: 'text', workDate: '2022-08-12', initiativeExternalId: initiative.externalId, codes: [{ codeExternalId: code.externalId }], duration: { seconds } }),
    });
    expect(g.calls()).toEqual([PATCH]);
    const next = await g.gql(NODE, { id: g.idOf(e) });
    expect(next.data.node).toMatchObject({ summary: 'text', workDate: '2022-08-12', duration: { seconds }, initiativeExternalId: initiative.externalId });
  });

  it('rejects an empty override and malformed ObjectIds before any call', async () => {
    const [e] = take(editable);
    const empty = await g.gql(UPDATE, { id: g.idOf(e), input: { laurel: { summary: null } } });
    expect(empty.data.timeEntryUpdate).toEqual({ timeEntry: null, userErrors: [{ field: ['input', 'laurel'], code: 'VALIDATION', message: expect.stringContaining('at least one') }] });
    const bad = await g.gql(UPDATE, { id: g.idOf(e), input: { laurel: { initiativeId: 'text', codeIds: [initiativeIdOf(e), 'text'] } } });
    expect(bad.data.timeEntryUpdate.userErrors).toEqual([
      { field: ['input', 'laurel', 'initiativeId'], code: 'INVALID_ID', message: expect.stringContaining('"text"') },
      { field: ['input', 'laurel', 'codeIds', '1'], code: 'INVALID_ID', message: expect.stringContaining('"text"') },
    ]);
    const malformed = await g.gql(UPDATE, { id: 'not-an-id', input: { laurel: { summary: 'x' } } });
    expect(malformed.data.timeEntryUpdate.userErrors).toEqual([expect.objectContaining({ field: ['id'], code: 'INVALID_ID' })]);
    expect(g.sim.requests).toEqual([]);
  });

  it("maps Laurel's validation codes, 404 and 409 to userErrors with field paths", async () => {
    const [e] = take(editable);
    const summary = await g.gql(UPDATE, { id: g.idOf(e), input: { laurel: { summary: '  ' } } });
    expect(summary.data.timeEntryUpdate).toEqual({
      timeEntry: null,
      userErrors: [{ field: ['input', 'laurel', 'summary'], code: 'VALIDATION', message: 'summary "  " was refused by Laurel: summary-is-required.' }],
    });
    const long = await g.gql(UPDATE, { id: g.idOf(e), input: { laurel: { unitIncrementCountAdjustments: 100_000 } } });
    expect(long.data.timeEntryUpdate.userErrors).toEqual([
      { field: ['input', 'laurel', 'unitIncrementCountAdjustments'], code: 'VALIDATION', message: expect.stringMatching(/100000.*cannot-exceed-twenty-four-hours/) },
    ]);
    const initiative = await g.gql(UPDATE, { id: g.idOf(e), input: { laurel: { initiativeId: NO_SUCH } } });
    expect(initiative.data.timeEntryUpdate.userErrors).toEqual([{ field: ['input', 'laurel', 'initiativeId'], code: 'NOT_FOUND', message: expect.stringContaining(NO_SUCH) }]);
    const missing = await g.gql(UPDATE, { id: encodeId('TimeEntry', 'LAUREL', `${e.userId}/${NO_SUCH}`), input: { laurel: { summary: 'x' } } });
    expect(missing.data.timeEntryUpdate.userErrors).toEqual([{ field: ['id'], code: 'NOT_FOUND', message: expect.stringContaining(NO_SUCH) }]);
    const [locked] = take((x) => !x.isDeleted && x.isLocked);
    const refused = await g.gql(UPDATE, { id: g.idOf(locked), input: { laurel: { summary: 'x' } } });
    expect(refused.data.timeEntryUpdate.userErrors).toEqual([{ field: ['id'], code: 'LOCKED', message: expect.stringContaining(locked._id) }]);
    expect(g.calls()).toEqual([PATCH, PATCH, PATCH, PATCH, PATCH]);
    expect(e.summary).not.toBe('  ');
  });

  it('never retries a write Laurel answers 500: sent once, a top-level SourceError', async () => {
    const [e] = take(editable);
    expect((await g.gql(UPDATE, { id: g.idOf(e), input: { laurel: { summary: 'first' } } })).data.timeEntryUpdate.userErrors).toEqual([]);
    g.reset();
    g.sim.faults = { ...noFaults(), errorRate: 1, errorStatus: 500 };
    try {
      const res = await g.gql(UPDATE, { id: g.idOf(e), input: { laurel: { summary: 'second' } } });
      expect(res.data).toBeNull();
      expect(res.errors).toEqual([expect.objectContaining({ path: ['timeEntryUpdate'], extensions: { code: 'SOURCE_OUTCOME_UNKNOWN', source: 'LAUREL' } })]);
    } finally {
      g.sim.faults = noFaults();
    }
    expect(g.calls()).toEqual([PATCH]);
  });
});

const initiativeIdOf = (e: StoredEntry) => e.initiativeProps.initiative._id;

describe('timeEntryDelete (soft delete)', () => {
  it('answers the full entry with isDeleted true as the read-back; the next read shows it deleted', async () => {
    const [e] = take((x) => !x.isDeleted && !x.isLocked);
    const res = await g.gql(DELETE, { id: g.idOf(e) });
    expect(res.data.timeEntryDelete).toMatchObject({ deletedId: g.idOf(e), userErrors: [], timeEntry: { id: g.idOf(e), deleted: true, isDeleted: true } });
    expect(g.calls()).toEqual(['DELETE /api/v1/public/customers/:id/users/:id/entries/:id']);
    expect((await g.gql(NODE, { id: g.idOf(e) })).data.node).toMatchObject({ deleted: true, isDeleted: true });
    const again = await g.gql(DELETE, { id: g.idOf(e) });
    expect(again.data.timeEntryDelete).toEqual({ deletedId: null, timeEntry: null, userErrors: [{ field: ['id'], code: 'NOT_FOUND', message: expect.stringContaining(e._id) }] });
  });

  it('refuses hard: true (Laurel has no hard delete) without a call', async () => {
    const [e] = take((x) => !x.isDeleted && !x.isLocked);
    const res = await g.gql(DELETE, { id: g.idOf(e), hard: true });
    expect(res.data.timeEntryDelete).toEqual({ deletedId: null, timeEntry: null, userErrors: [expect.objectContaining({ field: ['hard'], code: 'UNSUPPORTED' })] });
    expect(g.sim.requests).toEqual([]);
    expect(e.isDeleted).toBe(false);
  });
});

describe('laurelEntryReleaseSucceeded, laurelEntryUnrelease, laurelEntryReleaseFailed', () => {
  const POST = (action: string) => `POST /api/v1/customers/:id/users/:id/entries/:id/${action}`;

  it('move the status through released, unreleased and release-failed, each read back fresh', async () => {
    const [e] = take(releasable);
    const ok = await g.gql(SUCCEEDED, { id: g.idOf(e), externalId: 'text', m: ['text'] });
    expect(ok.data.laurelEntryReleaseSucceeded).toMatchObject({ userErrors: [], laurelEntry: { id: g.idOf(e), externalId: 'text', releaseSuccessAt: expect.any(String) } });
    expect(e.statusInfo).toMatchObject({ status: 'release-success', reReleaseFailedMessages: [{ originalMessage: 'text' }] });
    expect(g.calls()).toEqual([POST('release-succeeded'), READ_BACK]);

    g.reset();
    const back = await g.gql(UNRELEASE, { id: g.idOf(e) });
    expect(back.data.laurelEntryUnrelease).toMatchObject({ userErrors: [], laurelEntry: { releaseSuccessAt: null } });
    expect(e.statusInfo.status).toBe('validation-success');
    expect(g.calls()).toEqual(['POST /api/v1/public/customers/:id/users/:id/entries/:id/unrelease', READ_BACK]);

    const failed = await g.gql(FAILED, { id: g.idOf(e), errors: ['text'] });
    expect(failed.data.laurelEntryReleaseFailed).toMatchObject({ userErrors: [], laurelEntry: { lastReleaseFailedAt: expect.any(String) } });
    expect(e.statusInfo).toMatchObject({ status: 'release-failed', releaseFailedErrors: [{ originalMessage: 'text' }] });
    expect((await g.gql(NODE, { id: g.idOf(e) })).data.node.lastReleaseFailedAt).toBe(failed.data.laurelEntryReleaseFailed.laurelEntry.lastReleaseFailedAt);
  });

  it('rejects an empty error list, an empty message, and ids that are not Laurel entries, without a call', async () => {
    const [e] = take(releasable);
    expect((await g.gql(FAILED, { id: g.idOf(e), errors: [] })).data.laurelEntryReleaseFailed.userErrors).toEqual([expect.objectContaining({ field: ['errors'], code: 'VALIDATION' })]);
    expect((await g.gql(FAILED, { id: g.idOf(e), errors: ['ok', ''] })).data.laurelEntryReleaseFailed.userErrors).toEqual([expect.objectContaining({ field: ['errors', '1'], code: 'VALIDATION' })]);
    // Another backend's id (not configured here): which of the two codes is the core's choice.
    expect((await g.gql(UNRELEASE, { id: encodeId('TimeEntry', 'XURRENT', '7') })).data.laurelEntryUnrelease.userErrors).toEqual([
      expect.objectContaining({ field: ['id'], code: expect.stringMatching(/^(SOURCE_MISMATCH|INVALID_ID)$/) }),
    ]);
    expect((await g.gql(UNRELEASE, { id: encodeId('TimeEntry', 'LAUREL', 'abc/def') })).data.laurelEntryUnrelease.userErrors).toEqual([expect.objectContaining({ field: ['id'], code: 'INVALID_ID' })]);
    expect(g.sim.requests).toEqual([]);
  });

  it("maps Laurel's refusals: cannot-release-zero-increment, not released, locked, unknown", async () => {
    const [zero] = take((x) => !x.isDeleted && !x.isLocked && x.unitIncrementCountFromSources + x.unitIncrementCountAdjustments === 0);
    expect((await g.gql(SUCCEEDED, { id: g.idOf(zero) })).data.laurelEntryReleaseSucceeded).toEqual({
      laurelEntry: null,
      userErrors: [{ field: ['id'], code: 'VALIDATION', message: `Entry "${zero._id}" was refused by Laurel: cannot-release-zero-increment.` }],
    });
    const [unreleased] = take(releasable);
    expect((await g.gql(UNRELEASE, { id: g.idOf(unreleased) })).data.laurelEntryUnrelease.userErrors).toEqual([{ field: ['id'], code: 'VALIDATION', message: expect.stringContaining('Entry is not released') }]);
    const [locked] = take((x) => !x.isDeleted && x.isLocked);
    expect((await g.gql(UNRELEASE, { id: g.idOf(locked) })).data.laurelEntryUnrelease.userErrors).toEqual([expect.objectContaining({ field: ['id'], code: 'LOCKED' })]);
    const unknown = encodeId('TimeEntry', 'LAUREL', `${zero.userId}/${NO_SUCH}`);
    expect((await g.gql(FAILED, { id: unknown, errors: ['x'] })).data.laurelEntryReleaseFailed.userErrors).toEqual([expect.objectContaining({ field: ['id'], code: 'NOT_FOUND' })]);
    // Refused writes are not read back.
    expect(g.calls().filter((c) => c.startsWith('GET'))).toEqual([]);
  });
});

describe('laurelEntriesBulkRelease', () => {
  it('sends the BulkReleaseEntryDto, answers accepted (202), and the entries show release-pending', async () => {
    const [e] = take((x) => releasable(x) && !!x.workDate && !!x.timezoneAtCreation);
    const input = { workDateStart: e.workDate, workDateEnd: e.workDate, releasedFrom: 'TIMESHEET', userIds: [e.userId], billingType: e.initiativeProps.initiative.billingType === 'billable' ? 'BILLABLE' : 'NON_BILLABLE', timezones: [e.timezoneAtCreation], timezoneNotSet: false };
    const res = await g.gql(BULK, { input });
    expect(res.data.laurelEntriesBulkRelease).toEqual({ accepted: true, userErrors: [] });
    expect(g.calls()).toEqual(['POST /api/v1/public/customers/:id/entries/bulk-release']);
    expect(e.statusInfo.status).toBe('release-pending');
    expect((await g.gql(NODE, { id: g.idOf(e) })).data.node.lastReleasePendingAt).toEqual(expect.any(String));
  });

  it('rejects a reversed range, malformed ObjectIds and unknown time zones without a call', async () => {
    const res = await g.gql(BULK, { input: { workDateStart: '2026-10-02', workDateEnd: '2026-10-01', userIds: ['text'], clientId: 'x', timezones: ['Mars/Olympus'] } });
    expect(res.data.laurelEntriesBulkRelease).toEqual({
      accepted: false,
      userErrors: [
        expect.objectContaining({ field: ['input', 'workDateEnd'], code: 'VALIDATION' }),
        expect.objectContaining({ field: ['input', 'userIds', '0'], code: 'INVALID_ID' }),
        expect.objectContaining({ field: ['input', 'clientId'], code: 'INVALID_ID' }),
        expect.objectContaining({ field: ['input', 'timezones', '0'], code: 'VALIDATION', message: expect.stringContaining('"Mars/Olympus"') }),
      ],
    });
    expect(g.sim.requests).toEqual([]);
  });
});
