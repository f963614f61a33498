/**
 * The server's own configuration, read from the environment in this one place (the backends read
 * theirs through the registry, security settings in `security/config.ts`, resilience settings in
 * `http/resilience.ts`). Incomplete or invalid values throw a ConfigError naming the variable.
 */
import type { SourceAdapter } from '../core/contract.js';
import { ConfigError } from '../core/errors.js';
import { envValue, integerEnv, type Env } from '../core/env.js';
import { DEFAULT_OPERATION_TIMEOUT_MS } from '../http/operation-scope.js';
import { SOURCES } from '../sources/registry.js';

export interface GatewayConfig {
  port: number;
  host: string;
  /** One factory per enabled backend, its configuration already validated. */
  adapters: Array<() => SourceAdapter>;
  /** Deadline of one GraphQL operation (OPERATION_TIMEOUT_MS). */
  operationTimeoutMs: number;
  /** Redis for idempotency keys (and, read by each backend, the shared rate-limit budgets); undefined: kept in memory. */
  redisUrl?: string;
  logLevel: 'debug' | 'warn';
  /** TIMEGRAPH_LOG_FORMAT: `json` lines (the default in production) or yoga's readable `pretty` lines. */
  logFormat: 'json' | 'pretty';
  /**
   * TIMEGRAPH_METRICS_PORT: `/metrics` is served on this port only (for a scraper on the internal
   * network, no client authentication); unset: on the gateway's port, behind the client authentication.
   */
  metricsPort?: number;
}

/** Reads the configuration. A backend is enabled when its base URL is set. */
export function loadConfig(env: Env): GatewayConfig {
  return {
    port: integerEnv(env, 'PORT', 4000, 0, 65535),
    host: envValue(env, 'HOST') ?? '127.0.0.1',
    adapters: enabledAdapters(env),
    operationTimeoutMs: integerEnv(env, 'OPERATION_TIMEOUT_MS', DEFAULT_OPERATION_TIMEOUT_MS, 1),
    redisUrl: envValue(env, 'REDIS_URL'),
    logLevel: envValue(env, 'LOG_LEVEL') === 'debug' ? 'debug' : 'warn',
    logFormat: logFormat(env),
    metricsPort: envValue(env, 'TIMEGRAPH_METRICS_PORT') === undefined ? undefined : integerEnv(env, 'TIMEGRAPH_METRICS_PORT', 0, 0, 65535),
  };
}

function logFormat(env: Env): 'json' | 'pretty' {
  const raw = envValue(env, 'TIMEGRAPH_LOG_FORMAT');
  if (raw === undefined) return env.NODE_ENV === 'production' ? 'json' : 'pretty';
  if (raw === 'json' || raw === 'pretty') return raw;
  throw new ConfigError(`TIMEGRAPH_LOG_FORMAT must be json or pretty, got ${JSON.stringify(raw)}`);
}

function enabledAdapters(env: Env): Array<() => SourceAdapter> {
  return SOURCES.map((source) => source.adapterFromEnv(env)).filter((f): f is () => SourceAdapter => f !== null);
}

/** True when no backend's base URL is set: `npm start` then runs the built-in simulators. */
export function noBackendConfigured(env: Env): boolean {
  return enabledAdapters(env).length === 0;
}
