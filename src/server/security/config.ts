/**
 * What the gateway does against hostile clients, read from the environment: query limits, body and
 * batch limits, production mode, and client authentication. Every value has a default and a
 * documented variable (see README, "Clients that attack").
 */
import { ConfigError } from '../../core/errors.js';

type Env = Readonly<Record<string, string | undefined>>;

/** How clients prove who they are; null when the gateway runs open (development and demo only). */
export interface ClientAuthConfig {
  /** Accepted API keys (`Authorization: Bearer <key>` or `X-API-Key: <key>`). */
  apiKeys: readonly string[];
  /** HS256 secret for JWTs. */
  jwtSecret?: string;
  /** JWKS URL for JWTs signed with asymmetric keys. */
  jwksUrl?: string;
  /** Required `iss`, when set. */
  issuer?: string;
  /** Required `aud`, when set. */
  audience?: string;
}

export interface SecurityConfig {
  /** `NODE_ENV=production`: introspection and field suggestions off, client authentication required. */
  production: boolean;
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  maxTokens: number;
  maxCost: number;
  /** Bytes; larger bodies are answered 413 before parsing. */
  maxBodyBytes: number;
  /** Operations allowed in one batched request; 0 turns batching off. */
  batchLimit: number;
  clientAuth: ClientAuthConfig | null;
  /** Origins allowed to read answers cross-origin (`TIMEGRAPH_CORS_ORIGINS`); empty: none. */
  corsOrigins: readonly string[];
}

/** The hard ceiling of TIMEGRAPH_BATCH_LIMIT. */
export const MAX_BATCH_LIMIT = 10;

/** Variables that configure client authentication; named when production mode has none. */
export const CLIENT_AUTH_VARIABLES = ['TIMEGRAPH_API_KEYS', 'TIMEGRAPH_JWT_SECRET', 'TIMEGRAPH_JWKS_URL'] as const;

function int(env: Env, name: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer between ${min} and ${max}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

function text(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

function loadClientAuth(env: Env): ClientAuthConfig | null {
  const apiKeys = (env.TIMEGRAPH_API_KEYS ?? '').split(',').map((k) => k.trim()).filter((k) => k.length > 0);
  const jwtSecret = text(env, 'TIMEGRAPH_JWT_SECRET');
  const jwksUrl = text(env, 'TIMEGRAPH_JWKS_URL');
  if (jwksUrl) {
    let url: URL;
    try {
      url = new URL(jwksUrl);
    } catch {
      // The URL is not echoed: it may carry credentials.
      throw new ConfigError('TIMEGRAPH_JWKS_URL must be an http(s) URL');
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ConfigError('TIMEGRAPH_JWKS_URL must be an http(s) URL');
  }
  // A short HS256 secret can be brute-forced offline from any token it signed (RFC 7518 §3.2).
  if (jwtSecret !== undefined && Buffer.byteLength(jwtSecret) < 32) {
    throw new ConfigError('TIMEGRAPH_JWT_SECRET must be at least 32 bytes long');
  }
  if (apiKeys.length === 0 && !jwtSecret && !jwksUrl) return null;
  return { apiKeys, jwtSecret, jwksUrl, issuer: text(env, 'TIMEGRAPH_JWT_ISSUER'), audience: text(env, 'TIMEGRAPH_JWT_AUDIENCE') };
}

/** `"https://a.example, http://localhost:5173"` → the origins; anything but a bare origin is refused. */
function loadCorsOrigins(env: Env): string[] {
  const entries = (env.TIMEGRAPH_CORS_ORIGINS ?? '').split(',').map((o) => o.trim()).filter((o) => o.length > 0);
  return entries.map((entry) => {
    let origin: string | undefined;
    try {
      const url = new URL(entry);
      if (url.protocol === 'https:' || url.protocol === 'http:') origin = url.origin;
    } catch {
      origin = undefined;
    }
    if (origin === undefined || origin !== entry.replace(/\/$/, '')) {
      throw new ConfigError(
        `TIMEGRAPH_CORS_ORIGINS has an invalid origin ${JSON.stringify(entry)}: list origins like "https://app.example.com" or "http://localhost:5173" (scheme, host and port only; "*" is not allowed)`,
      );
    }
    return origin;
  });
}

/**
 * Reads the security settings. Production mode without any client authentication throws a
 * ConfigError naming the variables that configure it.
 */
export function loadSecurityConfig(env: Env): SecurityConfig {
  const production = env.NODE_ENV === 'production';
  const clientAuth = loadClientAuth(env);
  if (production && !clientAuth) {
    throw new ConfigError(
      `production mode (NODE_ENV=production) requires client authentication: set ${CLIENT_AUTH_VARIABLES.join(', ')} (one or more)`,
    );
  }
  return {
    production,
    maxDepth: int(env, 'TIMEGRAPH_MAX_DEPTH', 8, 1),
    maxAliases: int(env, 'TIMEGRAPH_MAX_ALIASES', 15, 0),
    maxDirectives: int(env, 'TIMEGRAPH_MAX_DIRECTIVES', 50, 0),
    maxTokens: int(env, 'TIMEGRAPH_MAX_TOKENS', 2000, 1),
    maxCost: int(env, 'TIMEGRAPH_MAX_COST', 50_000, 1),
    maxBodyBytes: int(env, 'TIMEGRAPH_MAX_BODY_BYTES', 1_048_576, 1),
    batchLimit: int(env, 'TIMEGRAPH_BATCH_LIMIT', 0, 0, MAX_BATCH_LIMIT),
    clientAuth,
    corsOrigins: loadCorsOrigins(env),
  };
}
