/**
 * The HTTP shell every simulator shares: a node:http server on loopback, a request log for tests
 * that count upstream calls, switchable faults, and small JSON helpers. The vendor protocol itself
 * (auth, paging, error bodies) lives in each simulator.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRandom } from './random.js';

export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  /** Epoch ms when it arrived (tests measure waits between retries with it). */
  at: number;
  /** Epoch ms when the caller closed the connection before the answer was complete. */
  abandonedAt?: number;
  /** The status answered (tests count the 429s a vendor limit answered); absent until answered. */
  status?: number;
}

/** Faults a test can switch on; all off by default. */
export interface Faults {
  /** Added before every answer. */
  latencyMs: number;
  /** Share (0..1) of requests answered with `errorStatus` instead. */
  errorRate: number;
  errorStatus: number;
  /** Share (0..1) of successful answers whose body is replaced by a malformed one (see `malformedBody`). */
  malformedRate: number;
  /** What a malformed answer is: JSON cut in half, an HTML error page, or JSON with a syntax error. */
  malformedBody: 'truncated' | 'html' | 'invalid-json';
  /** Accept every request and never answer it. */
  hang: boolean;
  /** Destroy the connection of every request instead of answering. */
  reset: boolean;
  /** Destroy the connection of the next N requests (counts down). */
  resetNext: number;
  /**
   * Carry out the next N writes (any method but GET and HEAD that the backend accepts), then destroy
   * the connection before answering (counts down): the write happened, its answer is lost.
   */
  resetAfterWrite: number;
  /** Answer the next N requests with `errorStatus` (counts down), in the vendor's error format. */
  failNext: number;
  /** `Retry-After` sent with an injected 429 or 503: delta seconds (`"1"`) or an HTTP-date. */
  retryAfter: string | null;
  /** Send every answer's body in small chunks with this delay between them (a slow drip). */
  dripMs: number;
}

export const noFaults = (): Faults => ({
  latencyMs: 0,
  errorRate: 0,
  errorStatus: 500,
  malformedRate: 0,
  malformedBody: 'truncated',
  hang: false,
  reset: false,
  resetNext: 0,
  resetAfterWrite: 0,
  failNext: 0,
  retryAfter: null,
  dripMs: 0,
});

export interface SimRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  /** Parsed JSON body, or undefined when there was none. */
  body: unknown;
  /** The base URL of this server (for Link headers). */
  baseUrl: string;
}

export interface SimResponse {
  status: number;
  headers?: Record<string, string>;
  /** Serialized as JSON unless it is a string (sent as text/plain). Omitted for 204. */
  body?: unknown;
}

export type SimHandler = (req: SimRequest) => SimResponse | Promise<SimResponse>;

export interface SimServer {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  readonly requests: RecordedRequest[];
  faults: Faults;
  /** Bench mode, see `SimulatorHandle.replay`. */
  replay: boolean;
  close(): Promise<void>;
}

export interface SimServerOptions {
  port?: number;
  host?: string;
  /** Answer for a body that is not valid JSON, in the vendor's error format. */
  badJson: () => SimResponse;
  /** Answer for an injected error, in the vendor's error format. */
  injectedError: (status: number) => SimResponse;
  seed?: number;
}

export async function startSimServer(handler: SimHandler, options: SimServerOptions): Promise<SimServer> {
  const requests: RecordedRequest[] = [];
  const random = createRandom(options.seed ?? 7);
  const state: { faults: Faults; replay: boolean } = { faults: noFaults(), replay: false };
  /** Bench mode: successful GET answers by URL and credentials, serialized once. */
  const replayed = new Map<string, Serialized>();
  let origin = '';

  const server: Server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      send(res, { status: 500, body: { message: 'simulator failure' } });
      console.error('simulator handler failed', error);
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const replayKey = state.replay && req.method === 'GET' ? `${req.url}\n${req.headers.authorization ?? ''}\n${req.headers['x-4me-account'] ?? ''}` : undefined;
    const again = replayKey === undefined ? undefined : replayed.get(replayKey);
    if (again) {
      // Not recorded either: a bench run sends hundreds of thousands of requests.
      res.writeHead(again.status, again.headers);
      res.end(again.text);
      return;
    }
    const url = new URL(req.url ?? '/', origin);
    const record: RecordedRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, at: Date.now() };
    requests.push(record);
    // When the caller gives up on a request (an aborted upstream call), the connection closes unanswered.
    res.once('close', () => {
      if (!res.writableFinished) record.abandonedAt = Date.now();
    });
    res.once('finish', () => {
      record.status = res.statusCode;
    });
    const raw = await readBody(req);
    const faults = state.faults;
    if (faults.hang) return;
    if (faults.reset || faults.resetNext > 0) {
      if (faults.resetNext > 0) faults.resetNext -= 1;
      req.socket.destroy();
      return;
    }
    if (faults.latencyMs > 0) await new Promise((r) => setTimeout(r, faults.latencyMs));
    const failNow = faults.failNext > 0;
    if (failNow) faults.failNext -= 1;
    if (failNow || (faults.errorRate > 0 && random() < faults.errorRate)) {
      const answer = options.injectedError(faults.errorStatus);
      const retryAfter = faults.retryAfter !== null && (faults.errorStatus === 429 || faults.errorStatus === 503);
      if (retryAfter) {
        const kept = Object.entries(answer.headers ?? {}).filter(([name]) => name.toLowerCase() !== 'retry-after');
        answer.headers = { ...Object.fromEntries(kept), 'retry-after': faults.retryAfter as string };
      }
      send(res, answer, faults.dripMs);
      return;
    }
    let body: unknown;
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw);
      } catch {
        send(res, options.badJson());
        return;
      }
    }
    const answer = await handler({ method: record.method, path: url.pathname, query: url.searchParams, headers: req.headers, body, baseUrl: origin });
    const write = record.method !== 'GET' && record.method !== 'HEAD';
    if (faults.resetAfterWrite > 0 && write && answer.status < 400) {
      faults.resetAfterWrite -= 1;
      req.socket.destroy();
      return;
    }
    if (faults.malformedRate > 0 && answer.status < 300 && answer.body !== undefined && random() < faults.malformedRate) {
      const text = JSON.stringify(answer.body);
      if (faults.malformedBody === 'html') {
        send(res, { status: answer.status, headers: { ...answer.headers, 'content-type': 'text/html; charset=utf-8' }, body: '<html><body><h1>502 Bad Gateway</h1></body></html>' }, faults.dripMs);
      } else {
        const bad = faults.malformedBody === 'invalid-json' ? `{"items": [${text}, oops]}` : text.slice(0, Math.max(1, Math.floor(text.length / 2)));
        send(res, { status: answer.status, headers: { ...answer.headers, 'content-type': 'application/json' }, body: bad }, faults.dripMs);
      }
      return;
    }
    if (replayKey !== undefined && answer.status < 300) {
      const serialized = serialize(answer);
      replayed.set(replayKey, serialized);
      res.writeHead(serialized.status, serialized.headers);
      res.end(serialized.text);
      return;
    }
    send(res, answer, faults.dripMs);
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  origin = `http://${options.host ?? '127.0.0.1'}:${port}`;
  return {
    origin,
    requests,
    get faults() {
      return state.faults;
    },
    set faults(f: Faults) {
      state.faults = f;
    },
    get replay() {
      return state.replay;
    },
    set replay(on: boolean) {
      state.replay = on;
      if (!on) replayed.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

interface Serialized {
  status: number;
  headers: Record<string, string>;
  text?: string;
}

function serialize(answer: SimResponse): Serialized {
  const headers: Record<string, string> = { ...answer.headers };
  if (answer.status === 204 || answer.body === undefined) return { status: answer.status, headers };
  const isText = typeof answer.body === 'string';
  headers['content-type'] ??= isText ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8';
  return { status: answer.status, headers, text: isText ? (answer.body as string) : JSON.stringify(answer.body) };
}

/** Writes an answer; with `dripMs` the body goes out in 16-byte chunks, one every `dripMs`. */
function send(res: ServerResponse, answer: SimResponse, dripMs = 0): void {
  const { status, headers, text } = serialize(answer);
  if (text === undefined || dripMs <= 0) {
    res.writeHead(status, headers);
    res.end(text);
    return;
  }
  res.writeHead(status, headers);
  res.flushHeaders();
  const bytes = Buffer.from(text, 'utf8');
  let offset = 0;
  const drip = () => {
    if (res.destroyed) return;
    if (offset >= bytes.length) {
      res.end();
      return;
    }
    res.write(bytes.subarray(offset, offset + 16));
    offset += 16;
    setTimeout(drip, dripMs).unref();
  };
  drip();
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * A fixed-window request counter for the vendors' rate limits. `take()` returns null when the
 * request is allowed, or the seconds until the window frees up.
 */
export function createWindowLimiter(limit: number, windowMs: number, now: () => number = Date.now) {
  let windowStart = now();
  let count = 0;
  return {
    take(): number | null {
      const t = now();
      if (t - windowStart >= windowMs) {
        windowStart = t;
        count = 0;
      }
      if (count >= limit) return Math.max(1, Math.ceil((windowStart + windowMs - t) / 1000));
      count += 1;
      return null;
    },
    remaining: () => Math.max(0, limit - count),
  };
}

/** What every simulator's `start…Simulator()` returns. */
export interface SimulatorHandle {
  /** `http://127.0.0.1:<port>`. */
  readonly origin: string;
  /** Environment variables that point the gateway at this simulator (base URL and credentials). */
  readonly env: Record<string, string>;
  /** Every request received, in order (tests count upstream calls with it). */
  readonly requests: RecordedRequest[];
  /** Switchable faults; assign a new object or mutate. */
  faults: Faults;
  /**
   * Bench mode (`SIM_BENCH=1`): a successful GET is answered again, for the same URL and credentials,
   * with the bytes serialized the first time, and is not recorded, so that the simulator is never
   * what limits a benchmark. Only for data nobody writes to during the run.
   */
  replay: boolean;
  close(): Promise<void>;
}
