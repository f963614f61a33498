/**
 * primaERP test stacks: `startRig` is the simulator and an adapter over loopback (the adapter tests);
 * `startPrimaerpStack` the simulator and a gateway with only primaERP configured (the write tests).
 */
import { collectBatches } from '../../support/batches.js';
import { createPrimaerpAdapter, type PrimaerpAdapter } from '../../../src/sources/primaerp/adapter.js';
import { primaerp } from '../../../src/sources/primaerp/index.js';
import type { EntryBatch, EntryModel, ListRequest } from '../../../src/core/contract.js';
import { startPrimaerpSimulator, type PrimaerpSimulatorHandle, type PrimaerpSimulatorOptions } from '../../../src/simulators/primaerp/index.js';
import { serveGateway, type GraphQLResponse } from '../../support/stack.js';

export interface Rig {
  sim: PrimaerpSimulatorHandle;
  adapter: PrimaerpAdapter;
  /** Requests other than the login. */
  calls(): Array<{ method: string; path: string; query: URLSearchParams }>;
  close(): Promise<void>;
}

export async function startRig(options: PrimaerpSimulatorOptions = {}, adapterOptions: { now?: () => number } = {}): Promise<Rig> {
  const sim = await startPrimaerpSimulator(options);
  const config = primaerp.configFromEnv(sim.env)!;
  const adapter = createPrimaerpAdapter(config, adapterOptions);
  return {
    sim,
    adapter,
    calls: () => sim.requests.filter((r) => !r.path.endsWith('/v1/auth/login')),
    close: async () => {
      await adapter.close();
      await sim.close();
    },
  };
}

export async function collect(adapter: PrimaerpAdapter, request: ListRequest): Promise<{ batches: EntryBatch[]; entries: EntryModel[] }> {
  const batches = await collectBatches(adapter, request);
  return { batches, entries: batches.flatMap((b) => b.entries) };
}

/**
 * The primaERP simulator plus a gateway with only primaERP configured, over loopback: what the write
 * tests drive end to end. `upstream()` lists the requests after the login, so tests count calls.
 */
export interface PrimaerpStack {
  sim: PrimaerpSimulatorHandle;
  gql<T = any>(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>>;
  /** Upstream requests other than logins, as `METHOD path?query`. */
  upstream(): string[];
  resetRequests(): void;
  close(): Promise<void>;
}

export async function startPrimaerpStack(): Promise<PrimaerpStack> {
  const sim = await startPrimaerpSimulator();
  const served = await serveGateway(sim.env);
  return {
    sim,
    gql: served.gql,
    upstream: () =>
      sim.requests
        .filter((r) => !r.path.endsWith('/v1/auth/login'))
        .map((r) => {
          const q = new URLSearchParams(r.query);
          q.delete('token');
          const qs = q.toString();
          return `${r.method} ${r.path}${qs ? `?${decodeURIComponent(qs)}` : ''}`;
        }),
    resetRequests: () => {
      sim.requests.length = 0;
    },
    close: async () => {
      await served.close();
      await sim.close();
    },
  };
}
