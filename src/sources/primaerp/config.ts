import { resilienceFromEnv, type ResilienceSettings } from '../../http/resilience.js';
import { envValue, requireEnv, requireHttpUrl, type Env } from '../../core/env.js';

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
export function primaerpConfigFromEnv(env: Env): PrimaerpConfig | null {
  if (!envValue(env, 'PRIMAERP_BASE_URL')) return null;
  const because = 'primaERP is enabled because PRIMAERP_BASE_URL is set';
  const baseUrl = requireHttpUrl(env, 'PRIMAERP_BASE_URL', because);
  const apiKey = requireEnv(env, 'PRIMAERP_API_KEY', because);
  const secretKey = requireEnv(env, 'PRIMAERP_SECRET_KEY', because);
  return { baseUrl, apiKey, secretKey, resilience: resilienceFromEnv('PRIMAERP', env, PRIMAERP_RATE_LIMIT) };
}
