/**
 * Bounded soak run: `npm run bench:soak`. The simulators run in a child process with 10% of their
 * answers failing (HTTP 500); the gateway runs in this process so its heap can be measured after
 * forced collections. Reads arrive at a fixed rate for a few minutes; the run reports the share of
 * reads answered completely (no error, no unavailable source), p50/p99 latency and heap growth.
 * SOAK_SECONDS (default 180), SOAK_RATE reads per second (default 5, under what the simulators can serve: above it, requests queue and the run measures the queue), SOAK_ERROR_RATE (default 0.1).
 */
import { Pool } from 'undici';
import { createGateway, listen } from '../src/server/gateway.js';
import { startBenchStack } from './processes.js';

const SECONDS = Number(process.env.SOAK_SECONDS ?? 180);
const RATE = Number(process.env.SOAK_RATE ?? 5);
const ERROR_RATE = process.env.SOAK_ERROR_RATE ?? '0.1';

const QUERIES = [
  `{ timeEntries(first: 20) { nodes { id source workDate duration { minutes } person { name } } unavailableSources } }`,
  `{ timeEntries(first: 50, sort: UPDATED_AT_DESC, filter: { sources: [XURRENT, PRIMAERP] }) { nodes { id updatedAt } unavailableSources } }`,
  `{ timeEntries(first: 10, filter: { workDateFrom: "2026-10-01", workDateTo: "2026-10-31" }) { nodes { id description } unavailableSources } }`,
];

const gc = (globalThis as { gc?: () => void }).gc;
const heapMb = () => {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed / 2 ** 20;
};

const stack = await startBenchStack({ simEnv: { SIM_ERROR_RATE: ERROR_RATE } });
const served = await listen(createGateway({ env: { ...stack.backendEnv } }), 0);
const pool = new Pool(new URL(served.url).origin, { connections: 64 });
const path = new URL(served.url).pathname;

async function read(i: number): Promise<{ ok: boolean; ms: number }> {
  const started = performance.now();
  try {
    const res = await pool.request({ method: 'POST', path, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: QUERIES[i % QUERIES.length] }) });
    const body = (await res.body.json()) as { errors?: unknown[]; data?: { timeEntries?: { unavailableSources: string[] } } };
    const ok = res.statusCode === 200 && !body.errors && body.data?.timeEntries?.unavailableSources.length === 0;
    return { ok, ms: performance.now() - started };
  } catch {
    return { ok: false, ms: performance.now() - started };
  }
}

try {
  for (let i = 0; i < 30; i++) await read(i); // warm-up
  const heapBefore = heapMb();
  const results: Array<Promise<{ ok: boolean; ms: number }>> = [];
  const total = SECONDS * RATE;
  const start = performance.now();
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    results.push(read(i));
  }
  const done = await Promise.all(results);
  const heapAfter = heapMb();
  const latencies = done.map((r) => r.ms).sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];
  const ok = done.filter((r) => r.ok).length;
  console.log(`soak: ${total} reads at ${RATE}/s for ${SECONDS}s, ${Number(ERROR_RATE) * 100}% upstream errors injected`);
  console.log(`complete answers: ${((100 * ok) / total).toFixed(2)}% (${ok}/${total})`);
  console.log(`latency p50 ${pct(50).toFixed(1)} ms, p99 ${pct(99).toFixed(1)} ms, max ${latencies.at(-1)!.toFixed(1)} ms`);
  console.log(`heap after GC: ${heapBefore.toFixed(1)} MB → ${heapAfter.toFixed(1)} MB (${(heapAfter - heapBefore >= 0 ? '+' : '')}${(heapAfter - heapBefore).toFixed(1)} MB)${gc ? '' : ' (run with --expose-gc for exact figures)'}`);
} finally {
  await pool.close();
  await served.close();
  await stack.stop();
}
