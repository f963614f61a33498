// The one list planner every backend and the merge use: seek narrowing, the runs of a work-date
// order, and the unified filter check, the same for all (the four copies it replaced differed).
import { describe, expect, it } from 'vitest';
import type { EntryModel, ListRequest } from '../../src/core/contract.js';
import { matchesFilter, planList } from '../../src/core/list-plan.js';

function entry(workDate: string | null, updatedAtMs: number, deleted = false): EntryModel {
  return {
    typename: 'X', source: 'XURRENT', sourceId: '1', key: '1', workDate, startedAt: null, durationMs: 0,
    sourceDuration: { value: 0, unit: 'MINUTES' }, description: null, person: null, billable: null, deleted,
    createdAt: '', updatedAt: '', updatedAtMs, raw: null,
  };
}
const plan = (request: Partial<ListRequest>) => planList({ sort: 'WORK_DATE_ASC', filter: { includeDeleted: false }, ...request });

describe('planList', () => {
  it('narrows the work-date range with the seek position, in the direction of the sort', () => {
    const filter = { includeDeleted: false, workDateFrom: '2026-10-01', workDateTo: '2026-10-31' };
    expect(plan({ filter, from: '2026-10-10' }).workDates).toEqual({ from: '2026-10-10', to: '2026-10-31' });
    expect(plan({ sort: 'WORK_DATE_DESC', filter, from: '2026-10-10' }).workDates).toEqual({ from: '2026-10-01', to: '2026-10-10' });
    // A seek position outside the range does not widen it.
    expect(plan({ filter, from: '2026-09-01' }).workDates).toEqual({ from: '2026-10-01', to: '2026-10-31' });
    expect(plan({ filter, from: '2026-11-01' }).empty).toBe(true);
  });

  it('narrows the updated window with the seek position in updated sorts only', () => {
    const filter = { includeDeleted: false, updatedAfterMs: 100, updatedBeforeMs: 900 };
    expect(plan({ sort: 'UPDATED_AT_ASC', filter, from: 500 }).updated).toEqual({ afterMs: 100, atLeastMs: 500, atMostMs: 900 });
    expect(plan({ sort: 'UPDATED_AT_DESC', filter, from: 500 }).updated).toEqual({ afterMs: 100, atMostMs: 500 });
    expect(plan({ sort: 'UPDATED_AT_DESC', filter, from: 50 }).empty).toBe(true);
    expect(plan({ sort: 'WORK_DATE_ASC', filter, from: '2026-10-01' }).updated).toEqual({ afterMs: 100, atMostMs: 900 });
  });

  it('splits a work-date order into undated and dated runs, in stream order', () => {
    expect(plan({}).runs).toEqual(['undated', 'dated']);
    expect(plan({ sort: 'WORK_DATE_DESC' }).runs).toEqual(['dated', 'undated']);
    // Ascending past '', the undated entries are behind; descending at '', only they remain.
    expect(plan({ from: '2026-10-01' }).runs).toEqual(['dated']);
    expect(plan({ from: '' }).runs).toEqual(['undated', 'dated']);
    expect(plan({ sort: 'WORK_DATE_DESC', from: '' }).runs).toEqual(['undated']);
    // A work-date range excludes entries without one.
    expect(plan({ filter: { includeDeleted: false, workDateTo: '2026-10-01' } }).runs).toEqual(['dated']);
    expect(plan({ sort: 'UPDATED_AT_ASC' }).runs).toEqual(['all']);
  });

  it('accepts exactly the unified filter and what is at or after the seek position', () => {
    const p = plan({ sort: 'UPDATED_AT_DESC', filter: { includeDeleted: false, updatedAfterMs: 10 }, from: 500 });
    expect(p.accept(entry('2026-10-01', 500))).toBe(true);
    expect(p.accept(entry('2026-10-01', 501))).toBe(false);
    expect(p.accept(entry('2026-10-01', 10))).toBe(false);
    expect(p.accept(entry('2026-10-01', 400, true))).toBe(false);
    const dated = plan({ filter: { includeDeleted: true, workDateFrom: '2026-10-02' } });
    expect(dated.accept(entry(null, 1))).toBe(false);
    expect(dated.accept(entry('2026-10-02', 1, true))).toBe(true);
  });

  // Regression: primaERP's copy accepted every entry when the seek key had the other type.
  it('refuses a seek position of the wrong kind for the sort instead of accepting everything', () => {
    expect(() => plan({ from: 5 })).toThrow(/WORK_DATE_ASC seek position must be a work date/);
    expect(() => plan({ sort: 'UPDATED_AT_ASC', from: '2026-10-01' })).toThrow(/must be a number of ms/);
  });

  it('matchesFilter is the plan without a seek position', () => {
    const filter = { includeDeleted: false, workDateFrom: '2026-10-01', updatedBeforeMs: 50 };
    for (const e of [entry('2026-10-01', 50), entry('2026-09-30', 50), entry('2026-10-01', 51), entry(null, 1), entry('2026-10-02', 1, true)]) {
      expect(matchesFilter(e, filter)).toBe(plan({ filter }).accept(e));
    }
  });
});
