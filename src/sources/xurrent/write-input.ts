/**
 * Xurrent's write rules, checked before any upstream call, and the request bodies they build: the
 * `xurrent` members of `TimeEntryCreateInput` / `TimeEntryUpdateInput` turned into `POST`/`PATCH`
 * bodies, and Xurrent's `{message, errors}` answers turned back into userErrors on the input's fields.
 * Pure: no I/O.
 */
import type { XurrentTimeEntryCreateInput, XurrentTimeEntryUpdateInput } from '../../generated/graphql.js';
import { durationIn, type DurationInputValue, type RoundingMode } from '../../writes/duration-input.js';
import { userError } from '../../writes/user-errors.js';
import type { UserErrorModel } from '../../core/contract.js';
import type { XurrentErrorRaw } from './raw.js';

/** Field paths of the input start here. */
export const INPUT_PATH = ['input', 'xurrent'];
/** Xurrent's documented maximum length of `description`, in characters. */
export const MAX_DESCRIPTION = 80;
/** `timeSpent` is read back as a GraphQL `Int` (32-bit): a larger value could be written but never read. */
export const MAX_MINUTES = 2_147_483_647;

const POSITIVE_INT = /^[1-9]\d{0,14}$/;

/** Input field → Xurrent's wire field, for the references (sent as `<field>_id`, reported as `<field>`). */
const REFERENCES = {
  personId: 'person',
  customerId: 'customer',
  serviceId: 'service',
  effortClassId: 'effort_class',
  problemId: 'problem',
  projectTaskId: 'project_task',
  requestId: 'request',
  taskId: 'task',
  timeAllocationId: 'time_allocation',
} as const;
type ReferenceField = keyof typeof REFERENCES;

/** Xurrent's field names (as its 422 answers name them) → the input's. */
const INPUT_FIELD_OF: Record<string, string> = {
  ...Object.fromEntries(Object.entries(REFERENCES).map(([input, wire]) => [wire, input])),
  date: 'date',
  time_spent: 'timeSpent',
  correction: 'correction',
  description: 'description',
  note_id: 'noteId',
  started_at: 'startedAt',
  cost_currency: 'costCurrency',
};

/** Can never be cleared: Xurrent requires them on every entry. */
const REQUIRED = new Set(['personId', 'customerId', 'serviceId', 'date', 'timeSpent', 'correction']);
/** A link to one of these sets customer and service (Xurrent copies them from the linked record). */
const LINKS = ['requestId', 'problemId', 'taskId', 'projectTaskId'] as const;

type AnyInput = Partial<XurrentTimeEntryCreateInput> & Partial<XurrentTimeEntryUpdateInput>;
const given = (input: AnyInput, field: keyof AnyInput) => Object.prototype.hasOwnProperty.call(input, field) && input[field] !== undefined;
const path = (field: string) => [...INPUT_PATH, field];
const quote = (value: unknown) => JSON.stringify(value);

/** Characters as Xurrent (Ruby) counts them: code points, not UTF-16 units. */
const lengthOf = (text: string) => [...text].length;

/**
 * Validates an input and builds Xurrent's body. `creating` applies the create-only rules (required
 * fields); on update only the fields given are sent, and an explicit null clears an optional field.
 */
export function buildBody(input: AnyInput, creating: boolean): { body: Record<string, unknown> } | { errors: UserErrorModel[] } {
  const errors: UserErrorModel[] = [];
  const body: Record<string, unknown> = {};

  // Explicit nulls: GraphQL lets them through for nullable fields; required fields cannot be cleared.
  for (const [field, value] of Object.entries(input)) {
    if (value === null && REQUIRED.has(field)) errors.push(userError(path(field), `${field} cannot be cleared: Xurrent requires it (got null).`));
  }
  referenceFields(input, body, errors);
  if (creating) {
    const linked = LINKS.some((f) => given(input, f) && input[f] !== null);
    for (const field of ['customerId', 'serviceId'] as const) {
      if (!given(input, field) && !linked) {
        errors.push(userError(path(field), `${field} is required unless the entry is linked to a request, problem, task or project task (got none).`));
      }
    }
  }
  plainFields(input, body, errors);
  timeSpentField(input, body, errors);

  if (!creating && Object.keys(body).length === 0 && errors.length === 0) {
    errors.push(userError(INPUT_PATH, 'Give at least one field to change (got none besides rounding).'));
  }
  return errors.length ? { errors } : { body };
}

/** The references (`<field>_id`) and `note_id`: positive integers, or null to clear an optional one. */
function referenceFields(input: AnyInput, body: Record<string, unknown>, errors: UserErrorModel[]): void {
  for (const [field, wire] of Object.entries(REFERENCES) as Array<[ReferenceField, string]>) {
    if (!given(input, field)) continue;
    const value = input[field];
    if (value === null) {
      if (!REQUIRED.has(field)) body[`${wire}_id`] = null;
      continue;
    }
    if (!POSITIVE_INT.test(String(value))) {
      errors.push(userError(path(field), `${field} ${quote(value)} is not a Xurrent id (a positive integer).`, 'INVALID_ID'));
      continue;
    }
    body[`${wire}_id`] = Number(value);
  }
  if (given(input, 'noteId')) {
    const value = input.noteId;
    if (value === null) body.note_id = null;
    else if (!POSITIVE_INT.test(String(value))) errors.push(userError(path('noteId'), `noteId ${quote(value)} is not a Xurrent id (a positive integer).`, 'INVALID_ID'));
    else body.note_id = Number(value);
  }
}

/** date, started_at, correction, description (at most 80 characters) and cost_currency (ISO 4217). */
function plainFields(input: AnyInput, body: Record<string, unknown>, errors: UserErrorModel[]): void {
  if (given(input, 'date') && input.date !== null) body.date = input.date;
  if (given(input, 'startedAt')) body.started_at = input.startedAt;
  if (given(input, 'correction') && input.correction !== null) body.correction = input.correction;

  if (given(input, 'description')) {
    const text = input.description;
    if (typeof text === 'string' && lengthOf(text) > MAX_DESCRIPTION) {
      errors.push(userError(path('description'), `description ${quote(text)} has ${lengthOf(text)} characters; Xurrent allows at most ${MAX_DESCRIPTION}.`));
    } else body.description = text;
  }

  if (given(input, 'costCurrency')) {
    const code = input.costCurrency;
    if (code === null) body.cost_currency = null;
    else if (!/^[A-Z]{3}$/.test(String(code))) errors.push(userError(path('costCurrency'), `costCurrency ${quote(code)} is not an ISO 4217 currency code (three capital letters).`));
    else body.cost_currency = code;
  }
}

/** time_spent in whole minutes, within a GraphQL Int, negative only for a correction. */
function timeSpentField(input: AnyInput, body: Record<string, unknown>, errors: UserErrorModel[]): void {
  if (!given(input, 'timeSpent') || input.timeSpent === null) return;
  const converted = durationIn(input.timeSpent as DurationInputValue, 'MINUTES', path('timeSpent'), input.rounding as RoundingMode | null | undefined);
  if ('error' in converted) return void errors.push(converted.error);
  const minutes = converted.value === 0 ? 0 : converted.value; // no -0 on the wire
  if (Math.abs(minutes) > MAX_MINUTES) {
    errors.push(userError(path('timeSpent'), `timeSpent of ${minutes} minutes is out of range (at most ${MAX_MINUTES} either way).`));
  } else if (minutes < 0 && input.correction !== true) {
    errors.push(userError(path('timeSpent'), `timeSpent of ${minutes} minutes is negative; Xurrent allows negative time only with correction: true.`));
  } else body.time_spent = minutes;
}

/**
 * Xurrent's 422 answer as userErrors: each `[field, message]` pair on the input field it names,
 * quoting the value that was sent; `base` (or an unknown field) on the whole input.
 */
export function userErrorsOf(answer: XurrentErrorRaw, input: AnyInput): UserErrorModel[] {
  if (!answer.errors?.length) return [userError(INPUT_PATH, `Xurrent rejected the entry: ${answer.message}`)];
  return answer.errors.map(([wire, text]) => {
    const field = INPUT_FIELD_OF[wire];
    if (!field) return userError(INPUT_PATH, `Xurrent rejected the entry: ${wire === 'base' ? '' : `${wire} `}${text}.`);
    const sent = (input as Record<string, unknown>)[field];
    const value = sent === undefined ? 'none given' : `got ${quote(sent)}`;
    return userError(path(field), `${field} ${text} (${value}).`);
  });
}
