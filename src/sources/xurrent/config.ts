import { resilienceFromEnv, type ResilienceSettings } from '../../http/resilience.js';
import { ConfigError } from '../types.js';

/** Xurrent's documented limits: 3600 requests an hour per token, bursts of 20 per 2 s. */
export const XURRENT_RATE_LIMIT = '20/2s,3600/1h';

export interface XurrentConfig {
  /** Everything before `/time_entries`, including `/v1` and any prefix of its own. */
  baseUrl: string;
  /** Sent as `Authorization: Bearer <token>`. */
  token: string;
  /** Sent as `X-4me-Account`. */
  account: string;
  /** XURRENT_CONNECT_TIMEOUT_MS, XURRENT_RATE_LIMIT, … (see http/resilience.ts). */
  resilience?: ResilienceSettings;
}

/** Null when XURRENT_BASE_URL is unset; ConfigError naming the first missing variable otherwise. */
export function xurrentConfigFromEnv(env: Readonly<Record<string, string | undefined>>): XurrentConfig | null {
  const baseUrl = env.XURRENT_BASE_URL?.trim();
  if (!baseUrl) return null;
  if (!URL.canParse(baseUrl) || !/^https?:$/.test(new URL(baseUrl).protocol)) {
    throw new ConfigError('XURRENT_BASE_URL must be an http(s) URL, such as https://api.xurrent.com/v1');
  }
  const token = env.XURRENT_TOKEN?.trim();
  if (!token) throw new ConfigError('XURRENT_TOKEN is required when XURRENT_BASE_URL is set');
  const account = env.XURRENT_ACCOUNT?.trim();
  if (!account) throw new ConfigError('XURRENT_ACCOUNT is required when XURRENT_BASE_URL is set');
  return { baseUrl, token, account, resilience: resilienceFromEnv('XURRENT', env, XURRENT_RATE_LIMIT) };
}
