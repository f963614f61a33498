import { SourceError } from '../../core/errors.js';
/**
 * Pure mapping of Laurel's entry records to the unified model. Laurel returns three shapes of an entry
 * (list, full, export); all map to one `LaurelEntry`, with `raw` kept for the type's own fields.
 */
import { toMilliseconds } from '../../units/duration.js';
import { isCalendarDate, isoUtc, parseInstant } from '../../units/dates.js';
import type { EntryModel, PersonModel } from '../../core/contract.js';
import { objectIdTimeMs } from './objectid.js';
import type { RawEntry, RawFullEntry, RawListEntry, RawSource } from './raw.js';

export const LAUREL_TYPENAME = 'LaurelEntry';

/** Laurel's id of an entry in any of its shapes. */
export function entryIdOf(raw: RawEntry): string {
  return 'entryId' in raw ? raw.entryId : raw._id;
}

/** The lookup key: an entry is addressed by user and entry id. */
export function entryKey(userId: string, entryId: string): string {
  return `${userId}/${entryId}`;
}

export function mapPerson(userId: string): PersonModel {
  return { source: 'LAUREL', sourceId: userId, name: null, email: null };
}

/**
 * Normalizes a Laurel instant to ISO UTC. Laurel writes `2022-08-12T20:44:48Z`; its export example also
 * shows a bare date for `lastSyncedAt`, read as midnight UTC. Null when absent or unreadable.
 */
export function laurelInstant(value: string | null | undefined): string | null {
  if (!value) return null;
  const ms = parseInstant(value);
  if (ms !== null) return isoUtc(ms);
  return isCalendarDate(value) ? `${value}T00:00:00.000Z` : null;
}

function instantMs(value: string | null | undefined): number | null {
  const iso = laurelInstant(value);
  return iso === null ? null : Date.parse(iso);
}

/** The earliest `startedAt` of the activity sources of a full entry; null when it has none. */
export function earliestActivityStart(sources: RawSource[][] | undefined): string | null {
  let min: number | null = null;
  for (const group of sources ?? []) {
    for (const s of group ?? []) {
      if (s.type !== 'activity') continue;
      const ms = instantMs(s.startedAt);
      if (ms !== null && (min === null || ms < min)) min = ms;
    }
  }
  return min === null ? null : isoUtc(min);
}

function billingTypeOf(raw: RawEntry): string | undefined {
  if ('billingType' in raw && raw.billingType) return raw.billingType;
  if ('initiativeProps' in raw) return raw.initiativeProps?.initiative?.billingType;
  return undefined;
}

/**
 * Maps one record. The export record has no createdAt/updatedAt: createdAt then comes from the
 * ObjectId's embedded creation second, and updatedAt is the latest instant the record carries.
 */
/** Rejects what Laurel documents as required but the answer lacks or mistypes: it is not an entry. */
function assertEntryShape(raw: RawEntry): void {
  const bad = (what: string) => new SourceError('LAUREL', 'SOURCE_BAD_RESPONSE', `LAUREL sent an entry with ${what}`);
  if (!raw || typeof raw !== 'object') throw bad('no body');
  const id = entryIdOf(raw);
  if (typeof id !== 'string' || id === '') throw bad('no valid id');
  if (typeof raw.userId !== 'string' || raw.userId === '') throw bad('no valid userId');
  if (typeof raw.incrementDurationInSeconds !== 'number' || !Number.isFinite(raw.incrementDurationInSeconds)) {
    throw bad('an invalid incrementDurationInSeconds');
  }
}

export function mapEntry(raw: RawEntry): EntryModel<RawEntry> {
  assertEntryShape(raw);
  const entryId = entryIdOf(raw);
  const list = raw as Partial<RawListEntry>;
  const full = raw as Partial<RawFullEntry>;
  const createdMs = instantMs(list.createdAt) ?? objectIdTimeMs(entryId);
  let updatedMs = instantMs(list.updatedAt);
  if (updatedMs === null) {
    updatedMs = Math.max(createdMs, instantMs(raw.lastSyncedAt) ?? 0, instantMs(raw.firstReleaseAttemptedAt) ?? 0);
  }
  const seconds = raw.incrementDurationInSeconds;
  const billing = billingTypeOf(raw);
  return {
    typename: LAUREL_TYPENAME,
    source: 'LAUREL',
    sourceId: entryId,
    key: entryKey(raw.userId, entryId),
    workDate: raw.workDate && isCalendarDate(raw.workDate) ? raw.workDate : null,
    startedAt: earliestActivityStart(full.sources),
    durationMs: toMilliseconds(seconds, 'SECONDS'),
    sourceDuration: { value: seconds, unit: 'SECONDS' },
    description: raw.summary ?? null,
    person: mapPerson(raw.userId),
    billable: billing === undefined ? null : billing === 'billable',
    deleted: list.isDeleted === true,
    createdAt: isoUtc(createdMs),
    updatedAt: isoUtc(updatedMs),
    updatedAtMs: updatedMs,
    raw,
  };
}
