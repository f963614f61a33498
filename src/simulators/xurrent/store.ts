/**
 * The Xurrent simulator's in-memory state and the vendor's state changes (create, update, delete,
 * archive, trash, restore) with its validation rules.
 */
import { isCalendarDate, parseInstant } from '../../units/dates.js';
import type { XurrentPersonRaw, XurrentRefRaw, XurrentTimeEntryRaw, XurrentWorkItemRaw } from '../../sources/xurrent/raw.js';
import {
  EFFORT_CLASSES, ORGANIZATIONS, PROBLEMS, PROJECT_TASKS, RATES, REQUESTS, SERVICES, TASKS, TIME_ALLOCATIONS, formatOffset,
} from './data.js';

/** 4me's validation answer: `[field, message]` pairs. */
export type ValidationErrors = Array<[string, string]>;
export type WriteResult = { entry: XurrentTimeEntryRaw } | { errors: ValidationErrors } | { notFound: true };

/** The account's time zone offset, used for the instants the simulator writes. */
const ACCOUNT_OFFSET = '-05:00';

export interface XurrentStore {
  readonly entries: Map<number, XurrentTimeEntryRaw>;
  readonly people: Map<number, XurrentPersonRaw>;
  /** The simulator's clock. */
  now(): number;
  /** False for a deleted entry older than 3 months: its data can no longer be retrieved. */
  isReadable(entry: XurrentTimeEntryRaw): boolean;
  /** Readable and neither archived nor trashed (those moved out of the collection). */
  inCollection(entry: XurrentTimeEntryRaw): boolean;
  get(id: number): XurrentTimeEntryRaw | undefined;
  create(body: unknown): WriteResult;
  update(id: number, body: unknown): WriteResult;
  remove(id: number): boolean;
  archive(id: number): WriteResult;
  trash(id: number): WriteResult;
  restore(id: number): WriteResult;
}

export function createStore(entries: XurrentTimeEntryRaw[], people: XurrentPersonRaw[], now: () => number): XurrentStore {
  const byId = new Map(entries.map((e) => [e.id, e]));
  const peopleById = new Map(people.map((p) => [p.id, p]));
  let nextId = Math.max(0, ...byId.keys()) + 1;

  function isReadable(entry: XurrentTimeEntryRaw): boolean {
    if (entry.deleted !== true) return true;
    const limit = new Date(now());
    limit.setUTCMonth(limit.getUTCMonth() - 3);
    return Date.parse(entry.updated_at) >= limit.getTime();
  }
  const flagged = (v: unknown) => v === true || v === 'true';

  function get(id: number): XurrentTimeEntryRaw | undefined {
    const e = byId.get(id);
    return e && isReadable(e) ? e : undefined;
  }

  /** Applies the writable fields of `body` onto `target`; returns validation errors. */
  function apply(target: Partial<XurrentTimeEntryRaw>, body: Record<string, unknown>, creating: boolean): ValidationErrors {
    const errors: ValidationErrors = [];
    const ref = <T extends { id: number | string }>(field: string, catalog: readonly T[]): T | null | undefined => {
      const v = field in body ? body[field] : body[`${field}_id`];
      if (v === undefined) return undefined;
      if (v === null) return null;
      const id = typeof v === 'object' ? (v as { id?: unknown }).id : v;
      const found = catalog.find((c) => String(c.id) === String(id));
      if (!found) errors.push([field, 'is invalid']);
      return found ? structuredClone(found) : undefined;
    };
    const person = ref('person', [...peopleById.values()]);
    if (person !== undefined) {
      target.person = person ? { id: person.id, name: person.name } : undefined;
      if (person && creating) target.organization = person.organization ?? undefined;
    }
    const request = ref<XurrentWorkItemRaw>('request', REQUESTS);
    if (request !== undefined) target.request = request;
    for (const [field, catalog] of [['problem', PROBLEMS], ['task', TASKS], ['project_task', PROJECT_TASKS]] as const) {
      const item = ref<XurrentWorkItemRaw>(field, catalog);
      if (item !== undefined) target[field] = item;
    }
    const customer = ref<XurrentRefRaw>('customer', ORGANIZATIONS);
    if (customer !== undefined) target.customer = customer ?? undefined;
    const service = ref('service', SERVICES);
    if (service !== undefined) target.service = service ?? undefined;
    // Linked to a request, problem, task or project task: customer and service are set from it.
    for (const linked of [target.request, target.problem, target.task, target.project_task]) {
      if (!linked) continue;
      target.customer ??= linked.customer;
      target.service ??= linked.service;
    }
    const allocation = ref('time_allocation', TIME_ALLOCATIONS);
    if (allocation !== undefined) {
      if (allocation) {
        const { description_required: _ignored, ...ta } = allocation;
        void _ignored;
        target.time_allocation = ta;
      } else target.time_allocation = null;
    }
    const effort = ref('effort_class', EFFORT_CLASSES);
    if (effort !== undefined) target.effort_class = effort;
    if ('date' in body) {
      if (typeof body.date === 'string' && isCalendarDate(body.date)) target.date = body.date;
      else errors.push(['date', 'is invalid']);
    }
    if ('time_spent' in body) {
      if (typeof body.time_spent === 'number' && Number.isInteger(body.time_spent)) target.time_spent = body.time_spent;
      else errors.push(['time_spent', 'must be an integer']);
    }
    for (const field of ['correction', 'deleted'] as const) {
      if (field in body) {
        if (typeof body[field] === 'boolean') target[field] = body[field] as boolean;
        else errors.push([field, 'is invalid']);
      }
    }
    if ('description' in body) {
      if (body.description === null || typeof body.description === 'string') target.description = body.description as string | null;
      else errors.push(['description', 'is invalid']);
    }
    if ('started_at' in body) {
      if (body.started_at === null || (typeof body.started_at === 'string' && parseInstant(body.started_at) !== null)) target.started_at = body.started_at as string | null;
      else errors.push(['started_at', 'is invalid']);
    }
    if ('note_id' in body) {
      if (body.note_id === null || (typeof body.note_id === 'number' && Number.isInteger(body.note_id))) target.note_id = body.note_id as number | null;
      else errors.push(['note_id', 'is invalid']);
    }
    // Integrations name themselves and their own id of the entry; both are filterable (seed 002).
    for (const [field, max] of [['source', 30], ['sourceID', 128]] as const) {
      if (!(field in body)) continue;
      const v = body[field];
      if (v === null || (typeof v === 'string' && [...v].length <= max)) target[field] = v as string | null;
      else errors.push([field, typeof v === 'string' ? `is too long (maximum is ${max} characters)` : 'is invalid']);
    }
    if ('cost_currency' in body) {
      if (typeof body.cost_currency === 'string' && /^[A-Z]{3}$/.test(body.cost_currency)) target.cost_currency = body.cost_currency;
      else errors.push(['cost_currency', 'is not included in the list']);
    }
    // Whole-record rules.
    for (const field of ['person', 'customer', 'service', 'date', 'time_spent'] as const) {
      if (target[field] === undefined || target[field] === null) {
        if (!errors.some(([f]) => f === field)) errors.push([field, "can't be blank"]);
      }
    }
    if (typeof target.time_spent === 'number' && target.time_spent < 0 && target.correction !== true) {
      errors.push(['time_spent', 'must be greater than or equal to 0 unless the entry is a correction']);
    }
    // Rails counts characters (code points), not UTF-16 units.
    if (typeof target.description === 'string' && [...target.description].length > 80) {
      errors.push(['description', 'is too long (maximum is 80 characters)']);
    }
    const ta = TIME_ALLOCATIONS.find((t) => t.id === target.time_allocation?.id);
    if (ta?.description_required && !target.description) errors.push(['description', "can't be blank"]);
    return errors;
  }

  function priced(entry: XurrentTimeEntryRaw): void {
    const rate = entry.effort_class ? RATES[entry.effort_class.id] ?? 0 : null;
    if (rate === null) return;
    entry.charge_rate = rate;
    entry.charge = Math.round((rate * entry.time_spent * 100) / 60) / 100;
    entry.charge_type ??= 'time_material';
    entry.charge_currency ??= { id: 'USD', name: 'US Dollar' };
  }

  const stamp = () => formatOffset(Math.floor(now() / 1000) * 1000, ACCOUNT_OFFSET);

  function create(body: unknown): WriteResult {
    if (!isObject(body)) return { errors: [['base', 'the request body must be a JSON object']] };
    const draft: Partial<XurrentTimeEntryRaw> = { correction: false, deleted: false };
    const errors = apply(draft, body, true);
    if (errors.length) return { errors };
    const at = stamp();
    const entry = { ...draft, id: nextId++, created_at: at, updated_at: at } as XurrentTimeEntryRaw;
    priced(entry);
    byId.set(entry.id, entry);
    return { entry };
  }

  function update(id: number, body: unknown): WriteResult {
    const current = get(id);
    if (!current) return { notFound: true };
    if (!isObject(body)) return { errors: [['base', 'the request body must be a JSON object']] };
    const draft = structuredClone(current);
    const errors = apply(draft, body, false);
    if (errors.length) return { errors };
    draft.updated_at = stamp();
    priced(draft);
    byId.set(id, draft);
    return { entry: draft };
  }

  function flag(id: number, change: (e: XurrentTimeEntryRaw) => void): WriteResult {
    const current = get(id);
    if (!current) return { notFound: true };
    const next = structuredClone(current);
    change(next);
    next.updated_at = stamp();
    byId.set(id, next);
    return { entry: next };
  }

  return {
    entries: byId,
    people: peopleById,
    now,
    isReadable,
    inCollection: (e) => isReadable(e) && !flagged(e.archived) && !flagged(e.trashed),
    get,
    create,
    update,
    remove(id) {
      return !('notFound' in flag(id, (e) => (e.deleted = true)));
    },
    archive: (id) => flag(id, (e) => { e.archived = true; delete e.trashed; }),
    trash: (id) => flag(id, (e) => { e.trashed = true; delete e.archived; }),
    restore: (id) => flag(id, (e) => { delete e.archived; delete e.trashed; }),
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
