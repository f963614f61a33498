import { collectBatches } from '../../support/batches.js';
import { encodeId } from '../../../src/core/ids.js';
import { serveGateway } from '../../support/stack.js';
import { startLaurelSimulator, type LaurelSimulatorOptions, type LaurelSimulatorHandle } from '../../../src/simulators/laurel/index.js';
import { createLaurelAdapter, type LaurelAdapter, type LaurelAdapterOptions } from '../../../src/sources/laurel/adapter.js';
import { laurelConfigFromEnv } from '../../../src/sources/laurel/config.js';
import type { EntryBatch, ListRequest } from '../../../src/core/contract.js';

export async function setup(simOptions: LaurelSimulatorOptions = {}, adapterOptions: LaurelAdapterOptions = {}, env: Record<string, string> = {}) {
  const sim = await startLaurelSimulator(simOptions);
  const adapter = createLaurelAdapter(laurelConfigFromEnv({ ...sim.env, ...env })!, adapterOptions);
  return { sim, adapter, close: async () => Promise.all([adapter.close(), sim.close()]) };
}

export const collect = (adapter: LaurelAdapter, request: ListRequest): Promise<EntryBatch[]> => collectBatches(adapter, request);

export const apiRequests = (sim: LaurelSimulatorHandle) => sim.requests.filter((r) => r.path.startsWith('/api/v') && !r.path.includes('oauth'));
export const tokenRequests = (sim: LaurelSimulatorHandle) => sim.requests.filter((r) => r.path === '/api/v1/oauth/token');

/**
 * The Laurel simulator and a gateway with only Laurel configured, over loopback; `env` adds gateway
 * settings (e.g. REDIS_URL). `gql` posts an operation; `writes()` lists the API calls since `reset()`.
 */
export async function startLaurelGateway(simOptions: LaurelSimulatorOptions = {}, env: Record<string, string> = {}) {
  const sim = await startLaurelSimulator(simOptions);
  const served = await serveGateway({ ...sim.env, ...env });
  return {
    sim,
    gql: served.gql,
    /** Global id of a simulator entry. */
    idOf: (e: { userId: string; _id: string }) => encodeId('TimeEntry', 'LAUREL', `${e.userId}/${e._id}`),
    reset: () => void (sim.requests.length = 0),
    calls: () => apiRequests(sim).map((r) => `${r.method} ${r.path.replace(/[0-9a-f]{24}/g, ':id')}`),
    close: async () => {
      await served.close();
      await sim.close();
    },
  };
}
