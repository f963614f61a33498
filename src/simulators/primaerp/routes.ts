/**
 * primaERP's REST protocol over the store.
 *
 * Auth: `GET /v1/auth/login?apikey=<key>` with HTTP Basic (the account's secret key as user and an
 * empty password, or a user's email:password) → `{token, expiration, refreshToken, refreshExpiration}`;
 * `GET /v1/auth/refresh?refreshToken=` renews. Every other call carries `?token=`.
 *
 * Error bodies are `{status, code, message, description, constraintViolations?}`. Codes used here
 * (PE01-1107 and PE01-9002 are primaERP's documented ones; the others are chosen for the simulator):
 *   PE01-1101 400 validation failed (constraintViolations list the fields)
 *   PE01-1102 400 bad request: invalid $filter / $orderby / $top / $skip
 *   PE01-1103 400 the body is not valid JSON
 *   PE01-1104 404 no such object (or not under the scope of the URL)
 *   PE01-1105 405 method not allowed on this path
 *   PE01-1107 409 stale `version` (optimistic locking)
 *   PE01-2001 401 token missing, unknown or expired
 *   PE01-2002 401 login failed (api key or credentials wrong)
 *   PE01-9001 500 internal error (injected faults)
 *   PE01-9002 503 request limit exceeded (default 500 requests per 10 s per account), with Retry-After
 *
 * Lists answer a JSON array; `$top` (default and maximum 1000), `$skip`, `$orderby` (start, stop,
 * updatedAt, createdAt, id, duration; asc|desc, comma lists; nulls first ascending), `$filter` (see
 * odata.ts). `GET …/$count` or `?$count=true` answers the matching count as text/plain. Lists include
 * trashed records unless the filter excludes them (`trashItem eq null`).
 *
 * Writes: `POST …/timerecords` creates (201 `{id}`, or the saved record with `?response_object=true`);
 * `PUT …/timerecords/{id}` updates the fields present in the body and must carry the current
 * `version` (stale → 409 PE01-1107; the version is bumped); `DELETE …/{id}` moves the record to the
 * trash (a trash item is set; 204) and `?hard=true` removes it; `POST /v1/trash/{trashItemId}/$restore`
 * takes it out of the trash (200, the record); `POST|PUT …/{id}/$updateprice` recomputes the price from
 * the price list (200, the record). `POST …/$calculateprice` answers the posted record with its price
 * computed, without saving. `GET …/$unbilled` lists billable, unbilled, effective, untrashed records;
 * `GET …/$unbilledsummary` answers `{count, duration, price, projects: [{project, count, duration, price}]}`.
 * Every time record path also exists under /v1/time/{projects|tasks|users|tags|worktypes}/{id}/.
 *
 * Price formula: primaERP documents unitPrice as a price per hour and price as `unitPrice * duration`,
 * but its own example (unitPrice 3.0023E-5, duration 21,600,000 ms, price 648.5) multiplies by the
 * milliseconds, so the simulator does exactly that and rounds to cents.
 */
import type { SimRequest, SimResponse } from '../common/server.js';
import type { RawConstraintViolation, RawEntity, RawTimeRecord, RawUnbilledSummary } from '../../sources/primaerp/raw.js';
import { compareBy, evaluate, ODataError, parseFilter, parseOrderBy, type FilterNode } from './odata.js';
import type { PrimaerpStore, Scope, ScopeKind, WriteResult } from './store.js';

export const MAX_TOP = 1000;

export function errorBody(status: number, code: string, message: string, description: string, violations?: RawConstraintViolation[]): SimResponse {
  return { status, body: { status, code, message, description, ...(violations ? { constraintViolations: violations } : {}) } };
}

const notFound = (what: string) => errorBody(404, 'PE01-1104', 'Not found', `${what} does not exist.`);
const notAllowed = () => errorBody(405, 'PE01-1105', 'Method not allowed', 'This method is not allowed on this resource.');
const badQuery = (detail: string) => errorBody(400, 'PE01-1102', 'Bad request', detail);

const RECORD_ORDER = new Set(['start', 'stop', 'updatedAt', 'createdAt', 'id', 'duration']);
const ENTITY_ORDER = new Set(['id', 'createdAt', 'updatedAt', 'name', 'lastName', 'email']);
const SCOPES: ReadonlySet<string> = new Set<ScopeKind>(['projects', 'tasks', 'users', 'tags', 'worktypes']);

/** Applies $filter, $orderby, $skip, $top; or answers the count for `$count`. */
function listAnswer<T>(items: Iterable<T>, req: SimRequest, orderable: ReadonlySet<string>, countOnly = false): SimResponse {
  let filter: FilterNode | null = null;
  let order = null;
  const q = req.query;
  try {
    const f = q.get('$filter');
    if (f !== null && f.trim() !== '') filter = parseFilter(f);
    const o = q.get('$orderby');
    if (o !== null && o.trim() !== '') order = parseOrderBy(o, orderable);
  } catch (error) {
    if (error instanceof ODataError) return badQuery(error.message);
    throw error;
  }
  const top = q.get('$top');
  const skip = q.get('$skip');
  if ((top !== null && !/^\d+$/.test(top)) || (skip !== null && !/^\d+$/.test(skip))) return badQuery('$top and $skip must be non-negative integers.');
  let list = [...items];
  if (filter) list = list.filter((i) => evaluate(filter, i));
  if (countOnly || q.get('$count') === 'true') return { status: 200, body: String(list.length) };
  if (order) list.sort(compareBy(order));
  const from = skip === null ? 0 : Number(skip);
  const size = Math.min(MAX_TOP, top === null ? MAX_TOP : Number(top));
  return { status: 200, body: list.slice(from, from + size) };
}

function writeAnswer(result: WriteResult, req: SimRequest, okStatus: number): SimResponse {
  if (result.ok) {
    if (req.query.get('response_object') === 'true') return { status: okStatus, body: result.record };
    return okStatus === 201 ? { status: 201, headers: { location: `/v1/time/timerecords/${result.record.id}` }, body: { id: result.record.id } } : { status: okStatus, body: result.record };
  }
  if (result.kind === 'notFound') return notFound('The time record');
  if (result.kind === 'conflict') return errorBody(409, 'PE01-1107', 'Version conflict', result.message);
  return errorBody(400, 'PE01-1101', 'Validation failed', 'The object violates constraints.', result.violations);
}

function summary(records: RawTimeRecord[]): RawUnbilledSummary {
  const projects = new Map<string, RawUnbilledSummary['projects'][number]>();
  const out: RawUnbilledSummary = { count: 0, duration: 0, price: 0, projects: [] };
  for (const r of records) {
    out.count += 1;
    out.duration += r.duration ?? 0;
    out.price += r.price ?? 0;
    const key = r.project?.id ?? '';
    let p = projects.get(key);
    if (!p) {
      p = { project: r.project ? { id: r.project.id, name: r.project.name, code: r.project.code, displayName: r.project.displayName } : null, count: 0, duration: 0, price: 0 };
      projects.set(key, p);
    }
    p.count += 1;
    p.duration += r.duration ?? 0;
    p.price = Math.round((p.price + (r.price ?? 0)) * 100) / 100;
  }
  out.price = Math.round(out.price * 100) / 100;
  out.projects = [...projects.values()];
  return out;
}

/** Time record paths below `/v1/time/timerecords` or `/v1/time/{scope}/{id}/timerecords`. */
function timeRecords(store: PrimaerpStore, req: SimRequest, scope: Scope | null, rest: string[]): SimResponse {
  if (scope && !store.scopeExists(scope)) return notFound(`The ${scope.kind.replace(/s$/, '')} ${scope.id}`);
  const inScope = () => [...store.records.values()].filter((r) => store.inScope(r, scope));
  const body = (req.body ?? {}) as Record<string, unknown>;
  if (req.body !== undefined && (typeof req.body !== 'object' || req.body === null || Array.isArray(req.body)) && (req.method === 'POST' || req.method === 'PUT')) {
    return errorBody(400, 'PE01-1103', 'Malformed body', 'The body must be a JSON object.');
  }
  const [first, second] = rest;
  if (first === undefined) {
    if (req.method === 'GET') return listAnswer(inScope(), req, RECORD_ORDER);
    if (req.method === 'POST') return writeAnswer(store.create(body, scope), req, 201);
    return notAllowed();
  }
  if (first === '$count') return req.method === 'GET' ? listAnswer(inScope(), req, RECORD_ORDER, true) : notAllowed();
  if (first === '$unbilled') return req.method === 'GET' ? listAnswer(inScope().filter((r) => store.isUnbilled(r)), req, RECORD_ORDER) : notAllowed();
  if (first === '$unbilledsummary') return req.method === 'GET' ? { status: 200, body: summary(inScope().filter((r) => store.isUnbilled(r))) } : notAllowed();
  if (first === '$calculateprice') {
    if (req.method !== 'POST') return notAllowed();
    const { record, violations } = store.compose({ ...body, id: undefined }, null, scope);
    if (violations.length > 0) return errorBody(400, 'PE01-1101', 'Validation failed', 'The object violates constraints.', violations);
    if (record.billable === undefined) {
      // Without an explicit flag the price is computed as if the record were billable.
      record.billable = true;
      store.price(record);
    }
    delete (record as Partial<RawTimeRecord>).id;
    return { status: 200, body: record };
  }
  if (second === '$updateprice') {
    if (req.method !== 'POST' && req.method !== 'PUT') return notAllowed();
    return writeAnswer(store.updatePrice(first, scope), req, 200);
  }
  if (second !== undefined) return notFound('The resource');
  const record = store.records.get(first);
  if (req.method === 'GET') return record && store.inScope(record, scope) ? { status: 200, body: record } : notFound(`The time record ${first}`);
  if (req.method === 'PUT') {
    const result = store.update(first, body, scope);
    if (result.ok && req.query.get('response_object') !== 'true') return { status: 204 };
    return writeAnswer(result, req, 200);
  }
  if (req.method === 'DELETE') {
    if (req.query.get('hard') === 'true') return store.hardDelete(first, scope) ? { status: 204 } : notFound(`The time record ${first}`);
    const result = store.trash(first, scope);
    return result.ok ? { status: 204 } : writeAnswer(result, req, 200);
  }
  return notAllowed();
}

function collection<T extends RawEntity>(map: Map<string, T>, req: SimRequest, id: string | undefined, what: string): SimResponse {
  if (req.method !== 'GET') return notAllowed();
  if (id === undefined) return listAnswer(map.values(), req, ENTITY_ORDER);
  const item = map.get(id);
  return item ? { status: 200, body: item } : notFound(`The ${what} ${id}`);
}

/** Routes an authenticated request (path already stripped of the base path). */
export function route(store: PrimaerpStore, req: SimRequest, segments: string[]): SimResponse {
  const [v1, area, a, b, c, ...more] = segments;
  if (v1 !== 'v1') return notFound('The resource');
  if (area === 'users') return segments.length <= 3 ? collection(store.users, req, a, 'user') : notFound('The resource');
  if (area === 'externalsystems') return segments.length <= 3 ? collection(store.externalSystems, req, a, 'external system') : notFound('The resource');
  if (area === 'trash') {
    if (a === undefined) {
      const items = [...store.records.values()].flatMap((r) => (r.trashItem ? [r.trashItem] : []));
      return req.method === 'GET' ? listAnswer(items, req, ENTITY_ORDER) : notAllowed();
    }
    const record = store.findByTrashItem(a);
    if (b === undefined) return req.method === 'GET' ? (record ? { status: 200, body: record.trashItem } : notFound(`The trash item ${a}`)) : notAllowed();
    if (b === '$restore' && c === undefined) return req.method === 'POST' ? writeAnswer(store.restore(a), req, 200) : notAllowed();
    return notFound('The resource');
  }
  if (area !== 'time' || a === undefined) return notFound('The resource');
  if (a === 'timerecords') return timeRecords(store, req, null, segments.slice(3));
  if (SCOPES.has(a) && b !== undefined && c === 'timerecords') return timeRecords(store, req, { kind: a as ScopeKind, id: b }, more);
  if (c !== undefined) return notFound('The resource');
  const maps: Record<string, Map<string, RawEntity>> = {
    projects: store.projects,
    tasks: store.tasks,
    clients: store.clients,
    worktypes: store.workTypes,
    tags: store.tags,
  };
  const map = maps[a];
  return map ? collection(map, req, b, a.replace(/s$/, '')) : notFound('The resource');
}

