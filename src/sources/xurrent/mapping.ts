/** Pure mapping of Xurrent wire records to the gateway's models. */
import { SourceError } from '../../core/errors.js';
import { isoUtc, parseInstant } from '../../units/dates.js';
import { toMilliseconds } from '../../units/duration.js';
import type { PersonModel } from '../../core/contract.js';
import type { XurrentEntryModel } from './model.js';
import type { XurrentPersonRaw, XurrentRefRaw, XurrentTimeEntryRaw } from './raw.js';

export const XURRENT_TYPENAME = 'XurrentTimeEntry';

function instant(value: unknown, field: string, id: unknown): number {
  const ms = typeof value === 'string' ? parseInstant(value) : null;
  if (ms === null) throw new SourceError('XURRENT', 'SOURCE_BAD_RESPONSE', `XURRENT sent time entry ${String(id)} with an invalid ${field}`);
  return ms;
}

/**
 * Xurrent has no billable flag. The effort class names the kind of effort ('Billable - Normal Hours',
 * 'Non Billable'); where its name says so, that is the answer, otherwise null.
 */
export function billableOf(effortClass: XurrentRefRaw | null | undefined): boolean | null {
  const name = effortClass?.name?.toLowerCase() ?? '';
  if (/\bnon[- ]?billable\b/.test(name)) return false;
  if (/\bbillable\b/.test(name)) return true;
  return null;
}

/** Maps a time entry; throws SOURCE_BAD_RESPONSE when a required field is missing or malformed. */
export function mapEntry(raw: XurrentTimeEntryRaw): XurrentEntryModel {
  if (!Number.isInteger(raw.id) || raw.id <= 0) throw new SourceError('XURRENT', 'SOURCE_BAD_RESPONSE', 'XURRENT sent a time entry without a valid id');
  if (typeof raw.time_spent !== 'number' || !Number.isInteger(raw.time_spent)) {
    throw new SourceError('XURRENT', 'SOURCE_BAD_RESPONSE', `XURRENT sent time entry ${raw.id} with an invalid time_spent`);
  }
  const createdMs = instant(raw.created_at, 'created_at', raw.id);
  const updatedMs = instant(raw.updated_at, 'updated_at', raw.id);
  const startedMs = raw.started_at ? instant(raw.started_at, 'started_at', raw.id) : null;
  const id = String(raw.id);
  return {
    typename: XURRENT_TYPENAME,
    source: 'XURRENT',
    sourceId: id,
    key: id,
    workDate: typeof raw.date === 'string' ? raw.date : null,
    startedAt: startedMs === null ? null : isoUtc(startedMs),
    durationMs: toMilliseconds(raw.time_spent, 'MINUTES'),
    sourceDuration: { value: raw.time_spent, unit: 'MINUTES' },
    description: raw.description ?? null,
    person: raw.person ? { source: 'XURRENT', sourceId: String(raw.person.id), name: raw.person.name ?? null } : null,
    billable: billableOf(raw.effort_class),
    deleted: raw.deleted === true,
    createdAt: isoUtc(createdMs),
    updatedAt: isoUtc(updatedMs),
    updatedAtMs: updatedMs,
    raw,
  };
}

/** Maps a People API record; `primary_email` is the e-mail address. */
export function mapPerson(raw: XurrentPersonRaw): PersonModel {
  return { source: 'XURRENT', sourceId: String(raw.id), name: raw.name ?? null, email: raw.primary_email ?? null };
}

/** A decimal the API may send as a number or a string. */
export function decimal(value: number | string | null | undefined): number | null {
  if (value === null || value === undefined || value === '') return null;
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? n : null;
}

/** `true`, `"true"` → true; `false`, `"false"` → false; absent → null. */
export function flag(value: boolean | string | null | undefined): boolean | null {
  if (value === undefined || value === null) return null;
  return value === true || value === 'true';
}
