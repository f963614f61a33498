/**
 * The one HTTP path to every backend: undici `request()` on a keep-alive Pool per backend. It maps
 * transport failures and the statuses no caller can handle to `SourceError`s, so adapters only deal
 * with the answers they understand. Messages never contain the URL (it may carry a token) or a body.
 */
import { Pool, errors as undiciErrors, type Dispatcher } from 'undici';
import { SourceError, type SourceErrorCode } from '../errors.js';
import type { TimeSource } from '../sources/types.js';

export type QueryValue = string | number | boolean | undefined | null;

export interface HttpClientOptions {
  source: TimeSource;
  /** Everything before the documented paths; its own path prefix is kept. */
  baseUrl: string;
  /** Tests and benchmarks may pass their own dispatcher. */
  dispatcher?: Dispatcher;
  /** Connections kept open to the backend. */
  connections?: number;
  headersTimeoutMs?: number;
  bodyTimeoutMs?: number;
  /**
   * Classifies an error answer the generic rules do not cover (primaERP answers its rate limit with
   * 503 and code PE01-9002). Return null to fall back to the generic rules.
   */
  classify?: (status: number, body: unknown) => SourceErrorCode | null;
}

export interface HttpRequest {
  method: Dispatcher.HttpMethod;
  /** Path after the base URL, starting with `/`; or an absolute URL on the same origin (Link headers). */
  path: string;
  query?: Record<string, QueryValue>;
  headers?: Record<string, string>;
  /** Serialized as JSON. */
  json?: unknown;
  signal?: AbortSignal;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON, or the text when the answer is not JSON, or null when empty. */
  body: unknown;
}

export interface HttpClient {
  readonly origin: string;
  /**
   * Sends a request. Resolves for 2xx, 3xx and the 4xx a caller may handle (400, 404, 409, 422, …);
   * throws `SourceError` for network failures, timeouts, 401/403, 429, 5xx and malformed bodies.
   */
  send(request: HttpRequest): Promise<HttpResponse>;
  close(): Promise<void>;
}

/** `a=1&b=x%20y`, with RFC 3986 encoding (OData servers read `+` literally). */
export function buildQuery(query: Record<string, QueryValue> | undefined): string {
  if (!query) return '';
  const parts: string[] = [];
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null) continue;
    parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  }
  return parts.join('&');
}

export function createHttpClient(options: HttpClientOptions): HttpClient {
  const { source, classify, headersTimeoutMs = 30_000, bodyTimeoutMs = 30_000 } = options;
  const base = new URL(options.baseUrl);
  const prefix = base.pathname.replace(/\/+$/, '');
  const dispatcher =
    options.dispatcher ??
    new Pool(base.origin, {
      connections: options.connections ?? 16,
      keepAliveTimeout: 10_000,
      headersTimeout: headersTimeoutMs,
      bodyTimeout: bodyTimeoutMs,
    });

  function pathOf(req: HttpRequest): string {
    let path: string;
    if (/^https?:\/\//.test(req.path)) {
      const url = new URL(req.path);
      if (url.origin !== base.origin) {
        throw new SourceError(source, 'SOURCE_BAD_RESPONSE', `${source} sent a link to another origin`);
      }
      path = url.pathname + url.search;
    } else {
      path = prefix + req.path;
    }
    const qs = buildQuery(req.query);
    return qs ? `${path}${path.includes('?') ? '&' : '?'}${qs}` : path;
  }

  async function send(req: HttpRequest): Promise<HttpResponse> {
    const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
    let body: string | undefined;
    if (req.json !== undefined) {
      body = JSON.stringify(req.json);
      headers['content-type'] = 'application/json';
    }
    let res: Dispatcher.ResponseData;
    try {
      res = await dispatcher.request({ origin: base.origin, method: req.method, path: pathOf(req), headers, body, signal: req.signal });
    } catch (error) {
      throw transportError(source, error);
    }
    let text: string;
    try {
      text = await res.body.text();
    } catch (error) {
      throw transportError(source, error);
    }
    const parsed = parseBody(text, res.headers['content-type']);
    const status = res.statusCode;
    if (status >= 400) {
      const code = classify?.(status, parsed.value) ?? genericCode(status);
      if (code) throw new SourceError(source, code, `${source} answered HTTP ${status}`, status);
    }
    if (parsed.malformed) {
      throw new SourceError(source, 'SOURCE_BAD_RESPONSE', `${source} sent a malformed answer (HTTP ${status})`, status);
    }
    return { status, headers: res.headers, body: parsed.value };
  }

  return {
    origin: base.origin,
    send,
    close: () => (options.dispatcher ? Promise.resolve() : dispatcher.close()),
  };
}

function genericCode(status: number): SourceErrorCode | null {
  if (status === 401 || status === 403) return 'SOURCE_UNAUTHENTICATED';
  if (status === 429) return 'SOURCE_RATE_LIMITED';
  if (status >= 500) return 'SOURCE_UNAVAILABLE';
  return null;
}

function parseBody(text: string, contentType: string | string[] | undefined): { value: unknown; malformed: boolean } {
  if (text === '') return { value: null, malformed: false };
  const type = String(contentType ?? '');
  if (type.includes('json') || /^\s*[[{]/.test(text)) {
    try {
      return { value: JSON.parse(text), malformed: false };
    } catch {
      return { value: null, malformed: true };
    }
  }
  if (type.startsWith('text/plain')) return { value: text, malformed: false };
  return { value: null, malformed: true };
}

function transportError(source: TimeSource, error: unknown): SourceError {
  if (error instanceof SourceError) return error;
  const timeout =
    error instanceof undiciErrors.HeadersTimeoutError ||
    error instanceof undiciErrors.BodyTimeoutError ||
    error instanceof undiciErrors.ConnectTimeoutError;
  if (timeout) return new SourceError(source, 'SOURCE_TIMEOUT', `${source} did not answer in time`, undefined, { cause: error });
  if ((error as { name?: string })?.name === 'AbortError') {
    return new SourceError(source, 'SOURCE_TIMEOUT', `${source} request was aborted`, undefined, { cause: error });
  }
  return new SourceError(source, 'SOURCE_UNAVAILABLE', `${source} could not be reached`, undefined, { cause: error });
}

/** Reads one header as a string (undici gives arrays for repeated headers). */
export function header(res: HttpResponse, name: string): string | undefined {
  const v = res.headers[name.toLowerCase()];
  return Array.isArray(v) ? v.join(', ') : v;
}
