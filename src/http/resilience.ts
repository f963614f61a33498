/**
 * Per-backend resilience: timeouts, retries, the client-side rate limiter and the circuit breaker.
 * Settings come from `<SOURCE>_…` environment variables; the state (limiter, breaker) is created once
 * per backend and shared by every HTTP client of that backend.
 */
import { ConfigError } from '../core/errors.js';
import { createCircuitBreaker, type CircuitBreaker } from './circuit-breaker.js';
import { envValue } from '../core/env.js';
import { createMemoryReadCache, createRedisReadCache, type ReadCache } from './read-cache.js';
import { createRedisSlots } from './redis-slots.js';
import { createRateLimiter, parseRateLimits, type RateLimit, type RateLimiter } from './rate-limiter.js';

export interface ResilienceSettings {
  /** TCP (and TLS) connect, per attempt. */
  connectTimeoutMs: number;
  /** Headers and the whole body, per attempt. */
  responseTimeoutMs: number;
  /** Retries of a read after the first attempt; writes are never retried. */
  maxRetries: number;
  retryBaseMs: number;
  retryCapMs: number;
  /** Empty: no client-side limit. */
  rateLimits: RateLimit[];
  /**
   * Added to every window of `rateLimits`: a request reaches the vendor a little after it leaves
   * (connect, network), and the vendor counts arrivals.
   */
  rateLimitMarginMs: number;
  /** Consecutive failed attempts (unavailable, timeout, bad response) that open the circuit. */
  breakerFailures: number;
  breakerCooldownMs: number;
  /** Identical GETs in flight at once are sent once (`<SOURCE>_COALESCE`, on by default). */
  coalesce: boolean;
  /**
   * REDIS_URL: the limits are one budget shared in Redis by every instance that uses the same vendor
   * account (`redis-slots.ts`); unset, each instance counts its own sends.
   */
  redisUrl?: string;
  /**
   * Upstream read answers are cached this long (`<SOURCE>_CACHE_TTL_MS`, 0: off), in Redis when
   * `redisUrl` is set (`read-cache.ts`); a write through the gateway invalidates them.
   */
  cacheTtlMs: number;
}

export const DEFAULT_RESILIENCE: Omit<ResilienceSettings, 'rateLimits'> = {
  connectTimeoutMs: 3000,
  responseTimeoutMs: 8000,
  maxRetries: 2,
  retryBaseMs: 100,
  retryCapMs: 2000,
  rateLimitMarginMs: 100,
  breakerFailures: 5,
  breakerCooldownMs: 10_000,
  coalesce: true,
  cacheTtlMs: 0,
};

type Env = Readonly<Record<string, string | undefined>>;

function int(env: Env, name: string, fallback: number, min: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new ConfigError(`${name} must be an integer of at least ${min}, got ${JSON.stringify(raw)}`);
  return n;
}

function onOff(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (!raw) return fallback;
  if (raw === 'on' || raw === 'true' || raw === '1') return true;
  if (raw === 'off' || raw === 'false' || raw === '0') return false;
  throw new ConfigError(`${name} must be on or off, got ${JSON.stringify(env[name])}`);
}

/**
 * Reads `<prefix>_CONNECT_TIMEOUT_MS`, `_RESPONSE_TIMEOUT_MS`, `_MAX_RETRIES`, `_RETRY_BASE_MS`,
 * `_RETRY_CAP_MS`, `_RATE_LIMIT`, `_RATE_LIMIT_MARGIN_MS`, `_BREAKER_FAILURES`, `_BREAKER_COOLDOWN_MS`, `_COALESCE` and `_CACHE_TTL_MS`.
 * `defaultRateLimit` is the vendor's documented limit (e.g. `"20/2s,3600/1h"`), or `"off"`.
 */
export function resilienceFromEnv(prefix: string, env: Env, defaultRateLimit: string): ResilienceSettings {
  const d = DEFAULT_RESILIENCE;
  return {
    connectTimeoutMs: int(env, `${prefix}_CONNECT_TIMEOUT_MS`, d.connectTimeoutMs, 1),
    responseTimeoutMs: int(env, `${prefix}_RESPONSE_TIMEOUT_MS`, d.responseTimeoutMs, 1),
    maxRetries: int(env, `${prefix}_MAX_RETRIES`, d.maxRetries, 0),
    retryBaseMs: int(env, `${prefix}_RETRY_BASE_MS`, d.retryBaseMs, 0),
    retryCapMs: int(env, `${prefix}_RETRY_CAP_MS`, d.retryCapMs, 0),
    rateLimits: parseRateLimits(env[`${prefix}_RATE_LIMIT`] ?? defaultRateLimit, `${prefix}_RATE_LIMIT`),
    rateLimitMarginMs: int(env, `${prefix}_RATE_LIMIT_MARGIN_MS`, d.rateLimitMarginMs, 0),
    breakerFailures: int(env, `${prefix}_BREAKER_FAILURES`, d.breakerFailures, 1),
    breakerCooldownMs: int(env, `${prefix}_BREAKER_COOLDOWN_MS`, d.breakerCooldownMs, 0),
    coalesce: onOff(env, `${prefix}_COALESCE`, d.coalesce),
    redisUrl: envValue(env, 'REDIS_URL'),
    cacheTtlMs: int(env, `${prefix}_CACHE_TTL_MS`, d.cacheTtlMs, 0),
  };
}

/** The shared state of one backend. */
export interface Resilience {
  readonly settings: ResilienceSettings;
  readonly limiter: RateLimiter;
  readonly breaker: CircuitBreaker;
  /** The read cache, when `settings.cacheTtlMs` is set. */
  readonly cache?: ReadCache;
  /** Closes the limiter's and the cache's Redis connections. */
  close(): Promise<void>;
}

/** Whose budget a backend's limits are: the backend and what identifies the vendor account. */
export interface BudgetOwner {
  backend: string;
  /** Hashed into the Redis key, never stored as such (it may hold a credential). */
  account: readonly string[];
}

/**
 * With `settings.redisUrl` and an `owner`, the limiter counts sends and the read cache keeps answers
 * in Redis, shared by every instance of the same account; otherwise in this process.
 */
export function createResilience(settings: Partial<ResilienceSettings> = {}, now: () => number = Date.now, owner?: BudgetOwner): Resilience {
  const full: ResilienceSettings = { ...DEFAULT_RESILIENCE, rateLimits: [], ...settings };
  const marginMs = full.rateLimitMarginMs;
  const store =
    full.redisUrl && owner && full.rateLimits.length > 0
      ? createRedisSlots({ url: full.redisUrl, ...owner, limits: full.rateLimits, marginMs })
      : undefined;
  const ttlMs = full.cacheTtlMs;
  const cache =
    ttlMs <= 0 ? undefined : full.redisUrl && owner ? createRedisReadCache({ url: full.redisUrl, ttlMs, ...owner }) : createMemoryReadCache({ ttlMs, now });
  const limiter = createRateLimiter(full.rateLimits, { now, marginMs, store });
  return {
    settings: full,
    limiter,
    breaker: createCircuitBreaker({ failureThreshold: full.breakerFailures, cooldownMs: full.breakerCooldownMs, now }),
    cache,
    close: async () => {
      await Promise.all([limiter.close(), cache?.close()]);
    },
  };
}
