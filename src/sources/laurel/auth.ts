/**
 * Laurel bearer tokens: either a fixed token from the environment, or OAuth2 client credentials from
 * Laurel's identity service, cached and renewed before they expire.
 */
import type { Dispatcher } from 'undici';
import { createHttpClient, type HttpClient } from '../../http/client.js';
import type { Resilience } from '../../http/resilience.js';
import { SourceError } from '../../core/errors.js';
import { createRenewingTokenProvider, createStaticTokenProvider, type IssuedToken, type TokenProvider } from '../../http/tokens.js';
import type { LaurelAuthConfig } from './config.js';
import type { RawToken } from './raw.js';

export { createStaticTokenProvider, type TokenProvider } from '../../http/tokens.js';

/** The tokens Laurel's configuration asks for: its fixed token, or client credentials. */
export function createLaurelTokens(auth: LaurelAuthConfig, options: Pick<ClientCredentialsOptions, 'now' | 'dispatcher' | 'resilience'>): TokenProvider {
  return auth.kind === 'token' ? createStaticTokenProvider(auth.token) : createClientCredentialsProvider({ ...auth, ...options });
}

export interface ClientCredentialsOptions {
  /** The identity service base; the token comes from `POST {authUrl}/api/v1/oauth/token`. */
  authUrl: string;
  clientId: string;
  clientSecret: string;
  audience: string;
  now?: () => number;
  dispatcher?: Dispatcher;
  /** Laurel's timeouts, retries, limiter and breaker: without a token Laurel is unusable too. */
  resilience?: Resilience;
  /** Renew this long before expiry (default: a tenth of the lifetime, at most 5 minutes). */
  renewBeforeMs?: number;
}

export function createClientCredentialsProvider(options: ClientCredentialsOptions): TokenProvider {
  const { now = Date.now } = options;
  const http: HttpClient = createHttpClient({ source: 'LAUREL', baseUrl: options.authUrl, dispatcher: options.dispatcher, connections: 2, resilience: options.resilience });
  return createRenewingTokenProvider((signal) => issueToken(http, options, now, signal), now, () => http.close());
}

/** One client-credentials token from the identity service. */
async function issueToken(http: HttpClient, options: ClientCredentialsOptions, now: () => number, signal?: AbortSignal): Promise<IssuedToken> {
  const { clientId, clientSecret, audience } = options;
  const res = await http.send({
    method: 'POST',
    path: '/api/v1/oauth/token',
    json: { audience, grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret },
    signal,
    // Issuing a client-credentials token changes nothing, so it may be retried like a read.
    read: true,
  });
  if (res.status >= 400) {
    // The identity service refuses bad client credentials with 400/401/403 alike.
    throw new SourceError('LAUREL', 'SOURCE_UNAUTHENTICATED', `LAUREL identity service refused the client credentials (HTTP ${res.status})`, res.status);
  }
  const body = res.body as Partial<RawToken> | null;
  if (!body || typeof body.access_token !== 'string' || typeof body.expires_in !== 'number') {
    throw new SourceError('LAUREL', 'SOURCE_BAD_RESPONSE', 'LAUREL identity service sent no usable token', res.status);
  }
  const lifetimeMs = body.expires_in * 1000;
  const margin = options.renewBeforeMs ?? Math.min(300_000, lifetimeMs / 10);
  return { token: body.access_token, renewAtMs: now() + lifetimeMs - margin };
}
