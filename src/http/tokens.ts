/**
 * Bearer-style credentials of a backend, the same way for each: a token fetched on demand and shared
 * by concurrent callers (single flight), renewed when its time comes, and a call answered 401 sent
 * once more with a fresh token.
 */
import { SourceError } from '../core/errors.js';
import type { HttpClient, HttpRequest, HttpResponse } from './client.js';

export interface TokenProvider {
  /** A valid token; concurrent callers share one identity request (single flight). */
  token(signal?: AbortSignal): Promise<string>;
  /** Forgets `rejected` after a 401, so the next `token()` fetches a fresh one. False when it cannot renew. */
  invalidate(rejected: string): boolean;
  close(): Promise<void>;
}

/** A token and when to fetch the next one (epoch ms). */
export interface IssuedToken {
  token: string;
  renewAtMs: number;
}

export function createStaticTokenProvider(token: string): TokenProvider {
  return { token: () => Promise.resolve(token), invalidate: () => false, close: () => Promise.resolve() };
}

/** Tokens from `issue`, cached until their `renewAtMs`; a rejected one is forgotten and renewed. */
export function createRenewingTokenProvider(
  issue: (signal?: AbortSignal) => Promise<IssuedToken>,
  now: () => number,
  close: () => Promise<void> = () => Promise.resolve(),
): TokenProvider {
  let cached: IssuedToken | null = null;
  let pending: Promise<string> | null = null;
  const fetchToken = async (signal?: AbortSignal) => {
    cached = await issue(signal);
    return cached.token;
  };
  return {
    token(signal) {
      if (cached && now() < cached.renewAtMs) return Promise.resolve(cached.token);
      pending ??= fetchToken(signal).finally(() => {
        pending = null;
      });
      return pending;
    },
    invalidate(rejected) {
      if (cached?.token === rejected) cached = null;
      return true;
    },
    close,
  };
}

/**
 * Sends `request` with a token (`authorize` puts it where the backend reads it). A 401 means the
 * token was revoked or expired early: renewed once and sent again, when the provider can renew.
 */
export async function sendWithToken(
  http: Pick<HttpClient, 'send'>,
  tokens: TokenProvider,
  request: HttpRequest,
  authorize: (request: HttpRequest, token: string) => HttpRequest,
): Promise<HttpResponse> {
  const used = await tokens.token(request.signal);
  try {
    return await http.send(authorize(request, used));
  } catch (error) {
    if (!(error instanceof SourceError) || error.status !== 401 || !tokens.invalidate(used)) throw error;
    const fresh = await tokens.token(request.signal);
    return http.send(authorize(request, fresh));
  }
}
