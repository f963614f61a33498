/**
 * Laurel's documented endpoints over the simulator store: the identity token, the v1/v2 list and
 * export reads, and the public writes (override, unrelease, soft delete, release-succeeded single and
 * batch, release-failed, bulk-release). Errors use NestJS's default body `{statusCode, message, error}`.
 */
import type { SimRequest, SimResponse } from '../common/server.js';
import { laurelTime, type StoredEntry } from './data.js';
import type { TokenIssuer } from './auth.js';
import type { LaurelStore } from './store.js';

export interface RouteOptions {
  store: LaurelStore;
  issuer: TokenIssuer;
  clientId: string;
  clientSecret: string;
  audience: string;
  /** A deployment without the v2 endpoints (they answer 404). */
  v2: boolean;
  now: () => number;
  /** Seconds until the rate window frees up, or null when the request may pass. */
  rateLimit: () => number | null;
}

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict', 429: 'Too Many Requests', 500: 'Internal Server Error' };

export function nestError(status: number, message: string | string[], extra: Record<string, unknown> = {}): SimResponse {
  const body: Record<string, unknown> = { statusCode: status, message };
  if (STATUS_TEXT[status] && status !== 401 && status !== 500) body.error = STATUS_TEXT[status];
  return { status, body: { ...body, ...extra } };
}

const OID_RE = /^[0-9a-fA-F]{24}$/;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
const PAGE_MAX = 100;

const routes = {
  token: /^\/api\/v1\/oauth\/token$/,
  list: new RegExp(`^/api/(v1|v2)/customers/([^/]+)/entries$`),
  export: new RegExp(`^/api/(v1|v2)/customers/([^/]+)/entries/export$`),
  batch: new RegExp(`^/api/v1/customers/([^/]+)/entries/release-succeeded/batch$`),
  released: new RegExp(`^/api/v1/customers/([^/]+)/users/([^/]+)/entries/([^/]+)/(release-succeeded|release-failed)$`),
  bulk: new RegExp(`^/api/v1/public/customers/([^/]+)/entries/bulk-release$`),
  publicEntry: new RegExp(`^/api/v1/public/customers/([^/]+)/users/([^/]+)/entries/([^/]+)(/override|/unrelease)?$`),
};

export function createLaurelHandler(o: RouteOptions): (req: SimRequest) => SimResponse {
  const { store } = o;
  const notFound = (req: SimRequest) => nestError(404, `Cannot ${req.method} ${req.path}`);
  const entryNotFound = () => nestError(404, 'Entry not found');

  function authorize(req: SimRequest, customerId: string): SimResponse | null {
    const header = req.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer (\S+)$/.exec(header) : null;
    if (!match || o.issuer.verify(match[1], o.now()) !== 'ok') return nestError(401, 'Unauthorized');
    if (customerId.toLowerCase() !== store.world.customerId) return nestError(403, 'Forbidden resource');
    return null;
  }

  function window(q: URLSearchParams, afterName: string, beforeName: string): { after: number; before: number } | SimResponse {
    const errors: string[] = [];
    const after = q.get(afterName);
    const before = q.get(beforeName);
    if (!after || !INSTANT_RE.test(after) || Number.isNaN(Date.parse(after))) errors.push(`${afterName} must be a valid ISO 8601 date string`);
    if (!before || !INSTANT_RE.test(before) || Number.isNaN(Date.parse(before))) errors.push(`${beforeName} must be a valid ISO 8601 date string`);
    if (errors.length) return nestError(400, errors);
    return { after: Date.parse(after!), before: Date.parse(before!) };
  }

  /** v2 pages: entries in id order from `cursor` (inclusive); nextCursor is the next page's first id. */
  function paged<T>(q: URLSearchParams, items: StoredEntry[], project: (e: StoredEntry) => T): SimResponse {
    const sizeText = q.get('pageSize');
    const size = sizeText === null ? PAGE_MAX : Number(sizeText);
    const errors: string[] = [];
    if (!Number.isInteger(size) || size < 1) errors.push('pageSize must not be less than 1');
    if (size > PAGE_MAX) errors.push(`pageSize must not be greater than ${PAGE_MAX}`);
    const cursor = q.get('cursor');
    if (cursor !== null && !OID_RE.test(cursor)) errors.push('cursor must be a mongodb id');
    if (errors.length) return nestError(400, errors);
    const start = cursor === null ? 0 : lowerBound(items, cursor.toLowerCase());
    const page = items.slice(start, start + size);
    const next = items[start + size];
    return { status: 200, body: next ? { items: page.map(project), nextCursor: next._id } : { items: page.map(project) } };
  }

  function readEntries(req: SimRequest, version: string, customerId: string, exportMode: boolean): SimResponse {
    if (version === 'v2' && !o.v2) return notFound(req);
    const denied = authorize(req, customerId);
    if (denied) return denied;
    const w = exportMode ? window(req.query, 'releasedAfter', 'releasedOnOrBefore') : window(req.query, 'updatedAfter', 'updatedOnOrBefore');
    if ('status' in w) return w;
    const inWindow = (iso: string | undefined) => {
      if (!iso) return false;
      const t = Date.parse(iso);
      return t > w.after && t <= w.before;
    };
    const items = store.ordered().filter((e) => (exportMode ? !e.isDeleted && inWindow(e.releaseSuccessAt) : inWindow(e.updatedAt)));
    if (exportMode) {
      return version === 'v2' ? paged(req.query, items, store.exportDto) : { status: 200, body: items.map(store.exportDto) };
    }
    return version === 'v2' ? paged(req.query, items, store.listDto) : { status: 200, body: items.map(store.listDto) };
  }

  function token(req: SimRequest): SimResponse {
    const b = (req.body ?? {}) as Record<string, unknown>;
    if (b.grant_type !== 'client_credentials') return { status: 400, body: { error: 'unsupported_grant_type', error_description: 'Unsupported grant type' } };
    if (b.client_id !== o.clientId || b.client_secret !== o.clientSecret) return { status: 401, body: { error: 'access_denied', error_description: 'Unauthorized' } };
    if (b.audience !== o.audience) return { status: 403, body: { error: 'access_denied', error_description: `Service not enabled within domain: ${String(b.audience)}` } };
    const { token: accessToken, expiresIn } = o.issuer.issue(o.now());
    return { status: 200, body: { access_token: accessToken, expires_in: expiresIn, token_type: 'Bearer' } };
  }

  function locked(e: StoredEntry): SimResponse | null {
    return e.isLocked ? nestError(409, 'Entry is locked and cannot be updated') : null;
  }

  function override(e: StoredEntry, body: unknown): SimResponse {
    const b = (body ?? {}) as Record<string, unknown>;
    const errors: string[] = [];
    if (b.summary !== undefined && typeof b.summary !== 'string') errors.push('summary must be a string');
    if (b.unitIncrementCountAdjustments !== undefined && (typeof b.unitIncrementCountAdjustments !== 'number' || !Number.isFinite(b.unitIncrementCountAdjustments))) errors.push('unitIncrementCountAdjustments must be a number conforming to the specified constraints');
    if (b.initiativeId !== undefined && (typeof b.initiativeId !== 'string' || !OID_RE.test(b.initiativeId))) errors.push('initiativeId must be a mongodb id');
    if (b.codeIds !== undefined && (!Array.isArray(b.codeIds) || b.codeIds.some((c) => typeof c !== 'string' || !OID_RE.test(c)))) errors.push('each value in codeIds must be a mongodb id');
    if (b.workDate !== undefined && (typeof b.workDate !== 'string' || !DATE_RE.test(b.workDate))) errors.push('workDate must be a valid ISO 8601 date string');
    if (errors.length) return nestError(400, errors);
    const isLocked = locked(e);
    if (isLocked) return isLocked;
    if (typeof b.summary === 'string' && !b.summary.trim()) return nestError(400, 'summary-is-required', { errorCode: 'summary-is-required' });
    const initiative = typeof b.initiativeId === 'string' ? store.world.initiatives.find((i) => i._id === (b.initiativeId as string).toLowerCase()) : e.initiativeProps.initiative;
    if (!initiative) return nestError(404, 'Initiative not found');
    const codes = Array.isArray(b.codeIds) ? (b.codeIds as string[]).map((id) => store.world.codes.find((c) => c._id === id.toLowerCase())) : null;
    if (codes?.some((c) => !c)) return nestError(404, 'Code not found');
    const adjustments = typeof b.unitIncrementCountAdjustments === 'number' ? b.unitIncrementCountAdjustments : e.unitIncrementCountAdjustments;
    const seconds = (e.unitIncrementCountFromSources + adjustments) * initiative.unitIncrements;
    if (seconds > 86_400) return nestError(400, 'cannot-exceed-twenty-four-hours', { errorCode: 'cannot-exceed-twenty-four-hours' });
    if (typeof b.summary === 'string') e.summary = b.summary;
    if (typeof b.workDate === 'string') e.workDate = b.workDate;
    e.unitIncrementCountAdjustments = adjustments;
    e.incrementDurationInSeconds = seconds;
    if (initiative !== e.initiativeProps.initiative) {
      e.initiativeProps = { ...e.initiativeProps, type: initiative.type, initiative };
      e.initiativeName = initiative.name;
      e.clientName = initiative.client?.name;
      e.billingType = initiative.billingType;
    }
    if (codes) e.workCodes = codes.map((c) => ({ assignedBy: 'user' as const, code: c! }));
    store.touch(e, o.now());
    return { status: 200, body: store.listDto(e) };
  }

  function releaseSucceeded(e: StoredEntry, externalId: unknown, messages: unknown): string | null {
    const problem = store.releaseProblem(e, o.now());
    if (problem) return problem;
    const at = laurelTime(o.now());
    const failed = Array.isArray(messages) && messages.length > 0 ? messages.map((m) => ({ originalMessage: String(m), title: 'Re-release failed', description: String(m) })) : undefined;
    e.statusInfo = { status: 'release-success', releasedAt: at, releasedBy: store.world.integrationUserId, ...(failed ? { reReleaseFailedMessages: failed } : {}) };
    e.releaseSuccessAt = at;
    e.releasedBy = store.world.integrationUserId;
    e.firstReleaseAttemptedAt ??= at;
    e.lastSyncedAt = at;
    e.releaseCount = (e.releaseCount ?? 0) + 1;
    if (typeof externalId === 'string') e.externalId = externalId;
    store.touch(e, o.now());
    return null;
  }

  function single(req: SimRequest, userId: string, entryId: string, action: string): SimResponse {
    const e = store.find(userId, entryId);
    if (!e || e.isDeleted) return entryNotFound();
    const b = (req.body ?? {}) as Record<string, unknown>;
    if (action === 'release-failed') {
      if (!Array.isArray(b.errors) || b.errors.some((m) => typeof m !== 'string' || m.length < 1)) {
        return nestError(400, ['errors must be an array', 'each value in errors must be longer than or equal to 1 characters']);
      }
      const at = laurelTime(o.now());
      e.statusInfo = { status: 'release-failed', releaseFailedErrors: (b.errors as string[]).map((m) => ({ originalMessage: m, title: 'Release failed', description: m })) };
      e.lastReleaseFailedAt = at;
      e.firstReleaseAttemptedAt ??= at;
      store.touch(e, o.now());
      return { status: 200 };
    }
    if (b.externalId !== undefined && typeof b.externalId !== 'string') return nestError(400, ['externalId must be a string']);
    if (b.reReleaseFailedMessages !== undefined && (!Array.isArray(b.reReleaseFailedMessages) || b.reReleaseFailedMessages.some((m) => typeof m !== 'string'))) {
      return nestError(400, ['each value in reReleaseFailedMessages must be a string']);
    }
    const problem = releaseSucceeded(e, b.externalId, b.reReleaseFailedMessages);
    return problem ? nestError(400, problem, { errorCode: problem }) : { status: 200 };
  }

  function batch(req: SimRequest): SimResponse {
    const request = (req.body as { request?: unknown } | undefined)?.request;
    if (!Array.isArray(request)) return nestError(400, ['request must be an array']);
    if (request.length < 1) return nestError(400, ['request must contain at least 1 elements']);
    if (request.length > 20) return nestError(400, ['request must contain no more than 20 elements']);
    const bad = request.some((r: { entryId?: unknown; userId?: unknown }) => typeof r?.entryId !== 'string' || !OID_RE.test(r.entryId) || typeof r?.userId !== 'string' || !OID_RE.test(r.userId));
    if (bad) return nestError(400, ['request.entryId must be a mongodb id', 'request.userId must be a mongodb id']);
    const response = request.map((r: { entryId: string; userId: string; externalId?: unknown; reReleaseFailedMessages?: unknown }) => {
      const e = store.find(r.userId, r.entryId);
      if (!e || e.isDeleted) return { entryId: r.entryId, status: 'NOT_FOUND', errorMessage: 'Entry not found', errorCode: 404 };
      const problem = releaseSucceeded(e, r.externalId, r.reReleaseFailedMessages);
      return problem ? { entryId: r.entryId, status: 'BAD_REQUEST', errorMessage: problem, errorCode: 400 } : { entryId: r.entryId, status: 'OK' };
    });
    return { status: 207, body: { response } };
  }

  function bulkRelease(req: SimRequest): SimResponse {
    const b = (req.body ?? {}) as Record<string, unknown>;
    const errors: string[] = [];
    if (typeof b.workDateStart !== 'string' || !DATE_RE.test(b.workDateStart)) errors.push('workDateStart must be a valid ISO 8601 date string');
    if (typeof b.workDateEnd !== 'string' || !DATE_RE.test(b.workDateEnd)) errors.push('workDateEnd must be a valid ISO 8601 date string');
    if (b.releasedFrom !== undefined && b.releasedFrom !== null && b.releasedFrom !== 'time-control' && b.releasedFrom !== 'timesheet') errors.push('releasedFrom must be one of the following values: time-control, timesheet');
    if (b.billingType !== undefined && b.billingType !== 'billable' && b.billingType !== 'non-billable') errors.push('billingType must be one of the following values: billable, non-billable');
    for (const f of ['clientId', 'initiativeId'] as const) if (b[f] !== undefined && (typeof b[f] !== 'string' || !OID_RE.test(b[f] as string))) errors.push(`${f} must be a mongodb id`);
    if (b.userIds !== undefined && (!Array.isArray(b.userIds) || b.userIds.some((u) => typeof u !== 'string' || !OID_RE.test(u)))) errors.push('each value in userIds must be a mongodb id');
    const zones = typeof b.timezones === 'string' ? [b.timezones] : b.timezones;
    if (zones !== undefined && (!Array.isArray(zones) || zones.some((z) => typeof z !== 'string'))) errors.push('each value in timezones must be a string');
    if (errors.length) return nestError(400, errors);
    const start = b.workDateStart as string;
    const end = b.workDateEnd as string;
    if (start > end) return nestError(400, 'workDateStart must be on or before workDateEnd');
    const users = Array.isArray(b.userIds) ? new Set((b.userIds as string[]).map((u) => u.toLowerCase())) : null;
    const zoneSet = Array.isArray(zones) ? new Set(zones as string[]) : null;
    const at = laurelTime(o.now());
    for (const e of store.ordered()) {
      if (e.isDeleted || !e.workDate || e.workDate < start || e.workDate > end) continue;
      if (e.statusInfo.status !== 'validation-success' && e.statusInfo.status !== 'validation-failed' && e.statusInfo.status !== 'release-failed') continue;
      const initiative = e.initiativeProps.initiative;
      if (users && !users.has(e.userId)) continue;
      if (b.billingType && initiative.billingType !== b.billingType) continue;
      if (b.clientId && initiative.client?._id !== (b.clientId as string).toLowerCase()) continue;
      if (b.initiativeId && initiative._id !== (b.initiativeId as string).toLowerCase()) continue;
      if (zoneSet || b.timezoneNotSet) {
        const tz = e.timezoneAtCreation ?? null;
        if (!((zoneSet && tz !== null && zoneSet.has(tz)) || (b.timezoneNotSet === true && tz === null))) continue;
      }
      const problem = store.releaseProblem(e, o.now());
      e.statusInfo = problem
        ? { status: 'validation-failed', errors: [{ errorCode: problem }] }
        : { status: 'release-pending', releasePendedAt: at, releasePendedBy: store.world.integrationUserId };
      if (!problem) {
        e.lastReleasePendingAt = at;
        e.firstReleaseAttemptedAt ??= at;
      }
      store.touch(e, o.now());
    }
    return { status: 202 };
  }

  function publicEntry(req: SimRequest, userId: string, entryId: string, action: string | undefined): SimResponse {
    const e = store.find(userId, entryId);
    if (action === '/override' && req.method === 'PATCH') {
      return e && !e.isDeleted ? override(e, req.body) : entryNotFound();
    }
    if (action === '/unrelease' && req.method === 'POST') {
      if (!e || e.isDeleted) return entryNotFound();
      const isLocked = locked(e);
      if (isLocked) return isLocked;
      const s = e.statusInfo.status;
      if (s !== 'release-success' && s !== 'release-pending' && s !== 'release-failed' && s !== 'release-validation-pending') {
        return nestError(400, 'Entry is not released');
      }
      e.statusInfo = { status: 'validation-success' };
      e.releaseSuccessAt = undefined;
      store.touch(e, o.now());
      return { status: 200 };
    }
    if (action === undefined && req.method === 'DELETE') {
      if (!e || e.isDeleted) return entryNotFound();
      const isLocked = locked(e);
      if (isLocked) return isLocked;
      e.isDeleted = true;
      store.touch(e, o.now());
      return { status: 200, body: store.fullDto(e) };
    }
    return notFound(req);
  }

  return (req) => {
    if (routes.token.test(req.path)) return req.method === 'POST' ? token(req) : notFound(req);
    const retryAfter = o.rateLimit();
    if (retryAfter !== null) return { ...nestError(429, 'ThrottlerException: Too Many Requests'), headers: { 'retry-after': String(retryAfter) } };
    let m: RegExpExecArray | null;
    if ((m = routes.export.exec(req.path)) && req.method === 'GET') return readEntries(req, m[1], m[2], true);
    if ((m = routes.list.exec(req.path)) && req.method === 'GET') return readEntries(req, m[1], m[2], false);
    const path = req.path;
    const customer = routes.batch.exec(path)?.[1] ?? routes.released.exec(path)?.[1] ?? routes.bulk.exec(path)?.[1] ?? routes.publicEntry.exec(path)?.[1];
    if (customer === undefined) return notFound(req);
    const denied = authorize(req, customer);
    if (denied) return denied;
    for (const id of path.split('/').slice(4)) {
      if (/^[0-9a-fA-F]+$/.test(id) && id.length !== 24) return nestError(400, ['Invalid ObjectId']);
    }
    if ((m = routes.batch.exec(path)) && req.method === 'POST') return batch(req);
    if ((m = routes.released.exec(path)) && req.method === 'POST') return single(req, m[2], m[3], m[4]);
    if ((m = routes.bulk.exec(path)) && req.method === 'POST') return bulkRelease(req);
    if ((m = routes.publicEntry.exec(path))) return publicEntry(req, m[2], m[3], m[4]);
    return notFound(req);
  };
}

function lowerBound(items: StoredEntry[], id: string): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (items[mid]._id < id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

