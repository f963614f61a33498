import { resilienceFromEnv, type ResilienceSettings } from '../../http/resilience.js';
import { envValue, requireEnv, requireHttpUrl, type Env } from '../../core/env.js';

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
export function xurrentConfigFromEnv(env: Env): XurrentConfig | null {
  if (!envValue(env, 'XURRENT_BASE_URL')) return null;
  const because = 'Xurrent is enabled because XURRENT_BASE_URL is set';
  const baseUrl = requireHttpUrl(env, 'XURRENT_BASE_URL', because);
  const token = requireEnv(env, 'XURRENT_TOKEN', because);
  const account = requireEnv(env, 'XURRENT_ACCOUNT', because);
  return { baseUrl, token, account, resilience: resilienceFromEnv('XURRENT', env, XURRENT_RATE_LIMIT) };
}
