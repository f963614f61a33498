import { resilienceFromEnv, type ResilienceSettings } from '../../http/resilience.js';
import { envValue as value, requireEnv, requireHttpUrl, type Env } from '../../core/env.js';
import { ConfigError } from '../../core/errors.js';

export const DEFAULT_LAUREL_AUDIENCE = 'https://timeautomation.com';

export type LaurelAuthConfig =
  | { kind: 'token'; token: string }
  | { kind: 'clientCredentials'; clientId: string; clientSecret: string; authUrl: string; audience: string };

export interface LaurelConfig {
  /** Everything before `/api/…`; its own path prefix is kept. */
  baseUrl: string;
  customerId: string;
  auth: LaurelAuthConfig;
  /** LAUREL_CONNECT_TIMEOUT_MS, LAUREL_RATE_LIMIT (default off), … (see http/resilience.ts). */
  resilience?: ResilienceSettings;
}

/**
 * Laurel is enabled when LAUREL_BASE_URL is set. Auth is LAUREL_TOKEN, or else client credentials
 * (LAUREL_CLIENT_ID, LAUREL_CLIENT_SECRET, LAUREL_AUTH_URL, optional LAUREL_AUDIENCE).
 */
export function laurelConfigFromEnv(env: Env): LaurelConfig | null {
  if (!value(env, 'LAUREL_BASE_URL')) return null;
  const baseUrl = requireHttpUrl(env, 'LAUREL_BASE_URL', 'it enables Laurel');
  const customerId = requireEnv(env, 'LAUREL_CUSTOMER_ID', 'Laurel is enabled because LAUREL_BASE_URL is set');
  const token = value(env, 'LAUREL_TOKEN');
  const resilience = resilienceFromEnv('LAUREL', env, 'off');
  if (token) return { baseUrl, customerId, auth: { kind: 'token', token }, resilience };
  const clientId = value(env, 'LAUREL_CLIENT_ID');
  const clientSecret = value(env, 'LAUREL_CLIENT_SECRET');
  if (!clientId && !clientSecret && !value(env, 'LAUREL_AUTH_URL')) {
    throw new ConfigError('LAUREL_TOKEN is not set (or set LAUREL_CLIENT_ID, LAUREL_CLIENT_SECRET and LAUREL_AUTH_URL)');
  }
  if (!clientId) throw new ConfigError('LAUREL_CLIENT_ID is not set (needed without LAUREL_TOKEN)');
  if (!clientSecret) throw new ConfigError('LAUREL_CLIENT_SECRET is not set (needed with LAUREL_CLIENT_ID)');
  const authUrl = requireHttpUrl(env, 'LAUREL_AUTH_URL', 'needed with client credentials');
  const audience = value(env, 'LAUREL_AUDIENCE') ?? DEFAULT_LAUREL_AUDIENCE;
  return { baseUrl, customerId, auth: { kind: 'clientCredentials', clientId, clientSecret, authUrl, audience }, resilience };
}
