/**
 * Laurel's write rules, checked before anything is sent, and the request bodies built from the
 * inputs; and Laurel's answers to a refused write (NestJS bodies `{statusCode, message, error,
 * errorCode?}`) as userErrors: class-validator messages name their field, EntryValidationError codes
 * are mapped to the input field they concern, 404 is NOT_FOUND and 409 (a locked entry) is LOCKED.
 * Pure: no I/O.
 */
import type { HttpResponse } from '../../http/client.js';
import { SourceError } from '../../core/errors.js';
import type { LaurelBulkReleaseInput, LaurelEntryOverrideInput } from '../../generated/graphql.js';
import type { UserErrorModel } from '../../core/contract.js';
import { userError } from '../../writes/user-errors.js';
import { isObjectId } from './objectid.js';
import type { RawNestError } from './raw.js';

/** Drops the members given as null (GraphQL lets a client send an explicit null). */
export function given<T extends object>(input: T): Partial<{ [K in keyof T]: NonNullable<T[K]> }> {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== null && v !== undefined)) as Partial<{ [K in keyof T]: NonNullable<T[K]> }>;
}

function objectIdErrors(field: string[], value: string | readonly string[] | undefined): UserErrorModel[] {
  if (value === undefined) return [];
  if (typeof value === 'string') return isObjectId(value) ? [] : [userError(field, `${JSON.stringify(value)} is not a Laurel ObjectId (24 hex digits).`, 'INVALID_ID')];
  return value.flatMap((v, i) => (isObjectId(v) ? [] : [userError([...field, String(i)], `${JSON.stringify(v)} is not a Laurel ObjectId (24 hex digits).`, 'INVALID_ID')]));
}

/** The override's problems as Laurel's `OverrideOneEntryRequestDto` documents them. */
export function validateOverride(input: LaurelEntryOverrideInput, field = ['input', 'laurel']): UserErrorModel[] {
  const body = given(input);
  if (Object.keys(body).length === 0) {
    return [userError(field, 'Give at least one of summary, unitIncrementCountAdjustments, initiativeId, codeIds, workDate.', 'VALIDATION')];
  }
  const errors = [...objectIdErrors([...field, 'initiativeId'], body.initiativeId), ...objectIdErrors([...field, 'codeIds'], body.codeIds)];
  const adj = body.unitIncrementCountAdjustments;
  if (adj !== undefined && !Number.isFinite(adj)) errors.push(userError([...field, 'unitIncrementCountAdjustments'], `${adj} is not a finite number.`, 'VALIDATION'));
  return errors;
}

const RELEASED_FROM = { TIME_CONTROL: 'time-control', TIMESHEET: 'timesheet' } as const;
const BILLING_TYPE = { BILLABLE: 'billable', NON_BILLABLE: 'non-billable' } as const;

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The bulk release's problems as Laurel's `BulkReleaseEntryDto` documents them. */
export function validateBulkRelease(input: LaurelBulkReleaseInput, field = ['input']): UserErrorModel[] {
  const errors: UserErrorModel[] = [];
  if (input.workDateEnd < input.workDateStart) {
    errors.push(userError([...field, 'workDateEnd'], `workDateEnd ${JSON.stringify(input.workDateEnd)} is before workDateStart ${JSON.stringify(input.workDateStart)}.`, 'VALIDATION'));
  }
  errors.push(...objectIdErrors([...field, 'userIds'], input.userIds ?? undefined));
  errors.push(...objectIdErrors([...field, 'clientId'], input.clientId ?? undefined));
  errors.push(...objectIdErrors([...field, 'initiativeId'], input.initiativeId ?? undefined));
  (input.timezones ?? []).forEach((zone, i) => {
    if (!isTimeZone(zone)) errors.push(userError([...field, 'timezones', String(i)], `${JSON.stringify(zone)} is not an IANA time zone.`, 'VALIDATION'));
  });
  return errors;
}

/** The bulk release's body: Laurel's kebab-case values, the members given. */
export function bulkReleaseBody(input: LaurelBulkReleaseInput) {
  return given({
    workDateStart: input.workDateStart,
    workDateEnd: input.workDateEnd,
    releasedFrom: input.releasedFrom ? RELEASED_FROM[input.releasedFrom] : undefined,
    userIds: input.userIds,
    timezoneNotSet: input.timezoneNotSet,
    billingType: input.billingType ? BILLING_TYPE[input.billingType] : undefined,
    clientId: input.clientId,
    initiativeId: input.initiativeId,
    timezones: input.timezones,
  });
}


/** Where a write's input lives, to give Laurel's answers field paths and quote the values. */
export interface WriteContext {
  /** Path of the entry's id argument, e.g. `['id']`. */
  idField: string[] | null;
  /** The quoted id for messages. */
  id?: string;
  /** Path prefix of the input's fields, e.g. `['input', 'laurel']`. */
  inputField: string[];
  /** The input as sent (its values are quoted in messages). */
  input?: Record<string, unknown>;
}

/** The input field an EntryValidationError code concerns; null: the entry as a whole. */
const CODE_FIELD: Record<string, string> = {
  'summary-is-required': 'summary',
  'cannot-exceed-twenty-four-hours': 'unitIncrementCountAdjustments',
  'exceeds-twenty-four-hours-daily-limit': 'unitIncrementCountAdjustments',
  'entry-date-restricted-no-release': 'workDate',
  'code-type-is-required': 'codeIds',
};

function messagesOf(body: Partial<RawNestError> | null): string[] {
  const msg = body?.message;
  const list = Array.isArray(msg) ? msg : typeof msg === 'string' ? [msg] : [];
  // Never pass on anything that looks like an upstream URL.
  return list.filter((m): m is string => typeof m === 'string' && !/https?:\/\//.test(m)).map((m) => m.slice(0, 300));
}

/** `each value in codeIds must be …` / `summary must be …` → the field it names, when the input has it. */
function fieldNamed(message: string, ctx: WriteContext): string | null {
  const m = /^(?:each value in )?([A-Za-z]+)(?:\.[A-Za-z]+)? /.exec(message);
  if (!m) return null;
  return ctx.input && m[1] in ctx.input ? m[1] : null;
}

function quoted(ctx: WriteContext, field: string | null): string {
  if (field === null) return ctx.id ? `Entry ${JSON.stringify(ctx.id)}` : 'The request';
  return `${field} ${JSON.stringify(ctx.input?.[field] ?? null)}`;
}

/**
 * The userErrors of a 4xx answer. Statuses no caller can act on (e.g. 405, 413) are failures of the
 * backend, thrown as SourceError.
 */
export function laurelWriteErrors(res: HttpResponse, ctx: WriteContext): UserErrorModel[] {
  const body = res.body && typeof res.body === 'object' ? (res.body as Partial<RawNestError>) : null;
  const messages = messagesOf(body);
  const vendorCode = typeof body?.errorCode === 'string' ? body.errorCode : null;
  const path = (field: string | null) => (field === null ? ctx.idField : [...ctx.inputField, field]);
  if (res.status === 404) {
    const text = messages[0] ?? 'Not Found';
    const field = /initiative/i.test(text) ? 'initiativeId' : /code/i.test(text) ? 'codeIds' : null;
    const what = field === null ? quoted(ctx, null) : quoted(ctx, field);
    return [userError(path(field && ctx.input && field in ctx.input ? field : null), `${what}: Laurel answered "${text}".`, 'NOT_FOUND')];
  }
  if (res.status === 409) {
    return [userError(ctx.idField, `${quoted(ctx, null)} is locked in Laurel and cannot be changed: "${messages[0] ?? 'Conflict'}".`, 'LOCKED')];
  }
  if (res.status === 400 || res.status === 422) {
    if (vendorCode !== null) {
      const field = CODE_FIELD[vendorCode] !== undefined && ctx.input && CODE_FIELD[vendorCode] in ctx.input ? CODE_FIELD[vendorCode] : null;
      return [userError(path(field), `${quoted(ctx, field)} was refused by Laurel: ${vendorCode}.`, 'VALIDATION')];
    }
    if (messages.length === 0) return [userError(ctx.idField, `${quoted(ctx, null)} was refused by Laurel (HTTP ${res.status}).`, 'VALIDATION')];
    return messages.map((m) => {
      const field = fieldNamed(m, ctx);
      return userError(path(field), `${quoted(ctx, field)} was refused by Laurel: ${m}.`, 'VALIDATION');
    });
  }
  throw new SourceError('LAUREL', 'SOURCE_BAD_RESPONSE', `LAUREL answered a write with HTTP ${res.status}`, res.status);
}
