/** Pure mapping of primaERP wire records to TimeGraph models. */
import { SourceError } from '../../core/errors.js';
import { calendarDayIn, isoUtc, parseMsJsonDate } from '../../units/dates.js';
import { toMilliseconds } from '../../units/duration.js';
import type { PersonModel } from '../../core/contract.js';
import type { PrimaerpTimeRecordModel } from './model.js';
import type { RawTimeRecord, RawUser } from './raw.js';

export const PRIMAERP_TYPENAME = 'PrimaerpTimeRecord';

/** A Microsoft JSON date as epoch ms, or null when absent or not a date. */
export function msDate(value: string | null | undefined): number | null {
  return typeof value === 'string' ? parseMsJsonDate(value) : null;
}

/** A Microsoft JSON date as ISO 8601 UTC, or null. */
export function msDateIso(value: string | null | undefined): string | null {
  const ms = msDate(value);
  return ms === null ? null : isoUtc(ms);
}

/** primaERP's workDate: the day of `start` in the user's IANA zone (UTC without one). */
export function workDateOf(record: Pick<RawTimeRecord, 'start' | 'user'>): string | null {
  const start = msDate(record.start);
  return start === null ? null : calendarDayIn(start, record.user?.timeZone);
}

export function mapPerson(user: RawUser): PersonModel {
  const name = [user.firstName, user.lastName].filter((p) => typeof p === 'string' && p !== '').join(' ');
  const person: PersonModel = { source: 'PRIMAERP', sourceId: user.id, name: name || user.displayName || null };
  // Only an embedded user that carries the field answers for it; otherwise the person loader does.
  if ('email' in user) person.email = user.email ?? null;
  return person;
}

export function mapEntry(raw: RawTimeRecord): PrimaerpTimeRecordModel {
  if (typeof raw?.id !== 'string') throw new SourceError('PRIMAERP', 'SOURCE_BAD_RESPONSE', 'PRIMAERP sent a time record without an id');
  const createdMs = msDate(raw.createdAt);
  const updatedMs = msDate(raw.updatedAt) ?? createdMs;
  if (createdMs === null || updatedMs === null) {
    throw new SourceError('PRIMAERP', 'SOURCE_BAD_RESPONSE', `PRIMAERP sent time record ${raw.id} without a valid createdAt`);
  }
  const start = msDate(raw.start);
  if (raw.duration !== undefined && raw.duration !== null && (typeof raw.duration !== 'number' || !Number.isFinite(raw.duration))) {
    throw new SourceError('PRIMAERP', 'SOURCE_BAD_RESPONSE', `PRIMAERP sent time record ${raw.id} with an invalid duration`);
  }
  // primaERP documents duration as optional (a running record has none yet): no duration is 0 ms.
  const duration = raw.duration ?? 0;
  return {
    typename: PRIMAERP_TYPENAME,
    source: 'PRIMAERP',
    sourceId: raw.id,
    key: raw.id,
    workDate: start === null ? null : calendarDayIn(start, raw.user?.timeZone),
    startedAt: start === null ? null : isoUtc(start),
    durationMs: toMilliseconds(duration, 'MILLISECONDS'),
    sourceDuration: { value: duration, unit: 'MILLISECONDS' },
    description: raw.description ?? null,
    person: raw.user ? mapPerson(raw.user) : null,
    billable: raw.billable ?? null,
    deleted: raw.trashItem != null,
    createdAt: isoUtc(createdMs),
    updatedAt: isoUtc(updatedMs),
    updatedAtMs: updatedMs,
    raw,
  };
}
