import { describe, expect, it } from 'vitest';
import { fromMilliseconds } from '../../../src/units/duration.js';
import { billableOf, mapPerson, mapEntry } from '../../../src/sources/xurrent/mapping.js';
import type { XurrentTimeEntryRaw } from '../../../src/sources/xurrent/raw.js';
import { SEED_195, SEED_231 } from '../../../src/simulators/xurrent/data.js';

// The collection example of seed 003 ("List time entries"), verbatim.
const SEED_LIST = JSON.parse(`[
  { "id": 195, "date": "2016-03-28", "correction": false, "created_at": "2016-03-28T12:13:11-05:00",
    "updated_at": "2016-03-28T12:13:11-05:00", "time_spent": 120,
    "organization": { "id": 7, "name": "Widget North America, Information Technology" },
    "person": { "id": 7, "name": "Chess Cole" },
    "time_allocation": { "id": 4, "group": "Project", "name": "Transparency of Performance (TOP)",
      "account": { "id": "wna-it", "name": "Widget N. America - IT" },
      "localized_group": "Project", "localized_name": "Transparency of Performance (TOP)" },
    "service": { "id": 36, "name": "SAP Basis", "localized_name": "SAP Basis" },
    "customer": { "id": 8, "name": "Widget North America, Human Resources" },
    "description": "Transaction response time testing for new HR features." },
  { "id": 231, "date": "2016-03-28", "created_at": "2016-03-28T14:55:00-05:00",
    "updated_at": "2016-03-28T14:57:00-05:00", "time_spent": 10,
    "organization": { "id": 44, "name": "Widget Data Center, External IT" },
    "person": { "id": 57, "name": "Tom Waters" },
    "request": { "id": 70248, "subject": "Expense reporting is slow",
      "account": { "id": "wna-it", "name": "Widget N. America - IT" },
      "service": { "id": 22, "name": "Expense Reporting", "localized_name": "Expense Reporting" },
      "customer": { "id": 48, "name": "Widget North America, Sales & Marketing" } } }
]`) as XurrentTimeEntryRaw[];

describe('Xurrent mapping (seed 003 payloads)', () => {
  it('maps entry 195: 120 minutes = 7200 s, offsets converted to UTC', () => {
    const e = mapEntry(SEED_LIST[0]);
    expect(e.durationMs).toBe(7_200_000);
    expect(fromMilliseconds(e.durationMs, 'SECONDS')).toBe(7200);
    expect(fromMilliseconds(e.durationMs, 'MINUTES')).toBe(120);
    expect(e.sourceDuration).toEqual({ value: 120, unit: 'MINUTES' });
    expect(e).toMatchObject({
      typename: 'XurrentTimeEntry', source: 'XURRENT', sourceId: '195', key: '195', workDate: '2016-03-28',
      startedAt: null, description: 'Transaction response time testing for new HR features.',
      billable: null, deleted: false, createdAt: '2016-03-28T17:13:11.000Z', updatedAt: '2016-03-28T17:13:11.000Z',
      updatedAtMs: Date.UTC(2016, 2, 28, 17, 13, 11),
    });
    expect(e.person).toEqual({ source: 'XURRENT', sourceId: '7', name: 'Chess Cole' });
    expect(e.person && 'email' in e.person).toBe(false);
    expect(e.raw).toBe(SEED_LIST[0]);
  });

  it('maps entry 231: 10 minutes = 600 s, no description, updated two minutes after creation', () => {
    const e = mapEntry(SEED_LIST[1]);
    expect(e.durationMs).toBe(600_000);
    expect(fromMilliseconds(e.durationMs, 'SECONDS')).toBe(600);
    expect(fromMilliseconds(e.durationMs, 'MINUTES')).toBe(10);
    expect(e).toMatchObject({ sourceId: '231', description: null, createdAt: '2016-03-28T19:55:00.000Z', updatedAt: '2016-03-28T19:57:00.000Z' });
    expect(e.person).toEqual({ source: 'XURRENT', sourceId: '57', name: 'Tom Waters' });
  });

  it('keeps negative corrections negative and converts started_at', () => {
    const e = mapEntry({ ...SEED_LIST[0], correction: true, time_spent: -45, started_at: '2016-03-28T08:30:00+01:00' });
    expect(e.durationMs).toBe(-2_700_000);
    expect(e.sourceDuration.value).toBe(-45);
    expect(e.startedAt).toBe('2016-03-28T07:30:00.000Z');
  });

  it('reads deleted only when it is true', () => {
    expect(mapEntry({ ...SEED_LIST[0], deleted: true }).deleted).toBe(true);
    expect(mapEntry(SEED_LIST[1]).deleted).toBe(false);
  });

  it('rejects a record with a malformed timestamp as SOURCE_BAD_RESPONSE', () => {
    expect(() => mapEntry({ ...SEED_LIST[0], updated_at: 'yesterday' })).toThrow(expect.objectContaining({ code: 'SOURCE_BAD_RESPONSE' }));
    expect(() => mapEntry({ ...SEED_LIST[0], time_spent: 1.5 })).toThrow(expect.objectContaining({ code: 'SOURCE_BAD_RESPONSE' }));
  });

  it('derives billable from the effort class name only', () => {
    expect(billableOf({ id: 1, name: 'Billable - Normal Hours' })).toBe(true);
    expect(billableOf({ id: 2, name: 'Billable overtime' })).toBe(true);
    expect(billableOf({ id: 3, name: 'Non Billable' })).toBe(false);
    expect(billableOf({ id: 4, name: 'Senior System Engineer' })).toBeNull();
    expect(billableOf(undefined)).toBeNull();
  });

  it('maps a person with primary_email as email', () => {
    expect(mapPerson({ id: 7, name: 'Chess Cole', primary_email: 'chess.cole@widget.com' })).toEqual({
      source: 'XURRENT', sourceId: '7', name: 'Chess Cole', email: 'chess.cole@widget.com',
    });
  });

  it('seeds the simulator with the seed records verbatim', () => {
    const { deleted: _d, ...listed195 } = SEED_195;
    void _d;
    expect(listed195).toEqual(SEED_LIST[0]);
    expect(SEED_231).toEqual(SEED_LIST[1]);
  });
});
