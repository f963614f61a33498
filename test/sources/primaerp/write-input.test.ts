// The pure side of primaERP writes: bodies built from inputs, and primaERP's violations as userErrors.
import { describe, expect, it } from 'vitest';
import { DUMMY_RECORD } from '../../../src/simulators/primaerp/dummy-record.js';
import { createBody, updateBody, violationErrors } from '../../../src/sources/primaerp/write-input.js';

const START = 1489301594659;

describe('updateBody', () => {
  it('sends the whole writable record as references by id, with the caller\'s version and no read-only fields', () => {
    const body = updateBody(DUMMY_RECORD, { version: 2, description: 'x' });
    expect(body).toMatchObject({ id: DUMMY_RECORD.id, version: 2, description: 'x', duration: 21_600_000, user: { id: DUMMY_RECORD.user!.id }, project: { id: DUMMY_RECORD.project!.id } });
    expect(body.user).toEqual({ id: DUMMY_RECORD.user!.id });
    for (const readOnly of ['createdAt', 'updatedAt', 'billed', 'displayName', 'recordType', 'trashItem', 'externalSyncedAt']) expect(body).not.toHaveProperty(readOnly);
  });

  it('keeps start, stop and duration consistent: the given value wins, the third follows', () => {
    expect(updateBody(DUMMY_RECORD, { version: 3, duration: { hours: 1 } })).toMatchObject({ duration: 3_600_000, stop: `/Date(${START + 3_600_000})/` });
    expect(updateBody(DUMMY_RECORD, { version: 3, stop: new Date(START + 60_000).toISOString() })).toMatchObject({ duration: 60_000 });
    const { stop: _s, ...noStop } = DUMMY_RECORD;
    expect(updateBody(noStop, { version: 3, start: new Date(START + 1000).toISOString() })).toMatchObject({ duration: 21_600_000, stop: `/Date(${START + 1000 + 21_600_000})/` });
  });
});

describe('createBody', () => {
  it('leaves out what the input does not set and refuses every bad field at once', () => {
    expect(createBody({ userId: DUMMY_RECORD.user!.id, duration: { minutes: 1 }, description: null })).toEqual({ body: { user: { id: DUMMY_RECORD.user!.id }, duration: 60_000 } });
    const refused = createBody({ userId: 'x', taskId: 'y', duration: { milliseconds: -1 } });
    expect('errors' in refused && refused.errors.map((e) => e.field!.join('.'))).toEqual(['input.primaerp.userId', 'input.primaerp.taskId', 'input.primaerp.duration.milliseconds']);
  });
});

describe('violationErrors', () => {
  it('puts each violation on the input field it names, quoting the value sent', () => {
    const errors = violationErrors(
      [
        { entityPath: 'TimeRecord.user', entityType: 'TimeRecord', field: 'user', constraint: 'Exists', message: 'no user with id "u"' },
        { entityPath: 'TimeRecord.weird', constraint: 'Other', message: 'is odd' },
      ],
      { user: { id: 'u' } },
    );
    expect(errors).toEqual([
      { field: ['input', 'primaerp', 'userId'], message: expect.stringContaining('(sent "u")'), code: 'VALIDATION' },
      { field: ['input', 'primaerp'], message: expect.stringContaining('TimeRecord.weird is odd'), code: 'VALIDATION' },
    ]);
  });
});
