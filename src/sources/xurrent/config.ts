import { ConfigError } from '../types.js';

export interface XurrentConfig {
  /** Everything before `/time_entries`, including `/v1` and any prefix of its own. */
  baseUrl: string;
  /** Sent as `Authorization: Bearer <token>`. */
  token: string;
  /** Sent as `X-4me-Account`. */
  account: string;
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
  return { baseUrl, token, account };
}
