/**
 * primaERP's HTTP protocol: login with API key + secret key, `?token=` on every call, the token
 * renewed shortly before it expires (single-flight) and once more after a 401, and the vendor's
 * error bodies turned into SourceErrors. Returns raw responses; mapping lives in mapping.ts.
 */
import { GraphQLError } from 'graphql';
import type { Dispatcher } from 'undici';
import { SourceError } from '../../core/errors.js';
import { createHttpClient, type HttpClient, type HttpRequest, type HttpResponse, type QueryValue } from '../../http/client.js';
import type { Resilience } from '../../http/resilience.js';
import { createRenewingTokenProvider, sendWithToken, type IssuedToken } from '../../http/tokens.js';
import { parseMsJsonDate } from '../../units/dates.js';
import type { PrimaerpConfig } from './config.js';
import type { RawConstraintViolation, RawError, RawLogin, RawTimeRecord, RawUnbilledSummary } from './raw.js';

export interface PrimaerpClientOptions {
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
  /** One page of a collection (`GET path?$filter…`); null when primaERP answers 404 (an unknown scope entity). */
  getArray<T>(path: string, query: Record<string, QueryValue>, signal?: AbortSignal): Promise<T[] | null>;
  /** `GET /v1/time/timerecords/{id}`; null when unknown. */
  getTimeRecord(id: string, signal?: AbortSignal): Promise<RawTimeRecord | null>;
  /** `GET {records}/$unbilledsummary`; the empty summary when the scope is unknown. */
  unbilledSummary(recordsPath: string, signal?: AbortSignal): Promise<RawUnbilledSummary>;
  /** `POST {records}/$calculateprice`: the record with its price, not saved. Throws PrimaerpValidationError on 400. */
  calculatePrice(recordsPath: string, record: Record<string, unknown>, signal?: AbortSignal): Promise<RawTimeRecord>;
  close(): Promise<void>;
}

/** A write or calculation primaERP refused with constraint violations (400 PE01-…). */
export class PrimaerpValidationError extends Error {
  override readonly name = 'PrimaerpValidationError';
  constructor(
    readonly code: string | null,
    readonly violations: RawConstraintViolation[],
  ) {
    super(`primaERP refused the record: ${violations.map((v) => `${v.field ?? '?'} ${v.message ?? v.constraint ?? ''}`.trim()).join('; ') || code || 'invalid'}`);
  }
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

export function createPrimaerpClient(config: PrimaerpConfig, options: PrimaerpClientOptions = {}): PrimaerpClient {
  const { now = Date.now, renewBeforeMs = 60_000 } = options;
  const http = createHttpClient({
    source: 'PRIMAERP',
    baseUrl: config.baseUrl,
    dispatcher: options.dispatcher,
    connections: options.connections,
    classify: classifyPrimaerp,
    resilience: options.resilience,
  });
  const tokens = createRenewingTokenProvider(() => login(http, config, now, renewBeforeMs), now);
  const send = (request: HttpRequest) => sendWithToken(http, tokens, request, (req, token) => ({ ...req, query: { ...req.query, token } }));
  return {
    send,
    getArray: (path, query, signal) => getArray(send, path, query, signal),
    getTimeRecord: (id, signal) => getTimeRecord(send, id, signal),
    unbilledSummary: (recordsPath, signal) => unbilledSummary(send, recordsPath, signal),
    calculatePrice: (recordsPath, record, signal) => calculatePrice(send, recordsPath, record, signal),
    close: () => http.close(),
  };
}

type Send = (request: HttpRequest) => Promise<HttpResponse>;

/** `GET /v1/auth/login` with API key and secret key: the token and when to renew it. */
async function login(http: HttpClient, config: PrimaerpConfig, now: () => number, renewBeforeMs: number): Promise<IssuedToken> {
  const basic = `Basic ${Buffer.from(`${config.secretKey}:`, 'utf8').toString('base64')}`;
  const res = await http.send({ method: 'GET', path: '/v1/auth/login', query: { apikey: config.apiKey }, headers: { authorization: basic } });
  const body = res.body as Partial<RawLogin> | null;
  const expires = typeof body?.expiration === 'string' ? parseMsJsonDate(body.expiration) : null;
  if (res.status !== 200 || typeof body?.token !== 'string' || expires === null) {
    if (res.status === 200) throw new SourceError('PRIMAERP', 'SOURCE_BAD_RESPONSE', 'PRIMAERP sent a login answer without a token or expiration');
    throw new SourceError('PRIMAERP', 'SOURCE_UNAUTHENTICATED', `PRIMAERP login failed (HTTP ${res.status})`, res.status);
  }
  const t = now();
  return { token: body.token, renewAtMs: expires - Math.min(renewBeforeMs, Math.max(0, (expires - t) / 10)) };
}

async function getArray<T>(send: Send, path: string, query: Record<string, QueryValue>, signal?: AbortSignal): Promise<T[] | null> {
  const res = await send({ method: 'GET', path, query, signal });
  if (res.status === 404) return null;
  if (res.status !== 200 || !Array.isArray(res.body)) throw unexpectedAnswer(res);
  return res.body as T[];
}

async function getTimeRecord(send: Send, id: string, signal?: AbortSignal): Promise<RawTimeRecord | null> {
  const res = await send({ method: 'GET', path: `/v1/time/timerecords/${id}`, signal });
  if (res.status === 404) return null;
  if (res.status !== 200 || typeof res.body !== 'object' || res.body === null) throw unexpectedAnswer(res);
  return res.body as RawTimeRecord;
}

async function unbilledSummary(send: Send, recordsPath: string, signal?: AbortSignal): Promise<RawUnbilledSummary> {
  const res = await send({ method: 'GET', path: `${recordsPath}/$unbilledsummary`, signal });
  if (res.status === 404) return { count: 0, duration: 0, price: 0, projects: [] };
  const body = res.body as RawUnbilledSummary | null;
  if (res.status !== 200 || typeof body?.count !== 'number') throw unexpectedAnswer(res);
  return body;
}

async function calculatePrice(send: Send, recordsPath: string, record: Record<string, unknown>, signal?: AbortSignal): Promise<RawTimeRecord> {
  const res = await send({ method: 'POST', path: `${recordsPath}/$calculateprice`, json: record, signal, read: true });
  if (res.status === 400) throw validationError(res);
  if (res.status === 404) throw new GraphQLError('primaERP does not know the scope of "input.scope".', { extensions: { code: 'BAD_USER_INPUT', argument: 'input.scope' } });
  if (res.status !== 200 || typeof res.body !== 'object' || res.body === null) throw unexpectedAnswer(res);
  return res.body as RawTimeRecord;
}

function validationError(res: HttpResponse): Error {
  const body = res.body as Partial<RawError> | null;
  if (Array.isArray(body?.constraintViolations)) return new PrimaerpValidationError(body.code ?? null, body.constraintViolations);
  return unexpectedAnswer(res);
}
