/**
 * Laurel's entry read endpoints over one keep-alive pool: bearer auth (retried once with a fresh token
 * after a 401), NestJS error bodies, and the v2 cursor pages. Returns raw records; mapping is elsewhere.
 */
import type { Dispatcher } from 'undici';
import { createHttpClient, type HttpClient, type HttpRequest, type HttpResponse, type QueryValue } from '../../http/client.js';
import { SourceError } from '../../core/errors.js';
import type { Resilience } from '../../http/resilience.js';
import { sendWithToken, type TokenProvider } from '../../http/tokens.js';
import type { LaurelConfig } from './config.js';
import type { RawExportEntry, RawListEntry, RawNestError, RawPage } from './raw.js';

/** Laurel's page maximum. */
export const LAUREL_PAGE_SIZE = 100;

export interface LaurelClientOptions {
  tokens: TokenProvider;
  dispatcher?: Dispatcher;
  resilience?: Resilience;
}

/** An instant window as Laurel takes it: after (exclusive) and on-or-before (inclusive), ISO strings. */
export interface LaurelWindow {
  after: string;
  onOrBefore: string;
}

export interface LaurelClient {
  /** One v2 list page; null when the deployment has no v2 (404). */
  listPage(window: LaurelWindow, cursor: string | undefined, signal?: AbortSignal): Promise<RawPage<RawListEntry> | null>;
  /** The whole v1 list (unpaged). */
  listAll(window: LaurelWindow, signal?: AbortSignal): Promise<RawListEntry[]>;
  /** One v2 export page; null when the deployment has no paged v2 export (404). */
  exportPage(window: LaurelWindow, cursor: string | undefined, signal?: AbortSignal): Promise<RawPage<RawExportEntry> | null>;
  /** The whole v1 export (unpaged). */
  exportAll(window: LaurelWindow, signal?: AbortSignal): Promise<RawExportEntry[]>;
  /**
   * Sends one write and returns Laurel's answer, 4xx included (the caller maps them to userErrors);
   * 401/403, 429, 5xx and transport failures throw. Never retried once sent (a 401 is answered
   * before Laurel acts, so only that one is sent again with a fresh token).
   */
  write(method: 'POST' | 'PATCH' | 'DELETE', path: string, json: unknown, signal?: AbortSignal): Promise<HttpResponse>;
  /** Paths of the write endpoints, relative to the base URL. */
  readonly paths: LaurelWritePaths;
  close(): Promise<void>;
}

export interface LaurelWritePaths {
  /** `/api/v1/public/customers/{c}/users/{u}/entries/{e}` (DELETE; `/override`, `/unrelease` below it). */
  publicEntry(userId: string, entryId: string): string;
  /** `/api/v1/customers/{c}/users/{u}/entries/{e}` (`/release-succeeded`, `/release-failed` below it). */
  entry(userId: string, entryId: string): string;
  batchReleaseSucceeded: string;
  bulkRelease: string;
}

export function createLaurelClient(config: Pick<LaurelConfig, 'baseUrl' | 'customerId'>, options: LaurelClientOptions): LaurelClient {
  const { tokens } = options;
  const http: HttpClient = createHttpClient({ source: 'LAUREL', baseUrl: config.baseUrl, dispatcher: options.dispatcher, resilience: options.resilience });
  const customer = `/customers/${encodeURIComponent(config.customerId)}`;
  const send = (req: HttpRequest) => sendWithToken(http, tokens, req, bearer);
  const updated = (w: LaurelWindow) => ({ updatedAfter: w.after, updatedOnOrBefore: w.onOrBefore });
  const released = (w: LaurelWindow) => ({ releasedAfter: w.after, releasedOnOrBefore: w.onOrBefore });
  return {
    write: (method, path, json, signal) => send({ method, path, json, signal }),
    paths: writePaths(customer),
    listPage: (w, cursor, signal) => page<RawListEntry>(send, `/api/v2${customer}/entries`, { ...updated(w), cursor }, signal),
    listAll: (w, signal) => all<RawListEntry>(send, `/api/v1${customer}/entries`, updated(w), signal),
    exportPage: (w, cursor, signal) => page<RawExportEntry>(send, `/api/v2${customer}/entries/export`, { ...released(w), cursor }, signal),
    exportAll: (w, signal) => all<RawExportEntry>(send, `/api/v1${customer}/entries/export`, released(w), signal),
    close: async () => {
      await Promise.all([http.close(), tokens.close()]);
    },
  };
}

type Send = (req: HttpRequest) => Promise<HttpResponse>;

const bearer = (req: HttpRequest, token: string): HttpRequest => ({ ...req, headers: { ...req.headers, authorization: `Bearer ${token}` } });

function writePaths(customer: string): LaurelWritePaths {
  const seg = encodeURIComponent;
  return {
    publicEntry: (u, e) => `/api/v1/public${customer}/users/${seg(u)}/entries/${seg(e)}`,
    entry: (u, e) => `/api/v1${customer}/users/${seg(u)}/entries/${seg(e)}`,
    batchReleaseSucceeded: `/api/v1${customer}/entries/release-succeeded/batch`,
    bulkRelease: `/api/v1/public${customer}/entries/bulk-release`,
  };
}

async function get(send: Send, path: string, query: Record<string, QueryValue>, signal: AbortSignal | undefined, allow404: boolean): Promise<unknown> {
  const res = await send({ method: 'GET', path, query, signal });
  if (res.status === 404 && allow404) return null;
  if (res.status >= 400) throw rejected(res);
  return res.body;
}

async function page<T>(send: Send, path: string, query: Record<string, QueryValue>, signal?: AbortSignal): Promise<RawPage<T> | null> {
  const body = await get(send, path, { ...query, pageSize: LAUREL_PAGE_SIZE }, signal, true);
  // A 404 or an empty 200 means this deployment has no paged v2 endpoint; a bare array is one whole page.
  if (body === null) return null;
  if (Array.isArray(body)) return { items: body as T[] };
  const p = body as Partial<RawPage<T>>;
  if (typeof body !== 'object' || !Array.isArray(p.items) || (p.nextCursor !== undefined && p.nextCursor !== null && typeof p.nextCursor !== 'string')) {
    throw new SourceError('LAUREL', 'SOURCE_BAD_RESPONSE', 'LAUREL sent a page without an items array');
  }
  return { items: p.items, nextCursor: p.nextCursor || undefined };
}

async function all<T>(send: Send, path: string, query: Record<string, QueryValue>, signal?: AbortSignal): Promise<T[]> {
  const body = await get(send, path, query, signal, false);
  if (!Array.isArray(body)) throw new SourceError('LAUREL', 'SOURCE_BAD_RESPONSE', 'LAUREL sent a list that is not an array');
  return body as T[];
}

/** A 4xx the reads cannot recover from, with NestJS's message (never the URL or the raw body). */
function rejected(res: HttpResponse): SourceError {
  const body = res.body as Partial<RawNestError> | null;
  const msg = body && typeof body === 'object' ? body.message : undefined;
  const text = Array.isArray(msg) ? msg.filter((m) => typeof m === 'string').join('; ') : typeof msg === 'string' ? msg : '';
  const detail = text && text.length <= 200 && !/https?:\/\//.test(text) ? `: ${text}` : '';
  return new SourceError('LAUREL', 'SOURCE_BAD_RESPONSE', `LAUREL rejected the request (HTTP ${res.status})${detail}`, res.status);
}
