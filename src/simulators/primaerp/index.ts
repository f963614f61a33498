/**
 * A faithful primaERP simulator: token login, `?token=` on every call, OData lists, the time record
 * writes and the account-wide rate limit answered with 503 PE01-9002. See routes.ts for the protocol.
 */
import { distinct, UNLIMITED, type SimulatorDefinition } from '../common/definition.js';
import { randomBytes } from 'node:crypto';
import { DEFAULT_ANCHOR_MS } from '../common/people.js';
import { createWindowLimiter, startSimServer, type SimRequest, type SimResponse, type SimulatorHandle } from '../common/server.js';
import { formatMsJsonDate } from '../../units/dates.js';
import { errorBody, route } from './routes.js';
import { PrimaerpStore } from './store.js';

export { PrimaerpStore } from './store.js';
export { DUMMY_RECORD } from './dummy-record.js';

export interface PrimaerpSimulatorOptions {
  /** 0 or absent: a free port. */
  port?: number;
  seed?: number;
  /** End of the seeded period. */
  anchorMs?: number;
  /** Generated records besides seed 004's Dummy record. */
  recordCount?: number;
  /** Days before the anchor the records spread over. */
  days?: number;
  /** Path prefix the API is served under (the gateway's base URL keeps it). */
  basePath?: string;
  apiKey?: string;
  /** The account's secret key (HTTP Basic user, empty password). */
  secretKey?: string;
  /** A user login that also works (HTTP Basic email:password). */
  login?: { email: string; password: string };
  tokenLifetimeMs?: number;
  refreshLifetimeMs?: number;
  /** Requests per window per account; over it: 503 PE01-9002. */
  rateLimit?: { limit: number; windowMs: number };
  /** Clock of tokens, rate limit and write timestamps. */
  now?: () => number;
}

export interface PrimaerpSimulatorHandle extends SimulatorHandle {
  readonly store: PrimaerpStore;
  /** Successful logins so far (token renewals show here). */
  readonly logins: number;
  /** Makes every issued token invalid (as if they had expired). */
  expireTokens(): void;
}

export async function startPrimaerpSimulator(options: PrimaerpSimulatorOptions = {}): Promise<PrimaerpSimulatorHandle> {
  const {
    seed = 1,
    anchorMs = DEFAULT_ANCHOR_MS,
    recordCount = 420,
    days = 180,
    apiKey = 'sim-primaerp-api-key',
    secretKey = 'sim-primaerp-secret-key',
    login = { email: 'admin@example.com', password: 'sim-password' },
    tokenLifetimeMs = 3_600_000,
    refreshLifetimeMs = 30 * 86_400_000,
    rateLimit = { limit: 500, windowMs: 10_000 },
    now = Date.now,
  } = options;
  const basePath = (options.basePath ?? '').replace(/\/+$/, '');
  const store = new PrimaerpStore({ seed, anchorMs, recordCount, days }, now);
  const limiter = createWindowLimiter(rateLimit.limit, rateLimit.windowMs, now);
  const tokens = new Map<string, number>();
  const refreshTokens = new Map<string, number>();
  let logins = 0;

  const unauthorized = (description: string) => errorBody(401, 'PE01-2001', 'Unauthorized', description);

  function issue(): SimResponse {
    const t = now();
    const token = randomBytes(16).toString('hex');
    const refreshToken = randomBytes(16).toString('hex');
    tokens.set(token, t + tokenLifetimeMs);
    refreshTokens.set(refreshToken, t + refreshLifetimeMs);
    logins += 1;
    return {
      status: 200,
      body: { token, expiration: formatMsJsonDate(t + tokenLifetimeMs), refreshToken, refreshExpiration: formatMsJsonDate(t + refreshLifetimeMs) },
    };
  }

  function checkLogin(req: SimRequest): SimResponse {
    const failed = errorBody(401, 'PE01-2002', 'Login failed', 'The API key or the credentials are wrong.');
    if (req.query.get('apikey') !== apiKey) return failed;
    const auth = /^Basic\s+(.+)$/i.exec(String(req.headers.authorization ?? ''));
    if (!auth) return failed;
    const decoded = Buffer.from(auth[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const user = colon < 0 ? decoded : decoded.slice(0, colon);
    const password = colon < 0 ? '' : decoded.slice(colon + 1);
    const ok = (user === secretKey && password === '') || (user === login.email && password === login.password);
    return ok ? issue() : failed;
  }

  function handle(req: SimRequest): SimResponse {
    if (limiter.take() !== null) {
      const answer = errorBody(503, 'PE01-9002', 'Too many requests', `At most ${rateLimit.limit} requests per ${rateLimit.windowMs / 1000} s are allowed.`);
      return { ...answer, headers: { 'retry-after': String(Math.max(1, Math.ceil(rateLimit.windowMs / 1000))) } };
    }
    if (basePath && !req.path.startsWith(`${basePath}/`)) return errorBody(404, 'PE01-1104', 'Not found', 'The resource does not exist.');
    const path = req.path.slice(basePath.length);
    const segments = path.split('/').filter(Boolean).map(decodeURIComponent);
    if (segments[0] === 'v1' && segments[1] === 'auth') {
      if (req.method !== 'GET') return errorBody(405, 'PE01-1105', 'Method not allowed', 'This method is not allowed on this resource.');
      if (segments[2] === 'login' && segments.length === 3) return checkLogin(req);
      if (segments[2] === 'refresh' && segments.length === 3) {
        const r = req.query.get('refreshToken') ?? '';
        const until = refreshTokens.get(r);
        if (until === undefined || until <= now()) return unauthorized('The refresh token is unknown or expired.');
        refreshTokens.delete(r);
        return issue();
      }
      return errorBody(404, 'PE01-1104', 'Not found', 'The resource does not exist.');
    }
    const token = req.query.get('token');
    if (!token) return unauthorized('The token is missing.');
    const until = tokens.get(token);
    if (until === undefined || until <= now()) return unauthorized('The token is unknown or expired.');
    return route(store, req, segments);
  }

  const server = await startSimServer(handle, {
    port: options.port,
    seed,
    badJson: () => errorBody(400, 'PE01-1103', 'Malformed body', 'The body is not valid JSON.'),
    injectedError: (status) =>
      status === 503
        ? errorBody(503, 'PE01-9002', 'Too many requests', 'Injected rate limit.')
        : errorBody(status, status >= 500 ? 'PE01-9001' : 'PE01-1102', 'Injected error', 'A fault injected by the test.'),
  });

  const simulator = Object.assign(server, {
    env: { PRIMAERP_BASE_URL: server.origin + basePath, PRIMAERP_API_KEY: apiKey, PRIMAERP_SECRET_KEY: secretKey },
    store,
    expireTokens: () => tokens.clear(),
  });
  return Object.defineProperty(simulator, 'logins', { get: () => logins, enumerable: true }) as typeof simulator & { readonly logins: number };
}

/** primaERP for the simulator registry: API key and secret key (sent as HTTP Basic), session tokens. */
export const simulator: SimulatorDefinition = {
  source: 'PRIMAERP',
  async start({ port, unlimited, credentialTag: tag } = {}) {
    const sim = await startPrimaerpSimulator({
      port,
      ...(unlimited && { rateLimit: { limit: UNLIMITED, windowMs: 10_000 } }),
      ...(tag && { apiKey: `PRIMAERP-KEY-${tag}`, secretKey: `PRIMAERP-SECRET-${tag}` }),
    });
    const { PRIMAERP_API_KEY: apiKey, PRIMAERP_SECRET_KEY: secretKey } = sim.env;
    return Object.assign(sim, {
      source: 'PRIMAERP' as const,
      credentials: [apiKey, secretKey, Buffer.from(`${secretKey}:`).toString('base64')],
      issuedTokens: () => distinct(sim.requests.map((r) => r.query.get('token'))),
      wrongCredentials: (wrong: string) => ({ PRIMAERP_SECRET_KEY: `WRONG-PRIMAERP-SECRET-${wrong}` }),
      conformance: {
        // primaERP answers its account-wide limit with 503 PE01-9002 (see injectedError above).
        rateLimitFaults: { errorStatus: 503, retryAfter: '1' },
        expireTokens: sim.expireTokens,
        afterExpiry: 'renews' as const,
        absentKey: '00000000-0000-4000-8000-000000000000',
        absentPersonId: '00000000-0000-4000-8000-000000000001',
        malformedKeys: ['0a9c3af3-4bf7-4435-b4e7-cb66da03199', '0a9c3af3-4bf7-4435-b4e7-cb66da03199g', '0a9c3af34bf74435b4e7cb66da031996'],
      },
    });
  },
};
