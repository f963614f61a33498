/**
 * A faithful fake of Laurel's public entry API and its identity service, on one loopback server.
 * `env` configures the gateway for it with client credentials.
 */
import { distinct, UNLIMITED, type SimulatorDefinition } from '../common/definition.js';
import { startSimServer, createWindowLimiter, type SimulatorHandle } from '../common/server.js';
import { DEFAULT_ANCHOR_MS } from '../common/people.js';
import { createTokenIssuer } from './auth.js';
import { createWorld } from './data.js';
import { createLaurelHandler, nestError } from './routes.js';
import { createLaurelStore, type LaurelStore } from './store.js';

export interface LaurelSimulatorOptions {
  port?: number;
  seed?: number;
  /** End of the seeded period (epoch ms). */
  anchorMs?: number;
  /** Generated entries (the seeds' three examples come on top). */
  entryCount?: number;
  clientId?: string;
  clientSecret?: string;
  audience?: string;
  /** Lifetime of issued tokens, seconds (Laurel: 86400). */
  tokenLifetimeSeconds?: number;
  /** False: the v2 list and export answer 404, as on a deployment without them. */
  v2?: boolean;
  /** Requests allowed per window before 429 with Retry-After. */
  rateLimit?: { limit: number; windowMs: number };
  /** The simulator's clock (token expiry, write timestamps). */
  now?: () => number;
}

export interface LaurelSimulatorHandle extends SimulatorHandle {
  readonly store: LaurelStore;
  readonly customerId: string;
  /** Options that may be switched while it runs. */
  readonly settings: { v2: boolean };
  /** Makes every issued token invalid (as if they had expired). */
  expireTokens(): void;
}

export async function startLaurelSimulator(options: LaurelSimulatorOptions = {}): Promise<LaurelSimulatorHandle> {
  const {
    seed = 1,
    anchorMs = DEFAULT_ANCHOR_MS,
    entryCount = 400,
    clientId = 'laurel-sim-client',
    clientSecret = 'laurel-sim-secret',
    audience = 'https://timeautomation.com',
    tokenLifetimeSeconds = 86_400,
    rateLimit = { limit: 100_000, windowMs: 60_000 },
    now = Date.now,
  } = options;
  const store = createLaurelStore(createWorld({ seed, anchorMs, entryCount }));
  const issuer = createTokenIssuer({ secret: `laurel-sim-${seed}`, clientId, audience, lifetimeSeconds: tokenLifetimeSeconds });
  const limiter = createWindowLimiter(rateLimit.limit, rateLimit.windowMs, now);
  const settings = { v2: options.v2 ?? true };
  const handler = createLaurelHandler({
    store,
    issuer,
    clientId,
    clientSecret,
    audience,
    get v2() {
      return settings.v2;
    },
    now,
    rateLimit: () => limiter.take(),
  });
  const server = await startSimServer(handler, {
    port: options.port,
    seed,
    badJson: () => nestError(400, 'Unexpected token in JSON at position 0'),
    injectedError: (status) => nestError(status, status >= 500 ? 'Internal server error' : 'Injected error'),
  });
  const env = {
    LAUREL_BASE_URL: server.origin,
    LAUREL_CUSTOMER_ID: store.world.customerId,
    LAUREL_CLIENT_ID: clientId,
    LAUREL_CLIENT_SECRET: clientSecret,
    LAUREL_AUTH_URL: server.origin,
    LAUREL_AUDIENCE: audience,
  };
  return Object.assign(server, { env, store, customerId: store.world.customerId, settings, expireTokens: () => issuer.expireAll() });
}

/** Laurel for the simulator registry: client credentials, and the access tokens it issued. */
export const simulator: SimulatorDefinition = {
  source: 'LAUREL',
  async start({ port, unlimited, credentialTag: tag } = {}) {
    const sim = await startLaurelSimulator({
      port,
      ...(unlimited && { rateLimit: { limit: UNLIMITED, windowMs: 60_000 } }),
      ...(tag && { clientId: `LAUREL-ID-${tag}`, clientSecret: `LAUREL-SECRET-${tag}` }),
    });
    return Object.assign(sim, {
      source: 'LAUREL' as const,
      credentials: [sim.env.LAUREL_CLIENT_ID, sim.env.LAUREL_CLIENT_SECRET],
      issuedTokens: () => distinct(sim.requests.map((r) => r.headers.authorization?.replace(/^Bearer /, ''))),
      wrongCredentials: (wrong: string) => ({ LAUREL_CLIENT_SECRET: `WRONG-LAUREL-SECRET-${wrong}` }),
      conformance: {
        rateLimitFaults: { errorStatus: 429, retryAfter: '1' },
        expireTokens: sim.expireTokens,
        afterExpiry: 'renews' as const,
        // A real user's key with an entry id nobody has (its timestamp part keeps the lookup scan short).
        absentKey: `${sim.store.world.entries[0].userId}/${sim.store.world.entries[0]._id.slice(0, 8)}0000000000000000`,
        // Laurel has no people endpoint: a person is their id.
        absentPersonId: null,
        malformedKeys: [sim.store.world.entries[0]._id, `${sim.store.world.entries[0].userId}/xyz`, `${'g'.repeat(24)}/${'0'.repeat(24)}`],
      },
    });
  },
};
