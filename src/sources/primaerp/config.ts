import { resilienceFromEnv, type ResilienceSettings } from '../../http/resilience.js';
import { ConfigError } from '../types.js';

/** primaERP's documented limit: 500 requests per 10 s per account. */
export const PRIMAERP_RATE_LIMIT = '500/10s';

export interface PrimaerpConfig {
  /** Everything before `/v1/…`; its own path prefix is kept. */
  baseUrl: string;
  apiKey: string;
  secretKey: string;
  /** PRIMAERP_CONNECT_TIMEOUT_MS, PRIMAERP_RATE_LIMIT, … (see http/resilience.ts). */
  resilience?: ResilienceSettings;
}

/** PRIMAERP_BASE_URL enables the backend; PRIMAERP_API_KEY and PRIMAERP_SECRET_KEY are then required. */
export function primaerpConfigFromEnv(env: Readonly<Record<string, string | undefined>>): PrimaerpConfig | null {
  const baseUrl = env.PRIMAERP_BASE_URL?.trim();
  if (!baseUrl) return null;
  try {
    const url = new URL(baseUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('protocol');
  } catch {
    throw new ConfigError('PRIMAERP_BASE_URL must be an http(s) URL');
  }
  const apiKey = env.PRIMAERP_API_KEY?.trim();
  if (!apiKey) throw new ConfigError('PRIMAERP_API_KEY is required when PRIMAERP_BASE_URL is set');
  const secretKey = env.PRIMAERP_SECRET_KEY?.trim();
  if (!secretKey) throw new ConfigError('PRIMAERP_SECRET_KEY is required when PRIMAERP_BASE_URL is set');
  return { baseUrl, apiKey, secretKey, resilience: resilienceFromEnv('PRIMAERP', env, PRIMAERP_RATE_LIMIT) };
}
