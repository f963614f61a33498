import { describe, expect, it } from 'vitest';
import { mapEntry, mapPerson, workDateOf } from '../../../src/sources/primaerp/mapping.js';
import { DUMMY_RECORD } from '../../../src/simulators/primaerp/dummy-record.js';

describe('primaERP mapping (golden, seed 004 "Dummy data")', () => {
  const entry = mapEntry(structuredClone(DUMMY_RECORD));

  it('normalizes the duration from milliseconds exactly', () => {
    expect(entry.durationMs).toBe(21_600_000);
    expect(entry.durationMs / 3_600_000).toBe(6);
    expect(entry.sourceDuration).toEqual({ value: 21_600_000, unit: 'MILLISECONDS' });
  });

  it('reads the Microsoft JSON dates as UTC instants', () => {
    expect(entry.startedAt).toBe('2017-03-12T06:53:14.659Z');
    expect(entry.createdAt).toBe('2017-03-13T06:31:14.660Z');
    expect(entry.updatedAt).toBe('2017-03-13T12:53:14.660Z');
    expect(entry.updatedAtMs).toBe(1489409594660);
  });

  it('takes workDate as the day of start in the user time zone', () => {
    expect(entry.workDate).toBe('2017-03-12');
    // 02:00 UTC is still the previous day in São Paulo (UTC−3), and the same day without a zone.
    const start = '/Date(1489370400000)/'; // 2017-03-13T02:00:00Z
    expect(workDateOf({ start, user: { id: 'u', timeZone: 'America/Sao_Paulo' } })).toBe('2017-03-12');
    expect(workDateOf({ start, user: { id: 'u' } })).toBe('2017-03-13');
    expect(workDateOf({ start, user: { id: 'u', timeZone: 'Pacific/Kiritimati' } })).toBe('2017-03-13');
  });

  it('does not add a +hhmm suffix', () => {
    const e = mapEntry({ ...structuredClone(DUMMY_RECORD), start: '/Date(1489301594659+0200)/' });
    expect(e.startedAt).toBe('2017-03-12T06:53:14.659Z');
  });

  it('maps identity, person and flags', () => {
    expect(entry).toMatchObject({
      typename: 'PrimaerpTimeRecord',
      source: 'PRIMAERP',
      sourceId: '0a9c3af3-4bf7-4435-b4e7-cb66da031996',
      key: '0a9c3af3-4bf7-4435-b4e7-cb66da031996',
      description: 'Form validations and CRUD.',
      billable: true,
      deleted: false,
      person: { source: 'PRIMAERP', sourceId: '36e159ad-fc4f-46bf-8085-1e1cf1f5a40f', name: 'John Smith', email: 'john.smith@example.com' },
    });
    expect(entry.raw.price).toBe(648.5);
  });

  it('marks trashed records deleted and records without start undated', () => {
    const e = mapEntry({ ...structuredClone(DUMMY_RECORD), start: undefined, trashItem: { id: 'x' } });
    expect(e.deleted).toBe(true);
    expect(e.workDate).toBeNull();
    expect(e.startedAt).toBeNull();
  });

  it('leaves email to the person loader when the embedded user lacks it', () => {
    expect(mapPerson({ id: 'u1', firstName: 'Ada', lastName: 'Lovelace' })).toEqual({ source: 'PRIMAERP', sourceId: 'u1', name: 'Ada Lovelace' });
  });

  it('rejects a record without createdAt as a bad response', () => {
    expect(() => mapEntry({ id: 'x' })).toThrowError(expect.objectContaining({ code: 'SOURCE_BAD_RESPONSE' }));
  });
});
