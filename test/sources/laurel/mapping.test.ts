// Golden mapping tests on the seeds' own example payloads (files 000/001), verbatim.
import { describe, expect, it } from 'vitest';
import { mapEntry, laurelInstant, earliestActivityStart } from '../../../src/sources/laurel/mapping.js';
import type { RawExportEntry, RawFullEntry, RawListEntry } from '../../../src/sources/laurel/raw.js';

const listExample = {
  entryId: 'text', externalId: 'text', customerId: 'text', userId: 'text', creationMethod: 'async', releasedBy: 'text', createdBy: 'text',
  workDate: '2022-08-12', createdAt: '2022-08-12T20:44:48Z', updatedAt: '2022-08-12T20:44:48Z', initiativeExternalId: 'text',
  clientExternalId: 'text', summary: 'text', unitIncrementCount: 1, incrementDurationInSeconds: 1,
  lastReleasePendingAt: '2022-08-12T20:44:48Z', lastReleaseFailedAt: '2022-08-12T20:44:48Z', releaseSuccessAt: '2022-08-12T20:44:48Z',
  isDeleted: true, notes: 'text', releaseCount: 1, lastSyncedAt: '2022-08-12T20:44:48Z',
  codes: [{ codeExternalId: 'text', codeTypeExternalId: 'text' }],
} as RawListEntry;

const fullExample = {
  _id: 'text', customerId: 'text', userId: 'text', enrichmentCorrelationId: 'text',
  statusInfo: { status: 'release-failed', releaseFailedErrors: [{ originalMessage: 'text', title: 'text', description: 'text' }] },
  creationMethod: 'async', createdAsTimer: true, workDate: '2022-08-12', isLocked: true, summary: 'text',
  unitIncrementCountFromSources: 1, unitIncrementCountAdjustments: 1, incrementDurationInSeconds: 1,
  initiativeProps: {
    type: 'pms', colorHex: 'fec828', tags: ['pinned'], nickname: 'text',
    initiative: {
      type: 'pms', _id: 'text', billingType: 'billable', callSign: 'text', unitIncrements: 1, externalId: 'text', name: 'text', description: 'text',
      client: { _id: 'text', externalId: 'text', name: 'text', description: 'text', callSign: 'text' },
    },
  },
  workCodes: [{ assignedBy: 'user', code: { _id: 'text', externalId: 'text', name: 'text', description: 'text', type: { _id: 'text', externalId: 'text', name: 'text', semanticType: 'action' } } }],
  sources: [[{ _id: 'text', type: 'activity', creationMethod: 'timer', category: 'call', technology: 'zoom', title: 'text', detail: 'text', startedAt: '2022-08-12T20:44:48Z', stoppedAt: '2022-08-12T20:44:48Z', clusterId: 'text', hasOverlap: true, overlapTimeInSeconds: 1, threadId: 'text' }]],
  externalId: 'text', createdAt: '2022-08-12T20:44:48Z', updatedAt: '2022-08-12T20:44:48Z', hasOverlap: true, overlapTimeInSeconds: 1,
  isDeleted: true, notes: 'text', releaseCount: 1, lastSyncedAt: '2022-08-12T20:44:48Z', timerDurationAdjustmentInSeconds: 1,
  complianceRules: [{ ruleKey: 'text', description: 'text', enforcementLevel: 'block' }],
} as RawFullEntry;

const exportExample = {
  _id: '62f6bbc0a1b2c3d4e5f60718', customerId: 'text', userId: 'text', workDate: '2022-08-12', summary: 'text', unitIncrementCount: 1, incrementDurationInSeconds: 1,
  initiativeProps: fullExample.initiativeProps, externalId: 'text', notes: 'text', releaseCount: 1, lastSyncedAt: '2022-08-12',
  codes: [{ _id: 'text', externalId: 'text', name: 'text', description: 'text', type: { _id: 'text', externalId: 'text', name: 'text', semanticType: 'action' } }],
} as RawExportEntry;

describe('Laurel mapping of the seed examples', () => {
  it('maps the list record (v1/v2 list, override answer)', () => {
    const e = mapEntry(listExample);
    expect(e).toMatchObject({
      typename: 'LaurelEntry', source: 'LAUREL', sourceId: 'text', key: 'text/text', workDate: '2022-08-12', startedAt: null,
      durationMs: 1000, sourceDuration: { value: 1, unit: 'SECONDS' }, description: 'text',
      person: { source: 'LAUREL', sourceId: 'text', name: null, email: null }, billable: null, deleted: true,
      createdAt: '2022-08-12T20:44:48.000Z', updatedAt: '2022-08-12T20:44:48.000Z', updatedAtMs: Date.UTC(2022, 7, 12, 20, 44, 48),
    });
    expect(e.raw).toBe(listExample);
  });

  it('maps the full entry (soft-delete answer): billable from the initiative, startedAt from the activity', () => {
    const e = mapEntry(fullExample);
    expect(e).toMatchObject({ sourceId: 'text', billable: true, deleted: true, startedAt: '2022-08-12T20:44:48.000Z', durationMs: 1000 });
  });

  it('maps the export record: createdAt from the ObjectId, updatedAt the latest instant it carries', () => {
    const e = mapEntry(exportExample);
    expect(e.createdAt).toBe('2022-08-12T20:44:48.000Z');
    expect(e.updatedAt).toBe('2022-08-12T20:44:48.000Z');
    expect(e.deleted).toBe(false);
    expect(e.billable).toBe(true);
    expect(e.key).toBe('text/62f6bbc0a1b2c3d4e5f60718');
  });

  it('keeps fractional seconds exact to the millisecond and negative durations negative', () => {
    expect(mapEntry({ ...listExample, incrementDurationInSeconds: 0.1 }).durationMs).toBe(100);
    expect(mapEntry({ ...listExample, incrementDurationInSeconds: 360 * 7 }).durationMs).toBe(2_520_000);
    expect(mapEntry({ ...listExample, incrementDurationInSeconds: -900 }).durationMs).toBe(-900_000);
  });

  it('billable follows billingType, null when absent', () => {
    expect(mapEntry({ ...listExample, billingType: 'non-billable' }).billable).toBe(false);
    expect(mapEntry({ ...listExample, billingType: 'billable' }).billable).toBe(true);
  });

  it('reads Laurel instants and bare dates', () => {
    expect(laurelInstant('2022-08-12')).toBe('2022-08-12T00:00:00.000Z');
    expect(laurelInstant('garbage')).toBeNull();
    expect(earliestActivityStart([[{ ...fullExample.sources[0][0], startedAt: '2022-08-12T10:00:00Z' } as never], [{ _id: 'x', type: 'timer', durationInSeconds: 5, summary: '' }]])).toBe('2022-08-12T10:00:00.000Z');
  });
});
