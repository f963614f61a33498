/**
 * Client authentication: API keys from the environment, or JWTs verified against an HS256 secret or a
 * JWKS, with optional issuer and audience checks. A request without valid credentials is answered 401
 * with a GraphQL error `UNAUTHENTICATED` before its body is read, so it makes no upstream call.
 * Neither the presented credential nor the configured ones ever appear in an answer or a log line.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { Plugin } from 'graphql-yoga';
import type { ClientAuthConfig } from './config.js';

/** Who a request was authenticated as. */
export interface ClientIdentity {
  method: 'api-key' | 'jwt';
  /** The JWT's `sub`, when it has one. */
  subject?: string;
}

export type Authenticate = (headers: Headers) => Promise<ClientIdentity | null>;

export interface ClientAuthOptions {
  /** How long a JWKS fetch may take, ms. */
  jwksTimeoutMs?: number;
}

/** Asymmetric algorithms accepted from a JWKS; HS256 only with the configured secret. */
const JWKS_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/** Checks the request's credentials against the configuration; null when they are missing or invalid. */
export function createAuthenticator(config: ClientAuthConfig, { jwksTimeoutMs = 5_000 }: ClientAuthOptions = {}): Authenticate {
  // Comparing fixed-length digests in constant time leaks neither a key nor its length.
  const keyDigests = config.apiKeys.map(digest);
  const secret = config.jwtSecret ? new TextEncoder().encode(config.jwtSecret) : undefined;
  const jwks: JWTVerifyGetKey | undefined = config.jwksUrl
    ? createRemoteJWKSet(new URL(config.jwksUrl), { timeoutDuration: jwksTimeoutMs })
    : undefined;
  const verifyOptions = { issuer: config.issuer, audience: config.audience, requiredClaims: ['exp'] };

  function isApiKey(candidate: string): boolean {
    const d = digest(candidate);
    let match = false;
    for (const key of keyDigests) match = timingSafeEqual(d, key) || match;
    return match;
  }

  async function verifyJwt(token: string): Promise<ClientIdentity | null> {
    try {
      const { alg } = decodeProtectedHeader(token);
      if (alg === 'HS256' && secret) {
        const { payload } = await jwtVerify(token, secret, { ...verifyOptions, algorithms: ['HS256'] });
        return { method: 'jwt', subject: payload.sub };
      }
      if (alg && alg !== 'HS256' && jwks) {
        const { payload } = await jwtVerify(token, jwks, { ...verifyOptions, algorithms: JWKS_ALGORITHMS });
        return { method: 'jwt', subject: payload.sub };
      }
      return null;
    } catch {
      // Expired, badly signed, wrong issuer or audience, unreachable JWKS: all the same to the client.
      return null;
    }
  }

  return async (headers) => {
    const apiKey = headers.get('x-api-key');
    if (apiKey !== null) return isApiKey(apiKey.trim()) ? { method: 'api-key' } : null;
    const match = /^Bearer\s+(\S+)\s*$/i.exec(headers.get('authorization') ?? '');
    if (!match) return null;
    const credential = match[1]!;
    if (keyDigests.length > 0 && isApiKey(credential)) return { method: 'api-key' };
    if ((secret || jwks) && credential.split('.').length === 3) return verifyJwt(credential);
    return null;
  };
}

function unauthenticated(ResponseCtor: typeof Response, presented: boolean): Response {
  const message = presented
    ? 'The credentials sent are not valid.'
    : 'Authentication required: send an API key (Authorization: Bearer <key> or X-API-Key) or a JWT (Authorization: Bearer <jwt>).';
  return new ResponseCtor(JSON.stringify({ errors: [{ message, extensions: { code: 'UNAUTHENTICATED' } }] }), {
    status: 401,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'www-authenticate': presented ? 'Bearer realm="TimeGraph", error="invalid_token"' : 'Bearer realm="TimeGraph"',
    },
  });
}

/**
 * Refuses every request to `endpoints` (/graphql, /metrics) without valid credentials (CORS preflights excepted: browsers
 * send them without credentials and they execute nothing).
 */
export function useClientAuth(config: ClientAuthConfig, endpoints: readonly string[], options?: ClientAuthOptions): Plugin {
  const authenticate = createAuthenticator(config, options);
  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      if (!endpoints.includes(url.pathname) || request.method === 'OPTIONS') return;
      const identity = await authenticate(request.headers);
      if (identity) return;
      const presented = request.headers.has('x-api-key') || request.headers.has('authorization');
      endResponse(unauthenticated(fetchAPI.Response, presented));
    },
  };
}
