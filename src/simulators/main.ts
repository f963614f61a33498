/**
 * `npm run simulators`: runs the three backend simulators on their own and prints the environment
 * that points a gateway at them. Ports: LAUREL_SIM_PORT, XURRENT_SIM_PORT, PRIMAERP_SIM_PORT
 * (default 4101, 4102, 4103; 0 picks a free one). SIM_RATE_LIMITS=off lifts the vendors' rate limits
 * (for benchmarks); SIM_ERROR_RATE=0.1 makes that share of requests fail with 500 (for soak runs).
 */
import type { SimulatorHandle } from './common/server.js';
import { startLaurelSimulator } from './laurel/index.js';
import { startPrimaerpSimulator } from './primaerp/index.js';
import { startXurrentSimulator } from './xurrent/index.js';

const port = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const unlimited = process.env.SIM_RATE_LIMITS === 'off';
const HUGE = 1_000_000_000;

const sims: SimulatorHandle[] = await Promise.all([
  startLaurelSimulator({ port: port('LAUREL_SIM_PORT', 4101) }),
  startXurrentSimulator({ port: port('XURRENT_SIM_PORT', 4102), ...(unlimited && { rateLimit: { perHour: HUGE, burst: HUGE } }) }),
  startPrimaerpSimulator({ port: port('PRIMAERP_SIM_PORT', 4103), ...(unlimited && { rateLimit: { limit: HUGE, windowMs: 10_000 } }) }),
]);
const errorRate = Number(process.env.SIM_ERROR_RATE ?? 0);
if (errorRate > 0) for (const sim of sims) sim.faults = { ...sim.faults, errorRate, errorStatus: 500 };

console.log('Simulators running. Configure a gateway with:');
for (const sim of sims) for (const [k, v] of Object.entries(sim.env)) console.log(`${k}=${v}`);

const stop = async () => {
  await Promise.all(sims.map((s) => s.close()));
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
