import { createPrimaerpAdapter, type PrimaerpAdapter } from '../../../src/sources/primaerp/adapter.js';
import { primaerp } from '../../../src/sources/primaerp/index.js';
import type { EntryBatch, EntryModel, ListRequest } from '../../../src/core/contract.js';
import { startPrimaerpSimulator, type PrimaerpSimulatorHandle, type PrimaerpSimulatorOptions } from '../../../src/simulators/primaerp/index.js';

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
  const batches: EntryBatch[] = [];
  for await (const batch of adapter.list(request)) batches.push(batch);
  return { batches, entries: batches.flatMap((b) => b.entries) };
}
