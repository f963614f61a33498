/** Reading configuration from the environment, the same way everywhere (backends, server, limits). */
import { ConfigError } from './errors.js';

export type Env = Readonly<Record<string, string | undefined>>;

/** The variable's value, trimmed; undefined when unset or blank. */
export function envValue(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

/** The variable's value, or a ConfigError naming it and why it is needed. */
export function requireEnv(env: Env, name: string, because: string): string {
  const value = envValue(env, name);
  if (!value) throw new ConfigError(`${name} is not set (${because})`);
  return value;
}

/** An http(s) URL from the variable, or a ConfigError naming it. */
export function requireHttpUrl(env: Env, name: string, because: string): string {
  const value = requireEnv(env, name, because);
  if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) {
    throw new ConfigError(`${name} must be an http(s) URL`);
  }
  return value;
}

/** An integer from the variable within [min, max]; `fallback` when unset or blank; else a ConfigError naming it. */
export function integerEnv(env: Env, name: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const raw = envValue(env, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer between ${min} and ${max}, got ${JSON.stringify(raw)}`);
  }
  return value;
}
