/**
 * What every simulator offers to demo mode, `npm run simulators`, the bench and the tests: a start
 * with the options they all share, and enough about its credentials for the leak tests to search
 * for every registered backend's secrets without knowing the backend.
 */
import type { TimeSource } from '../../core/contract.js';
import type { Faults, SimulatorHandle } from './server.js';

export interface SimulatorStartOptions {
  /** 0 or absent: a free loopback port. */
  port?: number;
  /** Lifts the vendor's rate limits (benchmarks, tests that walk hundreds of pages). */
  unlimited?: boolean;
  /**
   * Makes every credential the simulator accepts a distinctive value containing this tag (tests
   * search responses and logs for them); absent: the simulator's fixed demo credentials.
   */
  credentialTag?: string;
}

export interface RunningSimulator extends SimulatorHandle {
  readonly source: TimeSource;
  /** Every credential the gateway is configured with (see `env`), also in the forms sent upstream. */
  readonly credentials: readonly string[];
  /** Tokens the simulated backend issued to the gateway so far (access or session tokens). */
  issuedTokens(): string[];
  /** Environment overrides with credentials the backend refuses (its 401 path), each containing `tag`. */
  wrongCredentials(tag: string): Record<string, string>;
  /** What the backend conformance kit (test/conformance/) needs to drive this backend. */
  readonly conformance: ConformanceHooks;
}

/**
 * The per-backend knowledge of the conformance kit, declared by each simulator so that the kit itself
 * is written once for every registered backend.
 */
export interface ConformanceHooks {
  /** Fault switches (see `Faults`) that make the simulator give its vendor's rate-limit answer. */
  readonly rateLimitFaults: Partial<Faults>;
  /** Makes every token issued so far (or the configured fixed token) invalid, as their expiry would. */
  expireTokens(): void;
  /**
   * What the gateway does after `expireTokens()`: renews its token and carries on (`'renews'`), or,
   * holding a fixed token it cannot renew, fails with SOURCE_UNAUTHENTICATED (`'unauthenticated'`).
   */
  readonly afterExpiry: 'renews' | 'unauthenticated';
  /** A well-formed entry key that no entry has. */
  readonly absentKey: string;
  /** A well-formed person id that is nobody's; null where every well-formed id is a person. */
  readonly absentPersonId: string | null;
  /** Keys of the backend's own shapes that `isValidKey` must refuse (the kit adds generic ones). */
  readonly malformedKeys: readonly string[];
}

export interface SimulatorDefinition {
  readonly source: TimeSource;
  start(options?: SimulatorStartOptions): Promise<RunningSimulator>;
}

/** A large limit: what `unlimited` sets the vendor's rate limits to. */
export const UNLIMITED = 1_000_000_000;

/** The distinct non-empty values of `list`, in order. */
export const distinct = (list: Array<string | null | undefined>): string[] => [...new Set(list.filter((v): v is string => !!v))];
