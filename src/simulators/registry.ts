/**
 * The simulators, keyed by the same source names as `src/sources/registry.ts` and found by
 * convention: the backend registered with `field: 'name'` has its simulator in
 * `src/simulators/name/index.ts`, exporting `simulator: SimulatorDefinition`. So registering a
 * backend registers its simulator, and production code never loads this demo code: only demo mode
 * (`npm start` without configuration), `npm run simulators`, the bench and the tests import this file.
 */
import type { TimeSource } from '../core/contract.js';
import { SOURCES } from '../sources/registry.js';
import type { RunningSimulator, SimulatorDefinition, SimulatorStartOptions } from './common/definition.js';

export type { RunningSimulator, SimulatorDefinition, SimulatorStartOptions } from './common/definition.js';

let loaded: Promise<readonly SimulatorDefinition[]> | undefined;

/** Every registered backend's simulator, in registry order. */
export function loadSimulators(): Promise<readonly SimulatorDefinition[]> {
  loaded ??= Promise.all(
    SOURCES.map(async ({ source, field }) => {
      const specifier = `./${field}/index.js`;
      const module = (await import(/* @vite-ignore */ specifier)) as { simulator?: SimulatorDefinition };
      if (module.simulator?.source !== source) {
        throw new Error(`src/simulators/${field}/index.ts must export \`simulator\`, a SimulatorDefinition for ${source}`);
      }
      return module.simulator;
    }),
  );
  return loaded;
}

/** Running simulators of every registered backend, and the environment that points a gateway at them. */
export interface SimulatorSet {
  readonly all: readonly RunningSimulator[];
  /** By source name. */
  get(source: TimeSource): RunningSimulator;
  readonly env: Record<string, string>;
  close(): Promise<void>;
}

/** Starts every registered backend's simulator; `perSource` adds options for some of them. */
export async function startSimulators(
  options: SimulatorStartOptions = {},
  perSource: Partial<Record<TimeSource, SimulatorStartOptions>> = {},
): Promise<SimulatorSet> {
  const definitions = await loadSimulators();
  const all = await Promise.all(definitions.map((d) => d.start({ ...options, ...perSource[d.source] })));
  const bySource = new Map(all.map((sim) => [sim.source, sim] as const));
  return {
    all,
    get(source) {
      const sim = bySource.get(source);
      if (!sim) throw new Error(`no simulator runs for ${source}`);
      return sim;
    },
    env: Object.assign({}, ...all.map((sim) => sim.env)) as Record<string, string>,
    close: async () => {
      await Promise.all(all.map((sim) => sim.close()));
    },
  };
}
