/**
 * `npm run simulators`: runs every registered backend's simulator on its own and prints the
 * environment that points a gateway at them, then `Simulators ready.`. Ports: `<SOURCE>_SIM_PORT`
 * (e.g. LAUREL_SIM_PORT), else SIM_PORT_BASE + the backend's place in the registry (default base
 * 4101: 4101, 4102, …); 0 picks a free one, and SIM_PORT_BASE=0 free ones for all. SIM_RATE_LIMITS=off lifts the
 * vendors' rate limits (for benchmarks); SIM_ERROR_RATE=0.1 makes that share of requests fail with
 * 500 (for soak runs); SIM_BENCH=1 replays each read's first answer pre-serialized (for benchmarks).
 */
import { loadSimulators, type RunningSimulator } from './registry.js';

const base = Number(process.env.SIM_PORT_BASE ?? 4101);
const port = (name: string, index: number) => Number(process.env[name] ?? (base === 0 ? 0 : base + index));
const unlimited = process.env.SIM_RATE_LIMITS === 'off';

const definitions = await loadSimulators();
const sims: RunningSimulator[] = await Promise.all(
  definitions.map((d, i) => d.start({ port: port(`${d.source}_SIM_PORT`, i), unlimited })),
);
// SIM_BENCH=1: answers served again pre-serialized (see SimulatorHandle.replay), for the bench.
if (process.env.SIM_BENCH === '1') for (const sim of sims) sim.replay = true;
const errorRate = Number(process.env.SIM_ERROR_RATE ?? 0);
if (errorRate > 0) for (const sim of sims) sim.faults = { ...sim.faults, errorRate, errorStatus: 500 };

console.log('Simulators running. Configure a gateway with:');
for (const sim of sims) for (const [k, v] of Object.entries(sim.env)) console.log(`${k}=${v}`);
console.log('Simulators ready.');

const stop = async () => {
  await Promise.all(sims.map((s) => s.close()));
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
