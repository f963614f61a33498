/** Reading a backend's configuration from the environment, the same way for every backend. */
import { ConfigError } from './types.js';

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
