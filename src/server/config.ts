import { SOURCES } from '../sources/registry.js';
import { ConfigError, type SourceAdapter } from '../sources/types.js';

export interface GatewayConfig {
  port: number;
  /** One factory per enabled backend, its configuration already validated. */
  adapters: Array<() => SourceAdapter>;
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Reads the configuration from the environment. A backend is enabled when its base URL is set;
 * incomplete configuration throws a ConfigError that names the missing variable.
 */
export function loadConfig(env: Env): GatewayConfig {
  const port = Number(env.PORT ?? 4000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`PORT must be a port number, got ${JSON.stringify(env.PORT)}`);
  const adapters = SOURCES.map((source) => source.adapterFromEnv(env)).filter((f): f is () => SourceAdapter => f !== null);
  return { port, adapters };
}

/** True when no backend's base URL is set: `npm start` then runs the built-in simulators. */
export function noBackendConfigured(env: Env): boolean {
  return loadConfig(env).adapters.length === 0;
}
