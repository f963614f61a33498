/**
 * The Xurrent (4me) REST protocol over the store: auth (`Authorization: Bearer` + `X-4me-Account`),
 * per-token rate limits, `Link`-header paging, the documented filters, `sort` and `fields`.
 */
import { createWindowLimiter, type SimHandler, type SimRequest, type SimResponse } from '../common/server.js';
import { isCalendarDate, parseInstant } from '../../units/dates.js';
import type { XurrentTimeEntryRaw } from '../../sources/xurrent/raw.js';
import type { WriteResult, XurrentStore } from './store.js';

export interface XurrentRateLimit {
  /** Requests per hour per token (default 3600). */
  perHour: number;
  /** Requests per burst window per token (default 20). */
  burst: number;
  /** Burst window length (default 2000 ms). */
  burstWindowMs: number;
}

export interface XurrentAuth {
  token: string;
  account: string;
  /** The token stops working at this instant (simulator clock); never when unset. */
  tokenExpiresAtMs?: number;
}

/** The fields a collection shows by default (seed 003); `correction` appears in the seed's own example. */
const COLLECTION_FIELDS = [
  'id', 'date', 'time_spent', 'correction', 'person', 'request', 'problem', 'task', 'project_task', 'time_allocation',
  'service', 'customer', 'organization', 'description', 'deleted', 'created_at', 'updated_at',
];
/** Shown with `time_allocation` and never nameable in `?fields=`. */
const LINKED_FIELDS = ['request', 'problem', 'task', 'project_task'];
const ALL_FIELDS = new Set([
  ...COLLECTION_FIELDS, 'started_at', 'effort_class', 'charge', 'charge_currency', 'charge_rate', 'charge_type', 'cost',
  'cost_currency', 'activityID', 'agreementID', 'rateID', 'note_id', 'service_instance', 'sla', 'source', 'sourceID',
  'archived', 'trashed',
]);
const SORTABLE = new Set(['id', 'date', 'created_at', 'updated_at']);

const json = (status: number, body: unknown, headers?: Record<string, string>): SimResponse => ({ status, body, headers });
const message = (status: number, text: string, headers?: Record<string, string>) => json(status, { message: text }, headers);

class BadRequest extends Error {}

export function createHandler(store: XurrentStore, auth: XurrentAuth, rate: XurrentRateLimit): SimHandler {
  const limiters = new Map<string, { hour: ReturnType<typeof createWindowLimiter>; burst: ReturnType<typeof createWindowLimiter> }>();

  return (req) => {
    const token = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''))?.[1];
    if (!token || token !== auth.token) return message(401, 'Unauthorized');
    if (auth.tokenExpiresAtMs !== undefined && store.now() >= auth.tokenExpiresAtMs) return message(401, 'The access token expired');
    const account = req.headers['x-4me-account'];
    if (!account) return message(401, 'The X-4me-Account header is missing');
    if (account !== auth.account) return message(404, `Account '${String(account)}' not found`);

    let limiter = limiters.get(token);
    if (!limiter) {
      limiter = { hour: createWindowLimiter(rate.perHour, 3_600_000), burst: createWindowLimiter(rate.burst, rate.burstWindowMs) };
      limiters.set(token, limiter);
    }
    const wait = limiter.hour.take() ?? limiter.burst.take();
    const rateHeaders = { 'X-RateLimit-Limit': String(rate.perHour), 'X-RateLimit-Remaining': String(limiter.hour.remaining()) };
    if (wait !== null) return message(429, 'Too Many Requests', { ...rateHeaders, 'Retry-After': String(wait) });

    let answer: SimResponse;
    try {
      answer = route(store, req);
    } catch (error) {
      if (!(error instanceof BadRequest)) throw error;
      answer = message(400, error.message);
    }
    return { ...answer, headers: { ...rateHeaders, ...answer.headers } };
  };
}

function route(store: XurrentStore, req: SimRequest): SimResponse {
  const path = req.path.replace(/^\/v1(?=\/)/, '');
  const m = /^\/(time_entries|people)(?:\/(\d+)(?:\/(archive|trash|restore))?)?\/?$/.exec(path);
  if (!m || !req.path.startsWith('/v1/')) return message(404, 'Not Found');
  const [, resource, idText, action] = m;
  const id = idText === undefined ? undefined : Number(idText);

  if (resource === 'people') {
    if (req.method !== 'GET' || action) return message(405, 'Method Not Allowed');
    if (id === undefined) {
      const ids = idList(req.query.get('id'));
      const people = [...store.people.values()].filter((p) => !ids || ids.has(p.id)).sort((a, b) => a.id - b.id);
      return paged(req, people);
    }
    const person = store.people.get(id);
    return person ? json(200, person) : message(404, 'Not Found');
  }

  if (id === undefined) {
    if (req.method === 'GET') return listEntries(store, req);
    if (req.method === 'POST') return written(store.create(req.body), 201);
    return message(405, 'Method Not Allowed');
  }
  if (action) {
    if (req.method !== 'POST') return message(405, 'Method Not Allowed');
    return written(action === 'archive' ? store.archive(id) : action === 'trash' ? store.trash(id) : store.restore(id), 200);
  }
  if (req.method === 'GET') {
    const entry = store.get(id);
    return entry ? json(200, entry) : message(404, 'Not Found');
  }
  if (req.method === 'PATCH') return written(store.update(id, req.body), 200);
  if (req.method === 'DELETE') return store.remove(id) ? { status: 204 } : message(404, 'Not Found');
  return message(405, 'Method Not Allowed');
}

function written(result: WriteResult, status: number): SimResponse {
  if ('notFound' in result) return message(404, 'Not Found');
  if ('errors' in result) {
    const text = result.errors.map(([f, e]) => `${f === 'base' ? '' : `${humanize(f)} `}${e}`).join(', ');
    return json(422, { message: `Validation failed: ${text}`, errors: result.errors });
  }
  return json(status, result.entry);
}

const humanize = (field: string) => field.charAt(0).toUpperCase() + field.slice(1).replace(/_/g, ' ');

function listEntries(store: XurrentStore, req: SimRequest): SimResponse {
  const q = req.query;
  const predicates: Array<(e: XurrentTimeEntryRaw) => boolean> = [store.inCollection];
  const ids = idList(q.get('id'));
  if (ids) predicates.push((e) => ids.has(e.id));
  const person = q.get('person');
  if (person !== null) {
    if (!/^\d+$/.test(person)) throw new BadRequest(`Invalid value for filter 'person': ${person}`);
    predicates.push((e) => e.person?.id === Number(person));
  }
  const deleted = q.get('deleted');
  if (deleted !== null) {
    if (deleted !== 'true' && deleted !== 'false') throw new BadRequest(`Invalid value for filter 'deleted': ${deleted}`);
    predicates.push((e) => (e.deleted === true) === (deleted === 'true'));
  }
  for (const field of ['source', 'sourceID'] as const) {
    const value = q.get(field);
    if (value !== null) predicates.push((e) => (e[field] ?? '') === value);
  }
  const date = q.get('date');
  if (date !== null) predicates.push(comparisons('date', date, (v) => (isCalendarDate(v) ? v : null), (e) => e.date));
  for (const field of ['created_at', 'updated_at'] as const) {
    const value = q.get(field);
    if (value !== null) predicates.push(comparisons(field, value, parseInstant, (e) => Date.parse(e[field])));
  }

  const sortParam = q.get('sort') ?? 'id';
  const descending = sortParam.startsWith('-');
  const sortField = descending ? sortParam.slice(1) : sortParam;
  if (!SORTABLE.has(sortField)) throw new BadRequest(`Invalid sort field: ${sortField}`);
  const keyOf = (e: XurrentTimeEntryRaw): string | number =>
    sortField === 'id' ? e.id : sortField === 'date' ? e.date : Date.parse(sortField === 'created_at' ? e.created_at : e.updated_at);

  const matching = [...store.entries.values()].filter((e) => predicates.every((p) => p(e)));
  matching.sort((a, b) => {
    const ka = keyOf(a);
    const kb = keyOf(b);
    const c = ka < kb ? -1 : ka > kb ? 1 : 0;
    return (descending ? -c : c) || a.id - b.id;
  });
  const fields = fieldSet(q.get('fields'));
  return paged(req, matching, (e) => project(e, fields));
}

/** `>=2016-01-01<=2016-01-31`, `>2016-01-15T23:00:00Z`, or a plain value for equality. */
function comparisons<T extends string | number>(
  field: string, text: string, parse: (v: string) => T | null, valueOf: (e: XurrentTimeEntryRaw) => T,
): (e: XurrentTimeEntryRaw) => boolean {
  const checks: Array<(v: T) => boolean> = [];
  const re = /(>=|<=|>|<)?([^<>]+)/gy;
  let match: RegExpExecArray | null;
  let consumed = 0;
  while ((match = re.exec(text)) !== null) {
    consumed = re.lastIndex;
    const bound = parse(match[2]);
    if (bound === null) throw new BadRequest(`Invalid value for filter '${field}': ${text}`);
    const op = match[1] ?? '=';
    checks.push((v) => (op === '>=' ? v >= bound : op === '<=' ? v <= bound : op === '>' ? v > bound : op === '<' ? v < bound : v === bound));
  }
  if (consumed !== text.length || checks.length === 0) throw new BadRequest(`Invalid value for filter '${field}': ${text}`);
  return (e) => {
    const v = valueOf(e);
    return checks.every((c) => c(v));
  };
}

function idList(text: string | null): Set<number> | null {
  if (text === null) return null;
  const parts = text.split(',');
  if (!parts.every((p) => /^\d+$/.test(p))) throw new BadRequest(`Invalid value for filter 'id': ${text}`);
  return new Set(parts.map(Number));
}

function fieldSet(text: string | null): Set<string> {
  if (text === null) return new Set(COLLECTION_FIELDS);
  const asked = text.split(',').filter((f) => ALL_FIELDS.has(f) && !LINKED_FIELDS.includes(f));
  const set = new Set(['id', ...asked]);
  if (set.has('time_allocation')) for (const f of LINKED_FIELDS) set.add(f);
  return set;
}

function project(entry: XurrentTimeEntryRaw, fields: Set<string>): Partial<XurrentTimeEntryRaw> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(entry)) if (fields.has(k) && v !== undefined) out[k] = v;
  return out;
}

/** One page of a collection with 4me's Link and X-Pagination headers. */
function paged<T>(req: SimRequest, items: T[], map: (item: T) => unknown = (i) => i): SimResponse {
  const perPageText = req.query.get('per_page');
  const pageText = req.query.get('page');
  if (perPageText !== null && !/^\d+$/.test(perPageText)) throw new BadRequest(`Invalid value for per_page: ${perPageText}`);
  if (pageText !== null && !/^\d+$/.test(pageText)) throw new BadRequest(`Invalid value for page: ${pageText}`);
  const perPage = Math.min(100, Math.max(1, perPageText === null ? 20 : Number(perPageText)));
  const page = Math.max(1, pageText === null ? 1 : Number(pageText));
  const totalPages = Math.max(1, Math.ceil(items.length / perPage));
  const body = items.slice((page - 1) * perPage, page * perPage).map(map);

  const link = (p: number, rel: string) => {
    const params = new URLSearchParams(req.query);
    params.set('page', String(p));
    params.set('per_page', String(perPage));
    const qs = [...params].map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
    return `<${req.baseUrl}${req.path}?${qs}>; rel="${rel}"`;
  };
  const links = [link(1, 'first')];
  if (page > 1) links.push(link(Math.min(page - 1, totalPages), 'prev'));
  if (page < totalPages) links.push(link(page + 1, 'next'));
  links.push(link(totalPages, 'last'));
  return json(200, body, {
    Link: links.join(', '),
    'X-Pagination-Per-Page': String(perPage),
    'X-Pagination-Current-Page': String(page),
    'X-Pagination-Total-Pages': String(totalPages),
    'X-Pagination-Total-Entries': String(items.length),
  });
}
