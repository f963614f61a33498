/**
 * Xurrent's HTTP protocol: bearer token and account header on every call, `Link`-header paging, and
 * the answers the generic client passes through (404, 4xx) turned into results or SourceErrors.
 */
import { SourceError } from '../../core/errors.js';
import { createHttpClient, header, type HttpClient, type HttpRequest, type HttpResponse, type QueryValue } from '../../http/client.js';
import type { Dispatcher } from 'undici';
import type { Resilience } from '../../http/resilience.js';
import type { XurrentConfig } from './config.js';
import type { XurrentErrorRaw, XurrentPersonRaw, XurrentTimeEntryRaw } from './raw.js';

/**
 * What a write answered: the full record, Xurrent's validation answer (422 `{message, errors}`), or
 * 404 for an id it does not know. Everything else is thrown as SourceError.
 */
export type XurrentWriteAnswer = { entry: XurrentTimeEntryRaw } | { invalid: XurrentErrorRaw } | { notFound: true };

/** The actions that move an entry between the active state, the Archive and the Trash. */
export type XurrentEntryAction = 'archive' | 'trash' | 'restore';

export interface XurrentPage<T> {
  items: T[];
  /** The `rel="next"` URL exactly as given, or null on the last page. */
  next: string | null;
}

export interface XurrentClient {
  /** `path` is `/time_entries` with `query`, or a `Link` URL as given (then `query` is omitted). */
  listTimeEntries(path: string, query?: Record<string, QueryValue>, signal?: AbortSignal): Promise<XurrentPage<XurrentTimeEntryRaw>>;
  /** `GET /time_entries/:id`; null when Xurrent answers 404. */
  getTimeEntry(id: string, signal?: AbortSignal): Promise<XurrentTimeEntryRaw | null>;
  listPeople(path: string, query?: Record<string, QueryValue>, signal?: AbortSignal): Promise<XurrentPage<XurrentPersonRaw>>;
  /** `POST /time_entries` (201 with the full record). Sent once: writes are never retried. */
  createTimeEntry(body: Record<string, unknown>, signal?: AbortSignal): Promise<XurrentWriteAnswer>;
  /** `PATCH /time_entries/:id` (200 with the full record). */
  updateTimeEntry(id: string, body: Record<string, unknown>, signal?: AbortSignal): Promise<XurrentWriteAnswer>;
  /** `DELETE /time_entries/:id` (204); false when Xurrent answers 404. */
  deleteTimeEntry(id: string, signal?: AbortSignal): Promise<boolean>;
  /** `POST /time_entries/:id/{archive,trash,restore}` (200 with the full record). */
  actOnTimeEntry(id: string, action: XurrentEntryAction, signal?: AbortSignal): Promise<XurrentWriteAnswer>;
  close(): Promise<void>;
}

export interface XurrentClientOptions {
  dispatcher?: Dispatcher;
  connections?: number;
  resilience?: Resilience;
}

/** `<url>; rel="next", <url>; rel="last"` → the URL of `rel`. */
export function linkOf(value: string | undefined, rel: string): string | null {
  if (!value) return null;
  for (const m of value.matchAll(/<([^>]*)>\s*;\s*rel="?([^",;]+)"?/g)) {
    if (m[2].split(/\s+/).includes(rel)) return m[1];
  }
  return null;
}

export function createXurrentClient(config: XurrentConfig, options: XurrentClientOptions = {}): XurrentClient {
  const x: Connection = {
    http: createHttpClient({ source: 'XURRENT', baseUrl: config.baseUrl, ...options }),
    headers: { authorization: `Bearer ${config.token}`, 'x-4me-account': config.account },
  };
  const send = (request: Omit<HttpRequest, 'headers'>) => x.http.send({ ...request, headers: x.headers });
  return {
    createTimeEntry: async (body, signal) => answer(await send({ method: 'POST', path: '/time_entries', json: body, signal }), 201, true),
    updateTimeEntry: async (id, body, signal) => answer(await send({ method: 'PATCH', path: entryPath(id), json: body, signal }), 200, false),
    async deleteTimeEntry(id, signal) {
      const res = await send({ method: 'DELETE', path: entryPath(id), signal });
      if (res.status === 404) return false;
      if (res.status !== 204 && res.status !== 200) failed(res);
      return true;
    },
    actOnTimeEntry: async (id, action, signal) => answer(await send({ method: 'POST', path: `${entryPath(id)}/${action}`, signal }), 200, false),
    listTimeEntries: (path, query, signal) => page<XurrentTimeEntryRaw>(x, path, query, signal),
    listPeople: (path, query, signal) => page<XurrentPersonRaw>(x, path, query, signal),
    async getTimeEntry(id, signal) {
      const res = await send({ method: 'GET', path: entryPath(id), signal });
      if (res.status === 404) return null;
      if (res.status !== 200) failed(res);
      return entryOf(res);
    },
    close: () => x.http.close(),
  };
}

/** The pool and the headers every call sends (bearer token, account). */
interface Connection {
  http: HttpClient;
  headers: Record<string, string>;
}

const entryPath = (id: string) => `/time_entries/${encodeURIComponent(id)}`;

function failed(res: HttpResponse): never {
  if (res.status === 404) {
    // Collections always exist: a 404 there means the account in X-4me-Account is unknown.
    throw new SourceError('XURRENT', 'SOURCE_UNAUTHENTICATED', 'XURRENT does not know the configured account (HTTP 404)', 404);
  }
  throw new SourceError('XURRENT', 'SOURCE_BAD_RESPONSE', `XURRENT rejected the request (HTTP ${res.status})`, res.status);
}

async function page<T>(x: Connection, path: string, query: Record<string, QueryValue> | undefined, signal?: AbortSignal): Promise<XurrentPage<T>> {
  const res = await x.http.send({ method: 'GET', path, query, headers: x.headers, signal });
  if (res.status !== 200) failed(res);
  if (!Array.isArray(res.body)) throw new SourceError('XURRENT', 'SOURCE_BAD_RESPONSE', 'XURRENT sent a collection that is not a list', res.status);
  return { items: res.body as T[], next: linkOf(header(res, 'link'), 'next') };
}

function entryOf(res: HttpResponse): XurrentTimeEntryRaw {
  if (typeof res.body !== 'object' || res.body === null || Array.isArray(res.body)) {
    throw new SourceError('XURRENT', 'SOURCE_BAD_RESPONSE', 'XURRENT sent a time entry that is not an object', res.status);
  }
  return res.body as XurrentTimeEntryRaw;
}

/** Maps a write's answer; `collection` writes (create) have no id that could be unknown. */
function answer(res: HttpResponse, ok: number, collection: boolean): XurrentWriteAnswer {
  if (res.status === ok) return { entry: entryOf(res) };
  if (res.status === 404 && !collection) return { notFound: true };
  if (res.status === 422) {
    const body = res.body as Partial<XurrentErrorRaw> | null;
    const errors = Array.isArray(body?.errors)
      ? body.errors.filter((e): e is [string, string] => Array.isArray(e) && typeof e[0] === 'string' && typeof e[1] === 'string')
      : undefined;
    return { invalid: { message: typeof body?.message === 'string' ? body.message : 'Validation failed', errors } };
  }
  return failed(res);
}
