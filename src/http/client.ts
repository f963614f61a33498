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
  const { settings, limiter, breaker, cache } = options.resilience ?? createResilience();
  const base = new URL(options.baseUrl);
  const upstream: Upstream = {
    source: options.source,
    classify: options.classify,
    settings,
    limiter,
    breaker,
    cache,
    base,
    prefix: base.pathname.replace(/\/+$/, ''),
    dispatcher: options.dispatcher ?? createPool(base, options.connections, settings),
    inflight: new Map(),
  };
  return {
    origin: base.origin,
    send: (req) => send(upstream, req),
    close: () => (options.dispatcher ? Promise.resolve() : upstream.dispatcher.close()),
  };
}

/** What every step of one client's calls reads: the backend, its resilience, its pool, its shared reads. */
interface Upstream {
  readonly source: TimeSource;
  readonly classify: HttpClientOptions['classify'];
  readonly settings: Resilience['settings'];
  readonly limiter: Resilience['limiter'];
  readonly breaker: Resilience['breaker'];
  readonly cache: Resilience['cache'];
  readonly base: URL;
  /** The base URL's own path prefix, without a trailing slash. */
  readonly prefix: string;
  readonly dispatcher: Dispatcher;
  /** Identical GETs in flight, by URL and headers (see `coalesced`). */
  readonly inflight: Map<string, SharedRead>;
}

interface SharedRead {
  promise: Promise<HttpResponse>;
  callers: number;
  controller: AbortController;
}

/** One call as `sendOnce` runs it: its deadline, the signals that stop it, whether it may be retried. */
interface Call {
  deadlineAt: number;
  signals: AbortSignal[];
  read: boolean;
  attempts: number;
  observer: UpstreamObserver | undefined;
}

function createPool(base: URL, connections: number | undefined, settings: Resilience['settings']): Dispatcher {
  return new Pool(base.origin, {
    // With a rate limit, every request the limiter lets go is written at once (the window counts
    // sends): no queue inside the pool. The limit itself bounds the connections then.
    connections: connections ?? (settings.rateLimits.length > 0 ? null : 16),
    keepAliveTimeout: 10_000,
    connect: { timeout: settings.connectTimeoutMs },
    // The whole answer is bounded per attempt below; these are undici's own idle limits.
    headersTimeout: settings.responseTimeoutMs,
    bodyTimeout: settings.responseTimeoutMs,
  });
}

/** The route template of a request, for the observer (traces): no query, no ids, no origin. */
function routeOf(up: Upstream, req: HttpRequest): string {
  return routeTemplate(/^https?:\/\//.test(req.path) ? new URL(req.path).pathname : up.prefix + req.path);
}

function pathOf(up: Upstream, req: HttpRequest): string {
  let path: string;
  if (/^https?:\/\//.test(req.path)) {
    const url = new URL(req.path);
    if (url.origin !== up.base.origin) {
      throw new SourceError(up.source, 'SOURCE_BAD_RESPONSE', `${up.source} sent a link to another origin`);
    }
    path = url.pathname + url.search;
  } else {
    path = up.prefix + req.path;
  }
  const qs = buildQuery(req.query);
  return qs ? `${path}${path.includes('?') ? '&' : '?'}${qs}` : path;
}

/** One attempt, bounded by the response timeout and the deadline. */
async function attempt(up: Upstream, req: HttpRequest, signals: AbortSignal[], deadlineAt: number): Promise<HttpResponse> {
  const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
  let body: string | undefined;
  if (req.json !== undefined) {
    body = JSON.stringify(req.json);
    headers['content-type'] = 'application/json';
  }
  const path = pathOf(up, req);
  const left = deadlineAt - Date.now();
  if (left <= 0) throw new AttemptFailure('deadline', deadlineError(up.source), false);
  const answer = await exchange(up, { origin: up.base.origin, method: req.method, path, headers, body }, signals, left);
  return answerOf(up, answer);
}

interface RawAnswer {
  status: number;
  headers: HttpResponse['headers'];
  text: string;
}

/** Sends the request and reads the whole answer within `left` ms and the response timeout. */
async function exchange(up: Upstream, request: Dispatcher.RequestOptions, signals: AbortSignal[], left: number): Promise<RawAnswer> {
  const { source, settings } = up;
  const byDeadline = left <= settings.responseTimeoutMs;
  const timer = new AbortController();
  const timeout = setTimeout(() => timer.abort(), Math.min(left, settings.responseTimeoutMs));
  const signal = AbortSignal.any([...signals, timer.signal]);
  try {
    const res = await up.dispatcher.request({ ...request, signal });
    const text = await res.body.text();
    return { status: res.statusCode, headers: res.headers, text };
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
}

/** The answer, or the AttemptFailure of a status no caller handles or of a malformed body. */
function answerOf(up: Upstream, answer: RawAnswer): HttpResponse {
  const { source } = up;
  const parsed = parseBody(answer.text, answer.headers['content-type']);
  const { status } = answer;
  if (status >= 400) {
    const code = up.classify?.(status, parsed.value) ?? genericCode(status);
    if (code) {
      const retryAfterMs = parseRetryAfter(headerOf(answer.headers, 'retry-after')) ?? undefined;
      const error = new SourceError(source, code, `${source} answered HTTP ${status}`, status, { retryAfterMs });
      throw new AttemptFailure(code === 'SOURCE_UNAUTHENTICATED' ? 'answer' : 'retryable-answer', error, true, status);
    }
  }
  if (parsed.malformed) {
    throw new AttemptFailure('malformed', new SourceError(source, 'SOURCE_BAD_RESPONSE', `${source} sent a malformed answer (HTTP ${status})`, status), true, status);
  }
  return { status, headers: answer.headers, body: parsed.value };
}

/**
 * Waits in the rate limiter's queue until this attempt may be sent; its slot is taken then. A slot
 * that cannot come before the deadline (a long pause included) is SOURCE_RATE_LIMITED, not sent.
 */
async function takeSlot(up: Upstream, signals: AbortSignal[], deadlineAt: number, observer: UpstreamObserver | undefined): Promise<void> {
  const { source, limiter } = up;
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

/** Sends a request, retrying reads while the deadline allows; writes are sent once. */
async function sendOnce(up: Upstream, req: HttpRequest): Promise<HttpResponse> {
  const scope = currentOperation();
  const read = req.read ?? (req.method === 'GET' || req.method === 'HEAD');
  const call: Call = {
    // Outside an operation (start-up, scripts, adapter tests) each call gets a deadline of its own.
    deadlineAt: scope?.deadlineAt ?? Date.now() + DEFAULT_OPERATION_TIMEOUT_MS,
    signals: [req.signal, scope?.signal].filter((s): s is AbortSignal => s !== undefined),
    read,
    attempts: read ? 1 + up.settings.maxRetries : 1,
    observer: scope?.observer,
  };
  for (let n = 0; ; n++) {
    mayAttempt(up, call.signals);
    const outcome = await tryAttempt(up, req, call, n);
    if ('res' in outcome) return outcome.res;
    const { failure } = outcome;
    recordFailure(up, failure);
    if (!call.read) {
      const unknown = outcomeUnknown(up.source, failure);
      throw unknown ?? failure.error;
    }
    await beforeRetry(up, call, failure, n);
  }
}

/** Throws when the call was stopped or the circuit is open. */
function mayAttempt(up: Upstream, signals: AbortSignal[]): void {
  const { source, breaker } = up;
  const aborted = signals.find((s) => s.aborted);
  if (aborted) throw abortFailure(source, aborted).error;
  if (!breaker.tryAcquire()) {
    throw new SourceError(source, 'SOURCE_UNAVAILABLE', `${source} is failing; calls to it are paused (circuit open)`, undefined, {
      retryAfterMs: breaker.remainingCooldownMs(),
      circuit: 'OPEN',
    });
  }
}

/** Attempt number `n`: its slot, the exchange, and what the observer sees of it. */
async function tryAttempt(up: Upstream, req: HttpRequest, call: Call, n: number): Promise<{ res: HttpResponse } | { failure: AttemptFailure }> {
  const { source } = up;
  const { observer, signals } = call;
  let startedAt = 0;
  try {
    await takeSlot(up, signals, call.deadlineAt, observer);
    startedAt = performance.now();
    const res = await attempt(up, req, signals, call.deadlineAt);
    observer?.attempt({ source, method: req.method, route: routeOf(up, req), retry: n, status: res.status, outcome: `${Math.floor(res.status / 100)}xx`, seconds: (performance.now() - startedAt) / 1000 });
    up.breaker.onSuccess();
    return { res };
  } catch (error) {
    // Anything but an AttemptFailure came before the request went out (the wait, its path).
    const failure = error instanceof AttemptFailure ? error : error instanceof SourceError ? new AttemptFailure('malformed', error, false) : abortFailure(source, signals.find((s) => s.aborted), error, false);
    if (failure.sent && startedAt > 0) {
      const outcome = failure.status ? `${Math.floor(failure.status / 100)}xx` : failure.kind;
      observer?.attempt({ source, method: req.method, route: routeOf(up, req), retry: n, status: failure.status ?? null, outcome, seconds: (performance.now() - startedAt) / 1000 });
    }
    return { failure };
  }
}

/** What a failed attempt tells the limiter and the breaker. */
function recordFailure(up: Upstream, failure: AttemptFailure): void {
  const { limiter, breaker } = up;
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
}

/** Waits the backoff before attempt `n + 1`; throws the failure when it is not retried. */
async function beforeRetry(up: Upstream, call: Call, failure: AttemptFailure, n: number): Promise<void> {
  const { settings } = up;
  const retryable = failure.kind === 'network' || failure.kind === 'timeout' || failure.kind === 'retryable-answer';
  if (!retryable || n + 1 >= call.attempts) throw failure.error;
  const delay = Math.max(backoffDelay(n, { baseMs: settings.retryBaseMs, capMs: settings.retryCapMs }), failure.error.retryAfterMs ?? 0);
  // A retry that could only start after the deadline is not worth waiting for.
  if (Date.now() + delay >= call.deadlineAt) throw failure.error;
  try {
    await sleep(delay, call.signals);
  } catch {
    throw failure.error;
  }
}

/**
 * Identical GETs in flight at once (same URL and headers, so the same credentials) are sent once and
 * the answer shared, across operations. The shared call runs in a scope of its own: it is aborted
 * only when every caller has gone, and each caller still stops waiting at its own abort. Writes are
 * never shared.
 */
async function coalesced(up: Upstream, req: HttpRequest, key: string): Promise<HttpResponse> {
  const scope = currentOperation();
  const entry = up.inflight.get(key) ?? shareRead(up, req, key, scope);
  entry.callers += 1;
  const own = [req.signal, scope?.signal].filter((s): s is AbortSignal => s !== undefined);
  try {
    return await untilAborted(entry.promise, own, () => abortFailure(up.source, own.find((s) => s.aborted)).error);
  } finally {
    entry.callers -= 1;
    if (entry.callers === 0) entry.controller.abort(OPERATION_FINISHED);
  }
}

/** Starts the shared call of `key`, in its own operation scope, forgotten when it settles. */
function shareRead(up: Upstream, req: HttpRequest, key: string, scope: ReturnType<typeof currentOperation>): SharedRead {
  const controller = new AbortController();
  const deadlineAt = scope?.deadlineAt ?? Date.now() + DEFAULT_OPERATION_TIMEOUT_MS;
  const promise = runInOperation({ signal: controller.signal, deadlineAt, observer: scope?.observer }, () => sendOnce(up, { ...req, signal: undefined }));
  const entry: SharedRead = { promise, callers: 0, controller };
  up.inflight.set(key, entry);
  void promise.finally(() => up.inflight.get(key) === entry && up.inflight.delete(key)).catch(() => undefined);
  return entry;
}

/**
 * A write (anything but a plain GET) makes the reads before it unusable for the reads after it: it
 * forgets the reads in flight and invalidates the read cache when it starts and when it ends, so a
 * read-back never gets a pre-write answer. A GET is answered from the read cache when it has the
 * answer, else sent (coalesced), and a 2xx answer is cached.
 */
async function send(up: Upstream, req: HttpRequest): Promise<HttpResponse> {
  const { settings, cache } = up;
  const plainGet = req.method === 'GET' && req.json === undefined;
  // Reads sent otherwise (a token request, primaERP's price calculation) are neither shared nor cached.
  if (!plainGet && req.read) return sendOnce(up, req);
  if (!plainGet) return sendWrite(up, req);
  if (!settings.coalesce && !cache) return sendOnce(up, req);
  const key = `${pathOf(up, req)}\n${JSON.stringify(Object.entries(req.headers ?? {}).sort())}`;
  const cached = await cache?.lookup(key);
  if (cached?.hit) {
    reportCacheHit(up.source, cached.storedAt);
    return cached.hit;
  }
  const res = settings.coalesce ? await coalesced(up, req, key) : await sendOnce(up, req);
  if (res.status >= 200 && res.status < 300) cached?.store(res);
  return res;
}

async function sendWrite(up: Upstream, req: HttpRequest): Promise<HttpResponse> {
  up.inflight.clear();
  await up.cache?.invalidate();
  try {
    return await sendOnce(up, req);
  } finally {
    up.inflight.clear();
    await up.cache?.invalidate();
  }
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
