/**
 * `npm run bench:scale`: several gateway instances (child processes, as deployed behind a load
 * balancer) against the simulators enforcing the vendors' real limits (Xurrent 20 requests per 2 s and
 * 3,600 an hour, primaERP 500 per 10 s), with and without the shared Redis budget, coalescing and the
 * read cache. Clients read Xurrent pages (a few distinct queries, so concurrent clients often ask the
 * same thing) as fast as they are answered. Reports clients served per second (answers without an
 * error), the errors by code, and what Xurrent received: requests, 429s and the most in any 2 s window.
 *
 * BENCH_SECONDS (default 20) per scenario, BENCH_INSTANCES (3), BENCH_CLIENTS (30), BENCH_DISTINCT (10).
 * Needs redis-server on PATH (Debian's package; `.ci/ensure-redis-server`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import { Pool } from 'undici';
import { startSimulators } from '../src/simulators/registry.js';
import { SOURCES } from '../src/sources/registry.js';

const ROOT = new URL('../', import.meta.url).pathname;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const INSTANCES = Number(process.env.BENCH_INSTANCES ?? 3);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 30);
const DISTINCT = Number(process.env.BENCH_DISTINCT ?? 10);
const CACHE_TTL_MS = Number(process.env.BENCH_CACHE_TTL_MS ?? 2000);

/** Distinct reads of Xurrent only: `first` changes the page size, so the upstream URL. */
const queries = Array.from({ length: DISTINCT }, (_, i) => JSON.stringify({ query: `{ timeEntries(first: ${i + 1}, filter: { sources: [XURRENT] }) { nodes { id duration { hours } } } }` }));

interface Scenario {
  name: string;
  redis: boolean;
  coalesce: boolean;
  cache: boolean;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

async function startRedis(): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    child.once('error', (e) => reject(new Error(`redis-server could not start: ${e.message}`)));
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('Ready to accept connections') && resolve());
  });
  return { url: `redis://127.0.0.1:${port}`, child };
}

async function startGateway(env: Record<string, string>): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (d: Buffer) => {
      output += d.toString();
      const m = /listening on (\S+)/.exec(output);
      if (m) resolve(m[1]!);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`gateway exited with ${code}: ${output}`)));
  });
  child.stdout!.removeAllListeners('data');
  child.stderr!.removeAllListeners('data');
  child.stdout!.resume();
  child.stderr!.resume();
  return { url, child };
}

/** The most requests that arrived within any `windowMs`. */
function maxInWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let max = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i]! - sorted[j]! >= windowMs) j++;
    max = Math.max(max, i - j + 1);
  }
  return max;
}

async function run(scenario: Scenario) {
  const sims = await startSimulators(); // the vendors' limits enforced
  const redis = scenario.redis ? await startRedis() : undefined;
  const env: Record<string, string> = { ...sims.env, ...(redis && { REDIS_URL: redis.url }) };
  if (!scenario.coalesce) for (const { source } of SOURCES) env[`${source}_COALESCE`] = 'off';
  if (scenario.cache) for (const { source } of SOURCES) env[`${source}_CACHE_TTL_MS`] = String(CACHE_TTL_MS);
  const gateways = await Promise.all(Array.from({ length: INSTANCES }, () => startGateway(env)));
  const pools = gateways.map((g) => ({ pool: new Pool(new URL(g.url).origin, { connections: Math.ceil(CLIENTS / INSTANCES) }), path: new URL(g.url).pathname }));
  const xurrent = sims.get('XURRENT');
  xurrent.requests.length = 0;
  const started = Date.now();
  const end = started + SECONDS * 1000;
  let served = 0;
  const errors: Record<string, number> = {};
  const latencies: number[] = [];
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, client) => {
      const { pool, path } = pools[client % pools.length]!;
      for (let n = 0; Date.now() < end; n++) {
        const t = Date.now();
        const res = await pool.request({ method: 'POST', path, headers: { 'content-type': 'application/json' }, body: queries[(client + n) % queries.length] });
        const body = (await res.body.json()) as { errors?: Array<{ extensions?: { code?: string } }> };
        if (!body.errors?.length) {
          served++;
          latencies.push(Date.now() - t);
        } else for (const e of body.errors) errors[e.extensions?.code ?? 'unknown'] = (errors[e.extensions?.code ?? 'unknown'] ?? 0) + 1;
      }
    }),
  );
  const seconds = (Date.now() - started) / 1000;
  const arrivals = xurrent.requests.filter((r) => r.at <= end);
  latencies.sort((a, b) => a - b);
  const result = {
    scenario: scenario.name,
    servedPerSecond: served / seconds,
    served,
    errors,
    p50: latencies[Math.floor(latencies.length / 2)] ?? null,
    upstream: arrivals.length,
    upstream429: xurrent.requests.filter((r) => r.status === 429).length,
    max2s: maxInWindow(arrivals.map((r) => r.at), 2000),
  };
  await Promise.all(pools.map((p) => p.pool.close()));
  await Promise.all(gateways.map((g) => stopChild(g.child)));
  if (redis) await stopChild(redis.child);
  await sims.close();
  return result;
}

async function main(): Promise<void> {
  const scenarios: Scenario[] = [
    { name: `${INSTANCES} instances, own limiters (no Redis), coalescing`, redis: false, coalesce: true, cache: false },
    { name: `${INSTANCES} instances, shared Redis budget, no coalescing`, redis: true, coalesce: false, cache: false },
    { name: `${INSTANCES} instances, shared Redis budget, coalescing`, redis: true, coalesce: true, cache: false },
    { name: `${INSTANCES} instances, shared Redis budget, coalescing, cache ${CACHE_TTL_MS} ms`, redis: true, coalesce: true, cache: true },
  ];
  console.log(`bench:scale on ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${new Date().toISOString()}: ${CLIENTS} clients, ${DISTINCT} distinct Xurrent reads, ${SECONDS} s per scenario`);
  console.log('| scenario | clients served/s | p50 ms | errors | Xurrent requests | Xurrent 429s | most in 2 s |');
  console.log('|---|---|---|---|---|---|---|');
  for (const scenario of scenarios) {
    const r = await run(scenario);
    const errors = Object.entries(r.errors).map(([code, n]) => `${code} ${n}`).join(', ') || '0';
    console.log(`| ${r.scenario} | ${r.servedPerSecond.toFixed(1)} | ${r.p50 ?? '–'} | ${errors} | ${r.upstream} | ${r.upstream429} | ${r.max2s} |`);
  }
}

if (!existsSync(`${ROOT}src/server/main.ts`)) throw new Error('run from the repository');
main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
