// Pure mapping of Laurel's refusals (NestJS bodies) and the documented input checks to userErrors.
import { describe, expect, it } from 'vitest';
import { SourceError } from '../../../src/core/errors.js';
import { laurelWriteErrors, type WriteContext } from '../../../src/sources/laurel/write-input.js';
import { validateBulkRelease, validateOverride } from '../../../src/sources/laurel/write-input.js';

const res = (status: number, body: unknown) => ({ status, headers: {}, body });
const override: WriteContext = { idField: ['id'], id: '62f6bbc0a1b2c3d4e5f60718', inputField: ['input', 'laurel'], input: { codeIds: ['x'], workDate: '2022-08-12' } };

describe('laurelWriteErrors', () => {
  it('gives class-validator messages the field they name, quoting the value', () => {
    const errors = laurelWriteErrors(res(400, { statusCode: 400, message: ['each value in codeIds must be a mongodb id', 'workDate must be a valid ISO 8601 date string', 'something else'], error: 'Bad Request' }), override);
    expect(errors).toEqual([
      { field: ['input', 'laurel', 'codeIds'], code: 'VALIDATION', message: 'codeIds ["x"] was refused by Laurel: each value in codeIds must be a mongodb id.' },
      { field: ['input', 'laurel', 'workDate'], code: 'VALIDATION', message: 'workDate "2022-08-12" was refused by Laurel: workDate must be a valid ISO 8601 date string.' },
      { field: ['id'], code: 'VALIDATION', message: 'Entry "62f6bbc0a1b2c3d4e5f60718" was refused by Laurel: something else.' },
    ]);
  });

  it("maps EntryValidationError codes to their field, or to the entry's id", () => {
    const ctx = { ...override, input: { summary: '' } };
    expect(laurelWriteErrors(res(400, { statusCode: 400, message: 'summary-is-required', errorCode: 'summary-is-required' }), ctx)).toEqual([
      { field: ['input', 'laurel', 'summary'], code: 'VALIDATION', message: 'summary "" was refused by Laurel: summary-is-required.' },
    ]);
    expect(laurelWriteErrors(res(422, { statusCode: 422, message: 'x', errorCode: 'cannot-release-with-user-initiative' }), ctx)).toEqual([
      { field: ['id'], code: 'VALIDATION', message: 'Entry "62f6bbc0a1b2c3d4e5f60718" was refused by Laurel: cannot-release-with-user-initiative.' },
    ]);
  });

  it('maps 404 to NOT_FOUND and 409 to LOCKED, never passes a URL on, and throws for other statuses', () => {
    expect(laurelWriteErrors(res(404, { statusCode: 404, message: 'Entry not found' }), override)[0]).toMatchObject({ field: ['id'], code: 'NOT_FOUND' });
    expect(laurelWriteErrors(res(404, { statusCode: 404, message: 'Code not found' }), override)[0]).toMatchObject({ field: ['input', 'laurel', 'codeIds'], code: 'NOT_FOUND' });
    expect(laurelWriteErrors(res(409, { statusCode: 409, message: 'Entry is locked and cannot be updated' }), override)[0]).toMatchObject({ field: ['id'], code: 'LOCKED' });
    expect(JSON.stringify(laurelWriteErrors(res(400, { message: ['see https://internal.laurel/x?token=1'] }), override))).not.toContain('http');
    expect(() => laurelWriteErrors(res(405, { statusCode: 405, message: 'Method Not Allowed' }), override)).toThrow(SourceError);
  });
});

describe('input checks', () => {
  it('override: at least one field, ObjectIds, explicit nulls ignored', () => {
    expect(validateOverride({ summary: null, codeIds: null })).toEqual([expect.objectContaining({ field: ['input', 'laurel'], code: 'VALIDATION' })]);
    expect(validateOverride({ initiativeId: '62F6BBC0A1B2C3D4E5F60718', codeIds: [] })).toEqual([]);
    expect(validateOverride({ codeIds: ['62f6bbc0a1b2c3d4e5f6071', 'zzf6bbc0a1b2c3d4e5f60718'] }).map((e) => e.field)).toEqual([
      ['input', 'laurel', 'codeIds', '0'],
      ['input', 'laurel', 'codeIds', '1'],
    ]);
  });

  it('bulk release: range order, ObjectIds, IANA zones', () => {
    expect(validateBulkRelease({ workDateStart: '2022-08-12', workDateEnd: '2022-08-12', timezones: ['America/New_York', 'UTC'] })).toEqual([]);
    expect(validateBulkRelease({ workDateStart: '2022-08-13', workDateEnd: '2022-08-12', initiativeId: 'text', timezones: ['EST5EDT', 'Nowhere/City'] }).map((e) => [e.field, e.code])).toEqual([
      [['input', 'workDateEnd'], 'VALIDATION'],
      [['input', 'initiativeId'], 'INVALID_ID'],
      [['input', 'timezones', '1'], 'VALIDATION'],
    ]);
  });
});
