/**
 * primaERP's HTTP protocol: login with API key + secret key, `?token=` on every call, the token
 * renewed shortly before it expires (single-flight) and once more after a 401, and the vendor's
 * error bodies turned into SourceErrors. Returns raw responses; mapping lives in mapping.ts.
 */
import type { Dispatcher } from 'undici';
import { SourceError } from '../../core/errors.js';
import { createHttpClient, type HttpRequest, type HttpResponse } from '../../http/client.js';
import type { Resilience } from '../../http/resilience.js';
import { parseMsJsonDate } from '../../units/dates.js';
import type { RawError, RawLogin } from './raw.js';

export interface PrimaerpClientOptions {
  baseUrl: string;
  apiKey: string;
  secretKey: string;
  dispatcher?: Dispatcher;
  connections?: number;
  resilience?: Resilience;
  now?: () => number;
  /** Renew this long before expiry (capped at a tenth of the token's lifetime). */
  renewBeforeMs?: number;
}

export interface PrimaerpClient {
  /** Sends an authenticated request; resolves for 2xx and the 4xx a caller may handle. */
  send(request: HttpRequest): Promise<HttpResponse>;
  close(): Promise<void>;
}

/** primaERP answers its rate limit with 503 and code PE01-9002, not 429. */
export function classifyPrimaerp(status: number, body: unknown): 'SOURCE_RATE_LIMITED' | null {
  return status === 503 && (body as RawError | null)?.code === 'PE01-9002' ? 'SOURCE_RATE_LIMITED' : null;
}

/** The vendor error code of an error answer, when it has one (never the raw body). */
export function vendorCode(res: HttpResponse): string | null {
  const code = (res.body as RawError | null)?.code;
  return typeof code === 'string' && /^PE\d\d-\d{4}$/.test(code) ? code : null;
}

/** An answer no read can use, as a SourceError that names only the status and the vendor code. */
export function unexpectedAnswer(res: HttpResponse): SourceError {
  const code = vendorCode(res);
  return new SourceError('PRIMAERP', 'SOURCE_BAD_RESPONSE', `PRIMAERP answered HTTP ${res.status}${code ? ` (${code})` : ''}`, res.status);
}

export function createPrimaerpClient(options: PrimaerpClientOptions): PrimaerpClient {
  const { apiKey, secretKey, now = Date.now, renewBeforeMs = 60_000 } = options;
  const http = createHttpClient({
    source: 'PRIMAERP',
    baseUrl: options.baseUrl,
    dispatcher: options.dispatcher,
    connections: options.connections,
    classify: classifyPrimaerp,
    resilience: options.resilience,
  });
  const basic = `Basic ${Buffer.from(`${secretKey}:`, 'utf8').toString('base64')}`;
  let token: { value: string; renewAtMs: number } | null = null;
  let pending: Promise<string> | null = null;

  async function login(): Promise<string> {
    const res = await http.send({ method: 'GET', path: '/v1/auth/login', query: { apikey: apiKey }, headers: { authorization: basic } });
    const body = res.body as Partial<RawLogin> | null;
    const expires = typeof body?.expiration === 'string' ? parseMsJsonDate(body.expiration) : null;
    if (res.status !== 200 || typeof body?.token !== 'string' || expires === null) {
      if (res.status === 200) throw new SourceError('PRIMAERP', 'SOURCE_BAD_RESPONSE', 'PRIMAERP sent a login answer without a token or expiration');
      throw new SourceError('PRIMAERP', 'SOURCE_UNAUTHENTICATED', `PRIMAERP login failed (HTTP ${res.status})`, res.status);
    }
    const t = now();
    token = { value: body.token, renewAtMs: expires - Math.min(renewBeforeMs, Math.max(0, (expires - t) / 10)) };
    return body.token;
  }

  function currentToken(): Promise<string> {
    if (token && now() < token.renewAtMs) return Promise.resolve(token.value);
    pending ??= login().finally(() => {
      pending = null;
    });
    return pending;
  }

  async function send(request: HttpRequest): Promise<HttpResponse> {
    const used = await currentToken();
    try {
      return await http.send({ ...request, query: { ...request.query, token: used } });
    } catch (error) {
      if (!(error instanceof SourceError) || error.status !== 401) throw error;
      // The token was revoked or expired early: log in again once, then give up.
      if (token?.value === used) token = null;
      const fresh = await currentToken();
      return http.send({ ...request, query: { ...request.query, token: fresh } });
    }
  }

  return { send, close: () => http.close() };
}
