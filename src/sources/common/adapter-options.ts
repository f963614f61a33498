/**
 * What every backend's `create<X>Adapter(config, options)` takes and owns: the same injection options
 * for all three (tests pass a dispatcher, a clock, a shared resilience or a ready client), and the
 * resilience and client it then closes.
 */
import type { Dispatcher } from 'undici';
import type { CircuitStatus } from '../../core/contract.js';
import { createResilience, type BudgetOwner, type Resilience, type ResilienceSettings } from '../../http/resilience.js';

export interface AdapterOptions<Client> {
  /** Dispatcher of the backend's API calls (default: a keep-alive pool of its own). */
  dispatcher?: Dispatcher;
  /** Dispatcher of a separate identity service, where the backend has one (Laurel). */
  authDispatcher?: Dispatcher;
  /** The clock of token lifetimes and open windows (default: `Date.now`). */
  now?: () => number;
  /** Timeouts, retries, limiter and breaker shared with others; not closed by the adapter. */
  resilience?: Resilience;
  /** A ready client; the dispatchers are then unused. Closed with the adapter. */
  client?: Client;
}

interface Closable {
  close(): Promise<void>;
}

/** The client and resilience of an adapter, with its `status` and `close`. */
export interface AdapterResources<Client extends Closable> {
  client: Client;
  resilience: Resilience;
  status(): CircuitStatus;
  close(): Promise<void>;
}

/**
 * The resilience given, else one of the adapter's own with the backend's settings and budget owner;
 * the client given, else `createClient(resilience)`. `close` closes the client, and the resilience
 * only when it is the adapter's own.
 */
export function adapterResources<Client extends Closable>(
  options: AdapterOptions<Client>,
  settings: Partial<ResilienceSettings> | undefined,
  owner: BudgetOwner,
  createClient: (resilience: Resilience) => Client,
): AdapterResources<Client> {
  const resilience = options.resilience ?? createResilience(settings, Date.now, owner);
  const client = options.client ?? createClient(resilience);
  return {
    client,
    resilience,
    status: () => resilience.breaker.status(),
    close: async () => {
      await client.close();
      if (!options.resilience) await resilience.close();
    },
  };
}
