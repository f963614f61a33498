/**
 * What every simulator offers to demo mode, `npm run simulators`, the bench and the tests: a start
 * with the options they all share, and enough about its credentials for the leak tests to search
 * for every registered backend's secrets without knowing the backend.
 */
import type { TimeSource } from '../../core/contract.js';
import type { SimulatorHandle } from './server.js';

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
}

export interface SimulatorDefinition {
  readonly source: TimeSource;
  start(options?: SimulatorStartOptions): Promise<RunningSimulator>;
}

/** A large limit: what `unlimited` sets the vendor's rate limits to. */
export const UNLIMITED = 1_000_000_000;

/** The distinct non-empty values of `list`, in order. */
export const distinct = (list: Array<string | null | undefined>): string[] => [...new Set(list.filter((v): v is string => !!v))];
