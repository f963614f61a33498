/**
 * Pure validation of primaERP write inputs and the request bodies built from them. Everything here
 * runs before any upstream call, so a rejected input costs nothing upstream. The rules are the ones
 * primaERP documents for TimeRecord: `id` and references are UUIDs, `user` and `effective` are
 * NotNull, `duration` is a Long with Min 0 (whole milliseconds).
 */
import type { PrimaerpTimeRecordCreateInput, PrimaerpTimeRecordUpdateInput } from '../../generated/graphql.js';
import type { UserErrorModel } from '../../core/contract.js';
import { durationIn } from '../../writes/duration-input.js';
import { userError } from '../../writes/user-errors.js';
import { formatMsJsonDate, parseInstant, parseMsJsonDate } from '../../units/dates.js';
import { UUID_RE } from './list-plan.js';
import type { RawConstraintViolation, RawTimeRecord } from './raw.js';

const BASE = ['input', 'primaerp'];
const at = (field: string) => [...BASE, field];

/** Input field → primaERP reference field. */
const REFERENCES = [
  ['userId', 'user'],
  ['projectId', 'project'],
  ['taskId', 'task'],
  ['clientId', 'client'],
  ['workTypeId', 'workType'],
  ['externalSystemId', 'externalSystem'],
] as const;

/** Plain fields copied as they are. */
const PLAIN = [
  'description',
  'billable',
  'approved',
  'effective',
  'unitPrice',
  'price',
  'priceModified',
  'externalResourceId',
  'externalBrowsableUrl',
  'externalSynced',
] as const;

/** The body fields primaERP documents as writable (read write or write only), besides references. */
const WRITABLE = ['version', ...PLAIN, 'priceAutoCalculation', 'start', 'stop', 'duration'] as const;

type WriteInput = PrimaerpTimeRecordCreateInput | PrimaerpTimeRecordUpdateInput;
type Body = Record<string, unknown>;

const given = (input: object, key: string): boolean => (input as Record<string, unknown>)[key] !== undefined;

/** Checks formats and converts; fills `body` with the fields the input sets (null clears). */
function translate(input: WriteInput, body: Body): UserErrorModel[] {
  const errors: UserErrorModel[] = [];
  const value = input as Record<string, unknown>;
  for (const [field, ref] of REFERENCES) {
    const v = value[field];
    if (v === undefined) continue;
    if (v === null) {
      if (field === 'userId') errors.push(userError(at(field), 'primaERP requires a user; userId cannot be null.'));
      else body[ref] = null;
    } else if (typeof v !== 'string' || !UUID_RE.test(v)) {
      errors.push(userError(at(field), `${JSON.stringify(v)} is not a primaERP UUID (lowercase 8-4-4-4-12 hex).`, 'INVALID_ID'));
    } else body[ref] = { id: v };
  }
  for (const field of PLAIN) {
    const v = value[field];
    if (v === undefined) continue;
    if (v === null && field === 'effective') errors.push(userError(at(field), 'primaERP requires effective; it cannot be null.'));
    else body[field] = v;
  }
  for (const field of ['start', 'stop'] as const) {
    const v = value[field];
    if (v === undefined) continue;
    // DateTime inputs arrive validated and normalized to ISO UTC.
    const ms = typeof v === 'string' ? parseInstant(v) : null;
    body[field] = ms === null ? null : formatMsJsonDate(ms);
  }
  const duration = input.duration;
  if (duration === null) errors.push(userError(at('duration'), 'A primaERP record keeps a duration; give one or leave the field out.'));
  else if (duration !== undefined) {
    const converted = durationIn(duration, 'MILLISECONDS', at('duration'), input.rounding);
    if ('error' in converted) errors.push(converted.error);
    else if (converted.value < 0) {
      const member = Object.keys(duration).find((k) => (duration as Record<string, unknown>)[k] != null) ?? '';
      errors.push(userError([...at('duration'), member], `Duration ${converted.value} ms is negative; primaERP requires at least 0.`));
    } else body.duration = converted.value === 0 ? 0 : converted.value;
  }
  return errors;
}

/** The `POST` body of a create, or the userErrors that stop it. */
export function createBody(input: PrimaerpTimeRecordCreateInput): { body: Body } | { errors: UserErrorModel[] } {
  const body: Body = {};
  const errors: UserErrorModel[] = [];
  if (input.id !== undefined && input.id !== null) {
    if (!UUID_RE.test(input.id)) errors.push(userError(at('id'), `${JSON.stringify(input.id)} is not a primaERP UUID (lowercase 8-4-4-4-12 hex).`, 'INVALID_ID'));
    else body.id = input.id;
  }
  errors.push(...translate(input, body));
  if (errors.length > 0) return { errors };
  for (const k of Object.keys(body)) if (body[k] === null) delete body[k];
  return { body };
}

/** Validates an update before anything is read. */
export function checkUpdate(input: PrimaerpTimeRecordUpdateInput): UserErrorModel[] {
  return translate(input, {});
}

/**
 * The whole record to `PUT`: the writable fields of `current`, with the input applied and the
 * caller's `version` (so a stale one is refused by primaERP, never overwritten). start, stop and
 * duration stay consistent the way primaERP derives them: what the input gives wins, the third follows.
 */
export function updateBody(current: RawTimeRecord, input: PrimaerpTimeRecordUpdateInput): Body {
  const body: Body = {};
  const raw = current as unknown as Record<string, unknown>;
  for (const field of WRITABLE) if (raw[field] !== undefined) body[field] = raw[field];
  for (const [, ref] of REFERENCES) {
    const v = raw[ref] as { id?: string } | null | undefined;
    if (v !== undefined) body[ref] = v === null ? null : { id: v.id };
  }
  const changes: Body = {};
  translate(input, changes);
  Object.assign(body, changes, { id: current.id, version: input.version });

  const start = typeof body.start === 'string' ? parseMsJsonDate(body.start) : null;
  const stop = typeof body.stop === 'string' ? parseMsJsonDate(body.stop) : null;
  if (given(input, 'duration')) {
    if (!given(input, 'stop') && start !== null) body.stop = formatMsJsonDate(start + (body.duration as number));
  } else if ((given(input, 'start') || given(input, 'stop')) && start !== null && stop !== null) {
    body.duration = stop - start;
  } else if (given(input, 'start') && start !== null && typeof body.duration === 'number') {
    body.stop = formatMsJsonDate(start + body.duration);
  }
  return body;
}

/** primaERP record fields → the input field a client sets them with. */
const INPUT_FIELD: Record<string, string> = Object.fromEntries([
  ...REFERENCES.map(([input, ref]) => [ref, input]),
  ...[...PLAIN, 'id', 'version', 'start', 'stop', 'duration'].map((f) => [f, f]),
]);

/** primaERP's `constraintViolations` as userErrors on the input fields they name, quoting what was sent. */
export function violationErrors(violations: RawConstraintViolation[], sent: Body): UserErrorModel[] {
  return violations.map((v) => {
    const name = v.field ?? v.entityPath?.split('.').slice(1)[0] ?? '';
    const field = INPUT_FIELD[name];
    const value = sent[name] && typeof sent[name] === 'object' ? (sent[name] as { id?: unknown }).id : sent[name];
    const quoted = value === undefined ? '' : ` (sent ${JSON.stringify(value)})`;
    const what = `${v.entityPath ?? name} ${v.message ?? 'is invalid'}`.trim();
    return userError(field ? at(field) : BASE, `primaERP refused the record: ${what}${v.constraint ? ` [${v.constraint}]` : ''}${quoted}.`, 'VALIDATION');
  });
}
