/**
 * `npm run bench`: TimeGraph against the hand-written baseline (bench/baseline.ts) and, for S0, plain
 * graphql-yoga (bench/plain-yoga.ts). Each server runs as its own process pinned alone to core 0
 * (`taskset`), one at a time, alternating over rounds; the simulators (bench mode: answers replayed
 * pre-serialized, vendor limits off) and this load generator share core 1. The figure is requests
 * per server CPU-second (requests ÷ the server's CPU time from /proc), with each process's CPU share
 * printed so a reader sees who was saturated. Also p50/p99 at half of the baseline's maximum rate,
 * upstream calls per request and peak RSS. TimeGraph runs compiled (`npm run build` first), in production
 * mode with a client key, its client-side rate limits and coalescing off (the baseline has neither).
 *
 * Scenarios (own variables per request): S0 `{__typename}`; S1 100 Xurrent entries with person; S2 100
 * merged from the three backends; S3 `nodes` of 50 mixed ids with person; S4 20-page walks of 100 across
 * the three (cursor each time; a request is a page); S5 a 100k-entry walk, RSS before and after.
 *
 *   npm run bench [-- S1 S2] — BENCH_SECONDS (default 5) per measurement, BENCH_ROUNDS (2),
 *   BENCH_CONNECTIONS (16). Results: bench/results/latest.md and .json.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { Pool } from 'undici';

const ROOT = new URL('../', import.meta.url).pathname;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const picked = process.argv.slice(2).filter((a) => /^S\d$/.test(a));
const KEY = 'bench-client-key-0123456789abcdef';

const pinning = cpus().length >= 2 && spawnSync('taskset', ['-c', '0', 'true']).status === 0;
if (!pinning) console.warn('taskset or a second core is missing: servers are not pinned, figures are rough');
// This process (load generator) and the simulators on core 1; each server alone on core 0.
if (pinning) spawnSync('taskset', ['-pc', '1', String(process.pid)]);

// ---------- processes ----------
interface Proc { child: ChildProcess; out: string; url: string }
function start(name: string, script: string, env: Record<string, string>, core: number, ready: RegExp): Promise<Proc> {
  // TimeGraph runs compiled, as in production (`npm run build`, `npm run start:prod`).
  const node = script.endsWith('.js') ? [process.execPath, script] : [process.execPath, '--import', 'tsx', script];
  const [cmd, ...args] = pinning ? ['taskset', '-c', String(core), ...node] : node;
  const child = spawn(cmd, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = ready.exec(out);
      if (m) resolve({ child, out, url: m[1] ?? '' });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code}: ${out}`)));
  });
}
const stop = (p: Proc) => new Promise<void>((r) => (p.child.exitCode !== null ? r() : (p.child.once('exit', () => r()), p.child.kill('SIGTERM'))));
/** utime + stime of a process in seconds (Linux /proc). */
function cpuOf(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}
const status = (pid: number, field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
const selfCpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };

if (spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' }).status !== 0) throw new Error('npm run build failed');
const sims = await start('simulators', 'src/simulators/main.ts', { SIM_PORT_BASE: '0', SIM_RATE_LIMITS: 'off', SIM_BENCH: '1' }, 1, /^(Simulators ready\.)$/m);
const backendEnv = Object.fromEntries(sims.out.split('\n').filter((l) => /^[A-Z0-9_]+=/.test(l)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
const SOURCE_NAMES = [...new Set(Object.keys(backendEnv).map((k) => k.split('_')[0]))];
const gatewayEnv = {
  ...backendEnv,
  ...Object.fromEntries(SOURCE_NAMES.flatMap((s) => [[`${s}_RATE_LIMIT`, 'off'], [`${s}_COALESCE`, 'off']])),
  NODE_ENV: 'production', TIMEGRAPH_API_KEYS: KEY, PORT: '0', LOG_LEVEL: 'warn',
};

// ---------- what each server is asked ----------
const FIELDS = 'id source workDate description duration { hours } person { name }';
const LIST = (sources: string) => `query($to: Date, $after: String) { timeEntries(first: 100, after: $after, filter: { ${sources}workDateTo: $to }) { nodes { ${FIELDS} } pageInfo { hasNextPage endCursor } } }`;
const NODES = `query($ids: [ID!]!) { nodes(ids: $ids) { id ... on TimeEntry { source workDate duration { hours } person { name } } } }`;
/** Work dates across the simulators' data, one per request in turn, so no two neighbours are alike. */
const day = (i: number) => new Date(Date.UTC(2026, 9, 31) - (i % 90) * 86_400_000).toISOString().slice(0, 10);

interface Call { method: 'GET' | 'POST'; path: string; body?: string; headers: Record<string, string> }
type Kind = 'timegraph' | 'baseline' | 'yoga';
interface Server { kind: Kind; proc: Proc; pool: Pool; origin: string; upstream(): Promise<number> }

const gqlCall = (query: string, variables: Record<string, unknown>): Call => ({ method: 'POST', path: '/graphql', body: JSON.stringify({ query, variables }), headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` } });
const scenarioCall: Record<string, (kind: Kind, i: number, ids: string[]) => Call> = {
  S0: (kind) => (kind === 'baseline' ? { method: 'GET', path: '/s0', headers: {} } : gqlCall('{ __typename }', {})),
  S1: (kind, i) => (kind === 'baseline' ? { method: 'GET', path: `/s1?to=${day(i)}`, headers: {} } : gqlCall(LIST('sources: [XURRENT], '), { to: day(i) })),
  S2: (kind, i) => (kind === 'baseline' ? { method: 'GET', path: `/s2?to=${day(i)}`, headers: {} } : gqlCall(LIST(''), { to: day(i) })),
  S3: (kind, i, ids) => {
    const some = ids.map((_, k) => ids[(k + i) % ids.length]).slice(0, 50);
    return kind === 'baseline' ? { method: 'POST', path: '/s3', body: JSON.stringify({ ids: some }), headers: { 'content-type': 'application/json' } } : gqlCall(NODES, { ids: some });
  },
};

async function send(server: Server, call: Call): Promise<any> {
  const res = await server.pool.request({ method: call.method, path: call.path, body: call.body, headers: call.headers });
  const text = await res.body.text();
  const body = JSON.parse(text);
  if (res.statusCode !== 200 || body.errors || body.error) throw new Error(`${server.kind} ${call.path} answered ${res.statusCode}: ${text.slice(0, 300)}`);
  return body;
}

/** A 20-page walk of 100 (S4): each page asks for the one after the previous page's end cursor. */
async function walk(server: Server, i: number, pages: number, onPage: (nodes: number) => void): Promise<void> {
  let after: string | null = null;
  for (let p = 0; p < pages; p++) {
    const call: Call = server.kind === 'baseline'
      ? { method: 'GET', path: `/s2?to=${day(i)}${after ? `&after=${after}` : ''}`, headers: {} }
      : gqlCall(LIST(''), { to: day(i), after });
    const body = await send(server, call);
    const conn = body.data.timeEntries;
    onPage(conn.nodes.length);
    if (!conn.pageInfo.hasNextPage) return;
    after = conn.pageInfo.endCursor;
  }
}

// ---------- load ----------
interface Measured { requests: number; seconds: number; serverCpu: number; simCpu: number; loadCpu: number; upstream: number; latencies: number[] }
async function measure(server: Server, one: (i: number) => Promise<unknown>, options: { seconds: number; rate?: number }): Promise<Measured> {
  const pid = server.proc.child.pid!;
  const [c0, s0, l0, u0, t0] = [cpuOf(pid), cpuOf(sims.child.pid!), selfCpu(), await server.upstream(), performance.now()];
  const end = t0 + options.seconds * 1000;
  const latencies: number[] = [];
  let n = 0;
  const timed = async () => {
    const at = performance.now();
    await one(n++);
    latencies.push(performance.now() - at);
  };
  if (options.rate) {
    // Open loop at a fixed rate: latency is not hidden by waiting for the previous answer.
    const inflight: Array<Promise<void>> = [];
    for (let k = 0; performance.now() < end; k++) {
      const due = t0 + (k * 1000) / options.rate;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      inflight.push(timed());
    }
    await Promise.all(inflight);
  } else {
    await Promise.all(Array.from({ length: CONNECTIONS }, async () => { while (performance.now() < end) await timed(); }));
  }
  const seconds = (performance.now() - t0) / 1000;
  return { requests: latencies.length, seconds, serverCpu: cpuOf(pid) - c0, simCpu: cpuOf(sims.child.pid!) - s0, loadCpu: selfCpu() - l0, upstream: (await server.upstream()) - u0, latencies };
}
const pct = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN; };

async function startServer(kind: Kind): Promise<Server> {
  const proc = kind === 'timegraph'
    ? await start(kind, 'dist/server/main.js', gatewayEnv, 0, /listening on (http:\S+)/)
    : kind === 'baseline'
      ? await start(kind, 'bench/baseline.ts', { ...backendEnv, PORT: '0' }, 0, /listening on (http:\S+)/)
      : await start(kind, 'bench/plain-yoga.ts', { PORT: '0' }, 0, /listening on (http:\S+)/);
  const origin = new URL(proc.url).origin;
  const pool = new Pool(origin, { connections: CONNECTIONS * 2, pipelining: 1 });
  const server: Server = {
    kind, proc, pool, origin,
    async upstream() {
      if (kind === 'yoga') return 0;
      if (kind === 'baseline') return (await send(server, { method: 'GET', path: '/upstream', headers: {} })).upstream;
      const res = await pool.request({ method: 'GET', path: '/metrics', headers: { authorization: `Bearer ${KEY}` } });
      const text = await res.body.text();
      let sum = 0;
      for (const m of text.matchAll(/^timegraph_upstream_requests_total\{[^}]*\} (\d+)/gm)) sum += Number(m[1]);
      return sum;
    },
  };
  return server;
}

// ---------- run ----------
const scenarios = picked.length ? picked : ['S0', 'S1', 'S2', 'S3', 'S4', 'S5'];
const kindsFor = (s: string): Kind[] => (s === 'S0' ? ['baseline', 'timegraph', 'yoga'] : ['baseline', 'timegraph']);
interface Row { scenario: string; server: Kind; round: number; rps: number; reqPerCpuS: number; serverShare: number; simShare: number; loadShare: number; upstreamPerReq: number; p50?: number; p99?: number; rssMb: number; note?: string }
const rows: Row[] = [];
let ids: string[] = [];

for (const scenario of scenarios) {
  for (let round = 0; round < (scenario === 'S5' ? 1 : ROUNDS); round++) {
    const kinds = round % 2 === 0 ? kindsFor(scenario) : [...kindsFor(scenario)].reverse();
    for (const kind of kinds) {
      const server = await startServer(kind);
      try {
        if (ids.length === 0 && kind === 'timegraph') {
          const seen = await send(server, gqlCall(`{ l: timeEntries(first: 17, filter: { sources: [LAUREL] }) { nodes { id } } x: timeEntries(first: 17, filter: { sources: [XURRENT] }) { nodes { id } } p: timeEntries(first: 16, filter: { sources: [PRIMAERP] }) { nodes { id } } }`, {}));
          ids = [...seen.data.l.nodes, ...seen.data.x.nodes, ...seen.data.p.nodes].map((n: { id: string }) => n.id);
        }
        if (ids.length === 0) {
          // The baseline ran first: learn the ids from a short-lived gateway.
          const tg = await startServer('timegraph');
          const seen = await send(tg, gqlCall(`{ l: timeEntries(first: 17, filter: { sources: [LAUREL] }) { nodes { id } } x: timeEntries(first: 17, filter: { sources: [XURRENT] }) { nodes { id } } p: timeEntries(first: 16, filter: { sources: [PRIMAERP] }) { nodes { id } } }`, {}));
          ids = [...seen.data.l.nodes, ...seen.data.x.nodes, ...seen.data.p.nodes].map((n: { id: string }) => n.id);
          await tg.pool.close();
          await stop(tg.proc);
        }
        const row = (m: Measured, extra: Partial<Row> = {}): Row => ({
          scenario, server: kind, round,
          rps: Math.round(m.requests / m.seconds),
          reqPerCpuS: Math.round(m.requests / m.serverCpu),
          serverShare: +(m.serverCpu / m.seconds).toFixed(2), simShare: +(m.simCpu / m.seconds).toFixed(2), loadShare: +(m.loadCpu / m.seconds).toFixed(2),
          upstreamPerReq: +(m.upstream / m.requests).toFixed(2),
          rssMb: Math.round(status(server.proc.child.pid!, 'VmHWM')),
          ...extra,
        });
        if (scenario === 'S5') {
          // 100,000 entries read page by page (walks start over when the data ends); RSS before and after.
          let entries = 0;
          const before = status(server.proc.child.pid!, 'VmRSS');
          const [c0, s0, l0, u0, t0] = [cpuOf(server.proc.child.pid!), cpuOf(sims.child.pid!), selfCpu(), await server.upstream(), performance.now()];
          let pages = 0;
          for (let i = 0; entries < 100_000; i++) await walk(server, i, 1_000, (n) => ((entries += n), (pages += 1)));
          const m: Measured = { requests: pages, seconds: (performance.now() - t0) / 1000, serverCpu: cpuOf(server.proc.child.pid!) - c0, simCpu: cpuOf(sims.child.pid!) - s0, loadCpu: selfCpu() - l0, upstream: (await server.upstream()) - u0, latencies: [] };
          const after = status(server.proc.child.pid!, 'VmRSS');
          rows.push(row(m, { note: `${entries} entries; RSS ${before.toFixed(0)} → ${after.toFixed(0)} MB` }));
          continue;
        }
        const one = scenario === 'S4'
          ? (i: number) => walk(server, i, 20, () => undefined)
          : (i: number) => send(server, scenarioCall[scenario](kind, i, ids));
        for (let i = 0; i < 30; i++) await one(i); // warm-up: JIT, connections, tokens
        const max = await measure(server, one, { seconds: SECONDS });
        if (scenario === 'S4') {
          // A request is a page: count pages, not walks.
          let pages = 0;
          const m = await measure(server, (i) => walk(server, i, 20, () => (pages += 1)), { seconds: SECONDS });
          rows.push(row({ ...m, requests: pages }));
          continue;
        }
        // Half of the baseline's maximum rate (measured in this run), for latency.
        const baseRps = rows.filter((r) => r.scenario === scenario && r.server === 'baseline' && r.p50 === undefined).map((r) => r.rps)[0] ?? max.requests / max.seconds;
        const half = await measure(server, one, { seconds: SECONDS, rate: Math.max(1, Math.round(baseRps / 2)) });
        rows.push(row(max), { ...row(half), rps: Math.round(half.requests / half.seconds), p50: +pct(half.latencies, 50).toFixed(2), p99: +pct(half.latencies, 99).toFixed(2), note: `at ${Math.round(baseRps / 2)}/s` });
      } finally {
        await server.pool.close();
        await stop(server.proc);
      }
    }
  }
}
await stop(sims);

// ---------- report ----------
const best = (scenario: string, kind: Kind) => {
  const xs = rows.filter((r) => r.scenario === scenario && r.server === kind && r.p50 === undefined);
  return xs.length ? xs.reduce((a, b) => (a.reqPerCpuS >= b.reqPerCpuS ? a : b)) : undefined;
};
const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN; };
const perCpu = (scenario: string, kind: Kind) => median(rows.filter((r) => r.scenario === scenario && r.server === kind && r.p50 === undefined).map((r) => r.reqPerCpuS));
const latency = (scenario: string, kind: Kind) => rows.find((r) => r.scenario === scenario && r.server === kind && r.p50 !== undefined);
const date = new Date().toISOString().slice(0, 10);
const machine = `${cpus().length} × ${cpus()[0]?.model.trim()}, Node ${process.version}, load average before ${loadavg()[0].toFixed(2)}`;
const lines = [
  `Benchmark of ${date} on ${machine}; \`npm run bench\` (${SECONDS} s per measurement, ${ROUNDS} rounds, ${CONNECTIONS} connections${pinning ? ', each server alone on core 0, simulators and load on core 1' : ', NOT pinned'}).`,
  '',
  '| scenario | baseline req/CPU-s | TimeGraph req/CPU-s | ratio | upstream calls per request (baseline / TimeGraph) | p50 / p99 ms at half load (baseline / TimeGraph) | peak RSS MB (baseline / TimeGraph) |',
  '|---|--:|--:|--:|---|---|---|',
];
for (const s of scenarios) {
  const b = perCpu(s, 'baseline');
  const t = perCpu(s, 'timegraph');
  const lb = latency(s, 'baseline');
  const lt = latency(s, 'timegraph');
  const bb = best(s, 'baseline');
  const tb = best(s, 'timegraph');
  const s5 = s === 'S5' ? ` (${rows.filter((r) => r.scenario === 'S5').map((r) => `${r.server}: ${r.note}`).join('; ')})` : '';
  lines.push(`| ${s}${s5} | ${b} | ${t} | ${(t / b).toFixed(2)}× | ${bb?.upstreamPerReq} / ${tb?.upstreamPerReq} | ${lb ? `${lb.p50} / ${lb.p99}` : '–'} / ${lt ? `${lt.p50} / ${lt.p99}` : '–'} | ${bb?.rssMb} / ${tb?.rssMb} |`);
}
if (scenarios.includes('S0')) lines.push('', `S0 against plain graphql-yoga: ${perCpu('S0', 'yoga')} req/CPU-s, TimeGraph ${(perCpu('S0', 'timegraph') / perCpu('S0', 'yoga')).toFixed(2)}× of it.`);
lines.push('', 'Every measurement (CPU shares: the server\'s, the simulators\' and the load generator\'s, of one core; 1.00 = saturated):', '', '| scenario | server | round | req/s | req/CPU-s | server CPU | simulators CPU | load CPU | upstream/req | p50 | p99 | note |', '|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|');
for (const r of rows) lines.push(`| ${r.scenario} | ${r.server} | ${r.round} | ${r.rps} | ${r.reqPerCpuS} | ${r.serverShare} | ${r.simShare} | ${r.loadShare} | ${r.upstreamPerReq} | ${r.p50 ?? ''} | ${r.p99 ?? ''} | ${r.note ?? ''} |`);
const report = lines.join('\n');
console.log(report);
mkdirSync(`${ROOT}bench/results`, { recursive: true });
writeFileSync(`${ROOT}bench/results/latest.md`, `${report}\n`);
writeFileSync(`${ROOT}bench/results/latest.json`, `${JSON.stringify({ date, machine, seconds: SECONDS, rounds: ROUNDS, connections: CONNECTIONS, pinned: pinning, rows }, null, 2)}\n`);
