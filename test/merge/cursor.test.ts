// Regression: a hand-made cursor whose key has the other kind for its sort (a number for a work-date
// sort) must be refused as a cursor, not reach the planner.
import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from '../../src/merge/cursor.js';

describe('cursors', () => {
  it('round-trip a position for their sort and filter', () => {
    const cursor = encodeCursor('UPDATED_AT_ASC', 'd', { key: 5, source: 'XURRENT', sourceId: '9' });
    expect(decodeCursor(cursor, 'UPDATED_AT_ASC', 'd')).toEqual({ key: 5, source: 'XURRENT', sourceId: '9' });
    expect(decodeCursor(cursor, 'UPDATED_AT_ASC', 'other')).toBe('the cursor was issued for a different sort or filter');
  });

  it('refuse a key of the wrong kind for the sort', () => {
    const forged = Buffer.from(JSON.stringify({ v: 1, s: 'WORK_DATE_ASC', f: 'd', k: 5, src: 'XURRENT', id: '9' })).toString('base64url');
    expect(decodeCursor(forged, 'WORK_DATE_ASC', 'd')).toBe('not a cursor issued by timeEntries');
  });
});
