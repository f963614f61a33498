/**
 * The one HTTP path to every backend: undici `request()` on a keep-alive Pool per backend. It maps
 * transport failures and the statuses no caller can handle to `SourceError`s, so adapters only deal
 * with the answers they understand. Messages never contain the URL (it may carry a token) or a body.
 *
 * Every call is bounded by the ambient operation deadline (`operation-scope.ts`) and the backend's
 * connect and response timeouts, passes its circuit breaker and rate limiter, and reads are retried
 * with jittered backoff (honouring `Retry-After`) while the deadline allows. Writes are sent once,
 * and a write that may have reached the backend without a usable answer fails with
 * `SOURCE_OUTCOME_UNKNOWN` (write-outcome.ts), never with the codes of reads.
 */
import { Pool, errors as undiciErrors, type Dispatcher } from 'undici';
import { SourceError, type SourceErrorCode } from '../core/errors.js';
import type { TimeSource } from '../core/contract.js';
import { backoffDelay, parseRetryAfter } from './backoff.js';
import { currentOperation, DEFAULT_OPERATION_TIMEOUT_MS, OPERATION_FINISHED, OperationAborted, reportCacheHit, runInOperation, type UpstreamObserver } from './operation-scope.js';
import { RateLimitRefused } from './rate-limiter.js';
import { routeTemplate } from './route-template.js';
import { createResilience, type Resilience } from './resilience.js';
import { neverSent, outcomeUnknown } from './write-outcome.js';

export type QueryValue = string | number | boolean | undefined | null;

export interface HttpClientOptions {
  source: TimeSource;
  /** Everything before the documented paths; its own path prefix is kept. */
  baseUrl: string;
  /** Tests and benchmarks may pass their own dispatcher. */
  dispatcher?: Dispatcher;
  /** Connections kept open to the backend. */
  connections?: number;
  /**
   * Timeouts, retries, rate limiter and circuit breaker of this backend, shared by all its clients;
   * defaults to a private one with the default settings and no rate limit.
   */
  resilience?: Resilience;
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
  /**
   * Whether the call only reads, so that it may be retried. Defaults to true for GET and HEAD; a
   * backend marks its reads sent as POST (primaERP `$calculateprice`). Writes are never retried.
   */
  read?: boolean;
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
  const { source, classify } = options;
  const { settings, limiter, breaker, cache } = options.resilience ?? createResilience();
  const base = new URL(options.baseUrl);
  const prefix = base.pathname.replace(/\/+$/, '');
  const dispatcher =
    options.dispatcher ??
    new Pool(base.origin, {
      // With a rate limit, every request the limiter lets go is written at once (the window counts
      // sends): no queue inside the pool. The limit itself bounds the connections then.
      connections: options.connections ?? (settings.rateLimits.length > 0 ? null : 16),
      keepAliveTimeout: 10_000,
      connect: { timeout: settings.connectTimeoutMs },
      // The whole answer is bounded per attempt below; these are undici's own idle limits.
      headersTimeout: settings.responseTimeoutMs,
      bodyTimeout: settings.responseTimeoutMs,
    });

  /** The route template of a request, for the observer (traces): no query, no ids, no origin. */
  function routeOf(req: HttpRequest): string {
    return routeTemplate(/^https?:\/\//.test(req.path) ? new URL(req.path).pathname : prefix + req.path);
  }

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

  /** One attempt, bounded by the response timeout and the deadline. */
  async function attempt(req: HttpRequest, signals: AbortSignal[], deadlineAt: number): Promise<HttpResponse> {
    const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
    let body: string | undefined;
    if (req.json !== undefined) {
      body = JSON.stringify(req.json);
      headers['content-type'] = 'application/json';
    }
    const path = pathOf(req);
    const left = deadlineAt - Date.now();
    const byDeadline = left <= settings.responseTimeoutMs;
    if (left <= 0) throw new AttemptFailure('deadline', deadlineError(source), false);
    const timer = new AbortController();
    const timeout = setTimeout(() => timer.abort(), Math.min(left, settings.responseTimeoutMs));
    const signal = AbortSignal.any([...signals, timer.signal]);
    let res: Dispatcher.ResponseData;
    let text: string;
    try {
      res = await dispatcher.request({ origin: base.origin, method: req.method, path, headers, body, signal });
      text = await res.body.text();
    } catch (error) {
      if (timer.signal.aborted) {
        if (byDeadline) throw new AttemptFailure('deadline', deadlineError(source, error));
        throw new AttemptFailure('timeout', new SourceError(source, 'SOURCE_TIMEOUT', `${source} did not answer within ${settings.responseTimeoutMs} ms`, undefined, { cause: error }));
      }
      // An AbortError can only come from a signal we passed; the timer's is handled above, so this is
      // the caller or the client going away (whose signal may no longer read as aborted): never retry.
      const aborted = signals.find((s) => s.aborted);
      if (aborted || (error as { name?: string } | null)?.name === 'AbortError') throw abortFailure(source, aborted, error);
      throw transportFailure(source, error, !neverSent(error));
    } finally {
      clearTimeout(timeout);
    }
    const parsed = parseBody(text, res.headers['content-type']);
    const status = res.statusCode;
    if (status >= 400) {
      const code = classify?.(status, parsed.value) ?? genericCode(status);
      if (code) {
        const retryAfterMs = parseRetryAfter(headerOf(res.headers, 'retry-after')) ?? undefined;
        const error = new SourceError(source, code, `${source} answered HTTP ${status}`, status, { retryAfterMs });
        throw new AttemptFailure(code === 'SOURCE_UNAUTHENTICATED' ? 'answer' : 'retryable-answer', error, true, status);
      }
    }
    if (parsed.malformed) {
      throw new AttemptFailure('malformed', new SourceError(source, 'SOURCE_BAD_RESPONSE', `${source} sent a malformed answer (HTTP ${status})`, status), true, status);
    }
    return { status, headers: res.headers, body: parsed.value };
  }

  /**
   * Waits in the rate limiter's queue until this attempt may be sent; its slot is taken then. A slot
   * that cannot come before the deadline (a long pause included) is SOURCE_RATE_LIMITED, not sent.
   */
  async function takeSlot(signals: AbortSignal[], deadlineAt: number, observer: UpstreamObserver | undefined): Promise<void> {
    const signal = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
    observer?.queued(source, 1);
    try {
      await limiter.acquire({ deadlineAt, signal });
    } catch (error) {
      if (error instanceof RateLimitRefused) throw new AttemptFailure('aborted', rateLimited(source, error.retryAfterMs, limiter.pausedMs() > 0), false);
      const aborted = signals.find((s) => s.aborted);
      // The deadline came while this call waited for its slot: the limit is why it was not sent.
      if (aborted?.reason instanceof OperationAborted && aborted.reason.why === 'deadline') {
        throw new AttemptFailure('aborted', rateLimited(source, limiter.pausedMs() || 1, limiter.pausedMs() > 0), false);
      }
      throw abortFailure(source, aborted, error, false);
    } finally {
      observer?.queued(source, -1);
    }
  }

  async function sendOnce(req: HttpRequest): Promise<HttpResponse> {
    const scope = currentOperation();
    // Outside an operation (start-up, scripts, adapter tests) each call gets a deadline of its own.
    const deadlineAt = scope?.deadlineAt ?? Date.now() + DEFAULT_OPERATION_TIMEOUT_MS;
    const signals = [req.signal, scope?.signal].filter((s): s is AbortSignal => s !== undefined);
    const read = req.read ?? (req.method === 'GET' || req.method === 'HEAD');
    const attempts = read ? 1 + settings.maxRetries : 1;
    for (let n = 0; ; n++) {
      const aborted = signals.find((s) => s.aborted);
      if (aborted) throw abortFailure(source, aborted).error;
      if (!breaker.tryAcquire()) {
        throw new SourceError(source, 'SOURCE_UNAVAILABLE', `${source} is failing; calls to it are paused (circuit open)`, undefined, {
          retryAfterMs: breaker.remainingCooldownMs(),
          circuit: 'OPEN',
        });
      }
      let failure: AttemptFailure;
      const observer = scope?.observer;
      let startedAt = 0;
      try {
        await takeSlot(signals, deadlineAt, observer);
        startedAt = performance.now();
        const res = await attempt(req, signals, deadlineAt);
        observer?.attempt({ source, method: req.method, route: routeOf(req), retry: n, status: res.status, outcome: `${Math.floor(res.status / 100)}xx`, seconds: (performance.now() - startedAt) / 1000 });
        breaker.onSuccess();
        return res;
      } catch (error) {
        // Anything but an AttemptFailure came before the request went out (the wait, its path).
        failure = error instanceof AttemptFailure ? error : error instanceof SourceError ? new AttemptFailure('malformed', error, false) : abortFailure(source, signals.find((s) => s.aborted), error, false);
        if (failure.sent && startedAt > 0) {
          const outcome = failure.status ? `${Math.floor(failure.status / 100)}xx` : failure.kind;
          observer?.attempt({ source, method: req.method, route: routeOf(req), retry: n, status: failure.status ?? null, outcome, seconds: (performance.now() - startedAt) / 1000 });
        }
      }
      // The backend's own limit was hit: every call to it waits, not only this one's retry.
      if (failure.sent && failure.error.code === 'SOURCE_RATE_LIMITED') {
        limiter.pause(failure.error.retryAfterMs);
        // Without a Retry-After the client still learns how long the pause lasts.
        failure.error.retryAfterMs ??= limiter.pausedMs() || undefined;
      }
      if (failure.kind === 'aborted') breaker.onIgnored();
      else if (failure.kind === 'answer' || failure.kind === 'retryable-answer') {
        if (failure.error.code === 'SOURCE_UNAVAILABLE') breaker.onFailure();
        else breaker.onSuccess();
      } else breaker.onFailure();
      if (!read) {
        const unknown = outcomeUnknown(source, failure);
        throw unknown ?? failure.error;
      }
      const retryable = failure.kind === 'network' || failure.kind === 'timeout' || failure.kind === 'retryable-answer';
      if (!retryable || n + 1 >= attempts) throw failure.error;
      const delay = Math.max(backoffDelay(n, { baseMs: settings.retryBaseMs, capMs: settings.retryCapMs }), failure.error.retryAfterMs ?? 0);
      // A retry that could only start after the deadline is not worth waiting for.
      if (Date.now() + delay >= deadlineAt) throw failure.error;
      try {
        await sleep(delay, signals);
      } catch {
        throw failure.error;
      }
    }
  }

  /**
   * Identical GETs in flight at once (same URL and headers, so the same credentials) are sent once and
   * the answer shared, across operations. The shared call runs in a scope of its own: it is aborted
   * only when every caller has gone, and each caller still stops waiting at its own abort. Writes are
   * never shared.
   */
  const inflight = new Map<string, { promise: Promise<HttpResponse>; callers: number; controller: AbortController }>();
  async function coalesced(req: HttpRequest, key: string): Promise<HttpResponse> {
    const scope = currentOperation();
    let shared = inflight.get(key);
    if (!shared) {
      const controller = new AbortController();
      const deadlineAt = scope?.deadlineAt ?? Date.now() + DEFAULT_OPERATION_TIMEOUT_MS;
      const promise = runInOperation({ signal: controller.signal, deadlineAt, observer: scope?.observer }, () => sendOnce({ ...req, signal: undefined }));
      const entry = { promise, callers: 0, controller };
      inflight.set(key, entry);
      void promise.finally(() => inflight.get(key) === entry && inflight.delete(key)).catch(() => undefined);
      shared = entry;
    }
    const entry = shared;
    entry.callers += 1;
    const own = [req.signal, scope?.signal].filter((s): s is AbortSignal => s !== undefined);
    try {
      return await untilAborted(entry.promise, own, () => abortFailure(source, own.find((s) => s.aborted)).error);
    } finally {
      entry.callers -= 1;
      if (entry.callers === 0) entry.controller.abort(OPERATION_FINISHED);
    }
  }

  /**
   * A write (anything but a plain GET) makes the reads before it unusable for the reads after it: it
   * forgets the reads in flight and invalidates the read cache when it starts and when it ends, so a
   * read-back never gets a pre-write answer. A GET is answered from the read cache when it has the
   * answer, else sent (coalesced), and a 2xx answer is cached.
   */
  async function send(req: HttpRequest): Promise<HttpResponse> {
    const plainGet = req.method === 'GET' && req.json === undefined;
    // Reads sent otherwise (a token request, primaERP's price calculation) are neither shared nor cached.
    if (!plainGet && req.read) return sendOnce(req);
    if (!plainGet) {
      inflight.clear();
      await cache?.invalidate();
      try {
        return await sendOnce(req);
      } finally {
        inflight.clear();
        await cache?.invalidate();
      }
    }
    if (!settings.coalesce && !cache) return sendOnce(req);
    const key = `${pathOf(req)}\n${JSON.stringify(Object.entries(req.headers ?? {}).sort())}`;
    const cached = await cache?.lookup(key);
    if (cached?.hit) {
      reportCacheHit(source, cached.storedAt);
      return cached.hit;
    }
    const res = settings.coalesce ? await coalesced(req, key) : await sendOnce(req);
    if (res.status >= 200 && res.status < 300) cached?.store(res);
    return res;
  }

  return {
    origin: base.origin,
    send,
    close: () => (options.dispatcher ? Promise.resolve() : dispatcher.close()),
  };
}

/**
 * How an attempt failed: `network` and `timeout` (of the attempt) are retried for reads, as are
 * `retryable-answer`s (5xx, 429, primaERP's PE01-9002); `deadline`, `malformed` and `answer` are not;
 * `aborted` (the client left, or the caller stopped) says nothing about the backend. `sent` is false
 * only when the request provably never left the gateway; `status` is the answer's, when there was one.
 */
export class AttemptFailure {
  constructor(
    readonly kind: 'network' | 'timeout' | 'deadline' | 'aborted' | 'malformed' | 'answer' | 'retryable-answer',
    readonly error: SourceError,
    readonly sent = true,
    readonly status?: number,
  ) {}
}

/** `promise`, or the error of `onAbort()` as soon as one of `signals` aborts. */
function untilAborted<T>(promise: Promise<T>, signals: AbortSignal[], onAbort: () => Error): Promise<T> {
  if (signals.length === 0) return promise;
  if (signals.some((s) => s.aborted)) return Promise.reject(onAbort());
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(onAbort());
    for (const s of signals) s.addEventListener('abort', abort, { once: true });
    promise.then(resolve, reject).finally(() => signals.forEach((s) => s.removeEventListener('abort', abort)));
  });
}

function rateLimited(source: TimeSource, ms: number, paused: boolean): SourceError {
  const message = paused
    ? `${source} asked to pause calls for ${ms} ms, past this operation's deadline`
    : `${source} rate limit leaves no room for this call before the operation's deadline`;
  return new SourceError(source, 'SOURCE_RATE_LIMITED', message, undefined, { retryAfterMs: ms });
}

function deadlineError(source: TimeSource, cause?: unknown): SourceError {
  return new SourceError(source, 'SOURCE_TIMEOUT', `${source} did not answer before the operation's deadline`, undefined, { cause });
}

function abortFailure(source: TimeSource, signal: AbortSignal | undefined, cause?: unknown, sent = true): AttemptFailure {
  const reason: unknown = signal?.reason;
  if (reason instanceof OperationAborted && reason.why === 'deadline') return new AttemptFailure('deadline', deadlineError(source, cause), sent);
  return new AttemptFailure('aborted', new SourceError(source, 'SOURCE_TIMEOUT', `${source} request was aborted`, undefined, { cause }), sent);
}

function sleep(ms: number, signals: AbortSignal[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const signal = signals.length > 0 ? AbortSignal.any(signals) : undefined;
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
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

function transportFailure(source: TimeSource, error: unknown, sent: boolean): AttemptFailure {
  if (error instanceof SourceError) return new AttemptFailure('malformed', error, sent);
  const timeout =
    error instanceof undiciErrors.HeadersTimeoutError ||
    error instanceof undiciErrors.BodyTimeoutError ||
    error instanceof undiciErrors.ConnectTimeoutError;
  if (timeout) return new AttemptFailure('timeout', new SourceError(source, 'SOURCE_TIMEOUT', `${source} did not answer in time`, undefined, { cause: error }), sent);
  return new AttemptFailure('network', new SourceError(source, 'SOURCE_UNAVAILABLE', `${source} could not be reached`, undefined, { cause: error }), sent);
}

function headerOf(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Reads one header as a string (undici gives arrays for repeated headers). */
export function header(res: HttpResponse, name: string): string | undefined {
  const v = res.headers[name.toLowerCase()];
  return Array.isArray(v) ? v.join(', ') : v;
}
