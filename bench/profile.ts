/**
 * `npx tsx bench/profile.ts S1 [seconds] [baseline]`: a CPU profile of the compiled gateway
 * (production mode, limits and coalescing off), or with `baseline` of the hand-written baseline
 * (bench/baseline.ts), under load for one scenario of bench/run.ts, against the simulators in bench
 * mode; prints the functions with the most self time and leaves the .cpuprofile in bench/results/
 * (open it in Chrome DevTools). Run `npm run build` first. PROFILE_NODE_FLAGS adds node flags to the
 * gateway's process (e.g. `--max-semi-space-size=64`).
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, mkdirSync } from 'node:fs';
import { Pool } from 'undici';

const ROOT = new URL('../', import.meta.url).pathname;
const scenario = process.argv[2] ?? 'S1';
const seconds = Number(process.argv[3] ?? 8);
const baseline = process.argv[4] === 'baseline';
const KEY = 'bench-client-key-0123456789abcdef';
const OUT = `${ROOT}bench/results/profile-${scenario}${baseline ? '-baseline' : ''}`;
mkdirSync(OUT, { recursive: true });

function start(args: string[], env: Record<string, string>, ready: RegExp) {
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise<{ child: typeof child; out: string; match: string }>((resolve, reject) => {
    let out = '';
    const on = (d: Buffer) => {
      out += d.toString();
      const m = ready.exec(out);
      if (m) resolve({ child, out, match: m[1] ?? '' });
    };
    child.stdout.on('data', on);
    child.stderr.on('data', on);
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
  });
}

const sims = await start(['--import', 'tsx', 'src/simulators/main.ts'], { SIM_PORT_BASE: '0', SIM_RATE_LIMITS: 'off', SIM_BENCH: '1' }, /^(Simulators ready\.)$/m);
const backendEnv = Object.fromEntries(sims.out.split('\n').filter((l) => /^[A-Z0-9_]+=/.test(l)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
const names = [...new Set(Object.keys(backendEnv).map((k) => k.split('_')[0]))];
const env = { ...backendEnv, ...Object.fromEntries(names.flatMap((s) => [[`${s}_RATE_LIMIT`, 'off'], [`${s}_COALESCE`, 'off']])), NODE_ENV: 'production', TIMEGRAPH_API_KEYS: KEY, PORT: '0', LOG_LEVEL: 'warn' };
const gw = baseline
  ? await start(['--cpu-prof', `--cpu-prof-dir=${OUT}`, '--import', 'tsx', 'bench/baseline.ts'], { ...backendEnv, PORT: '0' }, /listening on (http:\S+)/)
  : await start([...(process.env.PROFILE_NODE_FLAGS?.split(' ').filter(Boolean) ?? []), '--cpu-prof', `--cpu-prof-dir=${OUT}`, 'dist/server/main.js'], env, /listening on (\S+)/);
const url = new URL(gw.match);
const pool = new Pool(url.origin, { connections: 8 });

const FIELDS = 'id source workDate description duration { hours } person { name }';
const LIST = (sources: string) => `query($to: Date) { timeEntries(first: 100, filter: { ${sources}workDateTo: $to }) { nodes { ${FIELDS} } pageInfo { hasNextPage endCursor } } }`;
const NODES = `query($ids: [ID!]!) { nodes(ids: $ids) { id ... on TimeEntry { source workDate duration { hours } person { name } } } }`;
const day = (i: number) => new Date(Date.UTC(2026, 9, 31) - (i % 90) * 86_400_000).toISOString().slice(0, 10);
/** The baseline's route for the same request (bench/baseline.ts). */
function baselineCall(query: string, variables: Record<string, unknown>) {
  if (query === NODES) return { method: 'POST' as const, path: '/s3', headers: { 'content-type': 'application/json' }, body: JSON.stringify(variables) };
  const path = query.startsWith('{') ? '/s0' : `/${query.includes('XURRENT') ? 's1' : 's2'}?to=${variables.to}`;
  return { method: 'GET' as const, path, headers: {} };
}
async function gql(query: string, variables: Record<string, unknown>) {
  if (baseline) {
    const res = await pool.request(baselineCall(query, variables));
    return JSON.parse(await res.body.text());
  }
  const res = await pool.request({ method: 'POST', path: url.pathname, headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` }, body: JSON.stringify({ query, variables }) });
  return JSON.parse(await res.body.text());
}
let ids: string[] = [];
if (scenario === 'S3') {
  const body = await gql(LIST(''), { to: day(0) });
  ids = body.data.timeEntries.nodes.map((n: { id: string }) => n.id);
}
const one = (i: number) =>
  scenario === 'S0' ? gql('{ __typename }', {})
  : scenario === 'S1' ? gql(LIST('sources: [XURRENT], '), { to: day(i) })
  : scenario === 'S2' ? gql(LIST(''), { to: day(i) })
  : gql(NODES, { ids: ids.map((_, k) => ids[(k + i) % ids.length]).slice(0, 50) });
const end = Date.now() + seconds * 1000;
let n = 0;
await Promise.all(Array.from({ length: 8 }, async () => { while (Date.now() < end) await one(n++); }));
console.log(`${scenario}: ${n} requests in ${seconds} s`);
await pool.close();
await new Promise<void>((r) => { gw.child.once('exit', () => r()); gw.child.kill('SIGTERM'); });
sims.child.kill('SIGTERM');

const file = readdirSync(OUT).filter((f) => f.endsWith('.cpuprofile')).sort().pop()!;
const profile = JSON.parse(readFileSync(`${OUT}/${file}`, 'utf8')) as { nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount: number }> };
const self = new Map<string, number>();
let total = 0;
for (const node of profile.nodes) {
  const f = node.callFrame;
  const key = `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*node_modules\//, '~/').replace(`file://${ROOT}`, '')}:${f.lineNumber + 1}`;
  self.set(key, (self.get(key) ?? 0) + node.hitCount);
  total += node.hitCount;
}
const byFile = new Map<string, number>();
for (const [k, v] of self) { const f = k.split(' ')[1]!.replace(/:\d+$/, '').replace(/^~\/((?:@[^/]+\/)?[^/]+).*/, '~/$1'); byFile.set(f, (byFile.get(f) ?? 0) + v); }
console.log(`profile ${OUT}/${file}`);
console.log('top self time:');
for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log(`${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`);
console.log('by file/package:');
for (const [k, v] of [...byFile].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`);
process.exit(0);
