/**
 * A faithful fake of the Xurrent (4me) Time Entries and People APIs, served under `/v1` on loopback.
 */
import { distinct, UNLIMITED, type SimulatorDefinition } from '../common/definition.js';
import { DEFAULT_ANCHOR_MS } from '../common/people.js';
import { startSimServer, type SimulatorHandle } from '../common/server.js';
import { seedEntries, seedPeople } from './data.js';
import { createHandler, type XurrentRateLimit } from './routes.js';
import { createStore, type XurrentStore } from './store.js';

export type { XurrentStore } from './store.js';
export type { XurrentRateLimit } from './routes.js';

export interface XurrentSimulatorOptions {
  port?: number;
  /** Seed of the generated data (default 4). */
  seed?: number;
  /** End of the seeded period (default DEFAULT_ANCHOR_MS); the simulator's clock starts here. */
  anchorMs?: number;
  /** Generated entries besides the seed's two (default 420). */
  count?: number;
  /** The simulator's clock (default: `anchorMs` plus the real time elapsed since start). */
  now?: () => number;
  /** Accepted bearer token (default `xurrent-sim-token`). */
  token?: string;
  /** Accepted `X-4me-Account` (default `wna-it`, the seed's account). */
  account?: string;
  /** The token is rejected from this instant on (simulator clock). */
  tokenExpiresAtMs?: number;
  /** Per-token limits; the vendor's defaults are 3600 an hour and 20 per 2 s. */
  rateLimit?: Partial<XurrentRateLimit>;
}

export interface XurrentSimulatorHandle extends SimulatorHandle {
  /** The in-memory state, for tests. */
  readonly store: XurrentStore;
  /** The personal access token expires now. */
  expireToken(): void;
}

export async function startXurrentSimulator(options: XurrentSimulatorOptions = {}): Promise<XurrentSimulatorHandle> {
  const {
    seed = 4, anchorMs = DEFAULT_ANCHOR_MS, count, token = 'xurrent-sim-token', account = 'wna-it', tokenExpiresAtMs,
  } = options;
  const started = Date.now();
  const now = options.now ?? (() => anchorMs + (Date.now() - started));
  const store = createStore(seedEntries({ seed, anchorMs, count }), seedPeople(), now);
  const rate: XurrentRateLimit = { perHour: 3600, burst: 20, burstWindowMs: 2000, ...options.rateLimit };
  const auth = { token, account, tokenExpiresAtMs };
  const server = await startSimServer(createHandler(store, auth, rate), {
    port: options.port,
    seed,
    badJson: () => ({ status: 400, body: { message: 'The request body is not valid JSON' } }),
    injectedError: (status) => ({ status, body: { message: status === 429 ? 'Too Many Requests' : 'Internal Server Error' }, headers: status === 429 ? { 'Retry-After': '1' } : undefined }),
  });
  return Object.assign(server, {
    env: { XURRENT_BASE_URL: `${server.origin}/v1`, XURRENT_TOKEN: token, XURRENT_ACCOUNT: account },
    store,
    expireToken: () => void (auth.tokenExpiresAtMs = now()),
  });
}

/** Xurrent for the simulator registry: a personal access token and the account it is sent with. */
export const simulator: SimulatorDefinition = {
  source: 'XURRENT',
  async start({ port, unlimited, credentialTag: tag } = {}) {
    const sim = await startXurrentSimulator({
      port,
      ...(unlimited && { rateLimit: { perHour: UNLIMITED, burst: UNLIMITED } }),
      ...(tag && { token: `XURRENT-TOKEN-${tag}`, account: `XURRENT-ACCOUNT-${tag}` }),
    });
    return Object.assign(sim, {
      source: 'XURRENT' as const,
      credentials: [sim.env.XURRENT_TOKEN, sim.env.XURRENT_ACCOUNT],
      issuedTokens: () => [],
      wrongCredentials: (wrong: string) => ({ XURRENT_TOKEN: `WRONG-XURRENT-TOKEN-${wrong}` }),
      conformance: {
        rateLimitFaults: { errorStatus: 429, retryAfter: '1' },
        expireTokens: sim.expireToken,
        // A personal access token is renewed by a person, not by the gateway.
        afterExpiry: 'unauthenticated' as const,
        absentKey: String(Math.max(...sim.store.entries.keys()) + 1000),
        absentPersonId: String(Math.max(...sim.store.people.keys()) + 1000),
        malformedKeys: ['0', '-1', '1.5', '1e3', '0x10', '1234567890123456'],
      },
    });
  },
};
