/**
 * Throughput of TimeGraph against hand-written undici code making the same backend calls without
 * GraphQL, in the same process tree: `npm run bench`. The operation is the first page of
 * `timeEntries(first: 50)` across the three backends the baseline knows. Reports operations per second and the ratio.
 * BENCH_SECONDS (default 10) per run, BENCH_CONCURRENCY (default 16).
 */
import { Pool, request } from 'undici';
import { FIELDS } from '../src/sources/xurrent/list-plan.js';
import { SOURCES } from '../src/sources/registry.js';
import { startBenchStack } from './processes.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);

/** The backends the hand-written baseline reads; a backend registered since is left out of both sides. */
const BASELINE_SOURCES = ['LAUREL', 'XURRENT', 'PRIMAERP'];
const others = SOURCES.some(({ source }) => !BASELINE_SOURCES.includes(source));
const QUERY = `{ timeEntries(first: 50${others ? `, filter: { sources: [${BASELINE_SOURCES.join(', ')}] }` : ''}) { nodes { id source workDate description duration { hours } person { name } } } }`;

interface Row { id: string; source: string; workDate: string | null; description: string | null; hours: number; person: string | null }

/** The same backend calls the gateway makes for QUERY, written by hand with undici. */
async function createBaseline(env: Record<string, string>) {
  const laurel = new URL(env.LAUREL_BASE_URL);
  const xurrent = new URL(env.XURRENT_BASE_URL);
  const prima = new URL(env.PRIMAERP_BASE_URL);
  const pools = { laurel: new Pool(laurel.origin, { connections: 16 }), xurrent: new Pool(xurrent.origin, { connections: 16 }), prima: new Pool(prima.origin, { connections: 16 }) };

  const tokenRes = await request(new URL('/api/v1/oauth/token', env.LAUREL_AUTH_URL), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ audience: env.LAUREL_AUDIENCE ?? 'https://timeautomation.com', grant_type: 'client_credentials', client_id: env.LAUREL_CLIENT_ID, client_secret: env.LAUREL_CLIENT_SECRET }),
  });
  const laurelToken = ((await tokenRes.body.json()) as { access_token: string }).access_token;
  const basic = Buffer.from(`${env.PRIMAERP_SECRET_KEY}:`).toString('base64');
  const login = await pools.prima.request({ method: 'GET', path: `${prima.pathname.replace(/\/$/, '')}/v1/auth/login?apikey=${encodeURIComponent(env.PRIMAERP_API_KEY)}`, headers: { authorization: `Basic ${basic}` } });
  const primaToken = ((await login.body.json()) as { token: string }).token;

  const get = async (pool: Pool, path: string, headers: Record<string, string> = {}) => {
    const res = await pool.request({ method: 'GET', path, headers: { accept: 'application/json', ...headers } });
    return res.body.json();
  };

  async function laurelRows(): Promise<Row[]> {
    const rows: Row[] = [];
    const window = `updatedAfter=1970-01-01T00:00:00.000Z&updatedOnOrBefore=${new Date(Date.now() + 86_400_000).toISOString()}&pageSize=100`;
    let cursor: string | undefined;
    do {
      const page = (await get(pools.laurel, `/api/v2/customers/${env.LAUREL_CUSTOMER_ID}/entries?${window}${cursor ? `&cursor=${cursor}` : ''}`, { authorization: `Bearer ${laurelToken}` })) as { items: Array<Record<string, any>>; nextCursor?: string };
      for (const e of page.items) if (!e.isDeleted) rows.push({ id: e.entryId, source: 'LAUREL', workDate: e.workDate ?? null, description: e.summary ?? null, hours: e.incrementDurationInSeconds / 3600, person: null });
      cursor = page.nextCursor;
    } while (cursor);
    return rows;
  }

  async function xurrentRows(): Promise<Row[]> {
    const items = (await get(pools.xurrent, `${xurrent.pathname}/time_entries?sort=-date&per_page=52&deleted=false&fields=${FIELDS}`, { authorization: `Bearer ${env.XURRENT_TOKEN}`, 'x-4me-account': env.XURRENT_ACCOUNT })) as Array<Record<string, any>>;
    return items.map((e) => ({ id: String(e.id), source: 'XURRENT', workDate: e.date, description: e.description ?? null, hours: e.time_spent / 60, person: e.person?.name ?? null }));
  }

  async function primaRows(): Promise<Row[]> {
    const filter = encodeURIComponent('trashItem eq null and start ne null');
    const items = (await get(pools.prima, `/v1/time/timerecords?$filter=${filter}&$orderby=${encodeURIComponent('start desc,id asc')}&$top=100&$skip=0&token=${primaToken}`)) as Array<Record<string, any>>;
    return items.map((r) => {
      const start = Number(/-?\d+/.exec(r.start)![0]);
      const day = new Intl.DateTimeFormat('en-CA', { timeZone: r.user?.timeZone || 'UTC' }).format(new Date(start));
      return { id: r.id, source: 'PRIMAERP', workDate: day, description: r.description ?? null, hours: r.duration / 3_600_000, person: `${r.user?.firstName ?? ''} ${r.user?.lastName ?? ''}`.trim() };
    });
  }

  return {
    async op(): Promise<string> {
      const all = (await Promise.all([laurelRows(), xurrentRows(), primaRows()])).flat();
      all.sort((a, b) => ((b.workDate ?? '') < (a.workDate ?? '') ? -1 : (b.workDate ?? '') > (a.workDate ?? '') ? 1 : a.source < b.source ? -1 : a.source > b.source ? 1 : a.id < b.id ? -1 : 1));
      return JSON.stringify({ data: { timeEntries: { nodes: all.slice(0, 50) } } });
    },
    close: () => Promise.all(Object.values(pools).map((p) => p.close())),
  };
}

/** Runs `op` with CONCURRENCY workers for SECONDS; returns operations per second. */
async function measure(op: () => Promise<unknown>): Promise<number> {
  const end = Date.now() + SECONDS * 1000;
  let count = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (Date.now() < end) {
        await op();
        count++;
      }
    }),
  );
  return count / SECONDS;
}

// The simulators run without the vendors' rate limits here, and so does the gateway's client-side
// limiter (Xurrent's 20 per 2 s would cap TimeGraph at 10 op/s while the baseline has no limit).
const stack = await startBenchStack({ gatewayEnv: Object.fromEntries(SOURCES.map(({ source }) => [`${source}_RATE_LIMIT`, 'off'])) });
const baseline = await createBaseline(stack.backendEnv);
const gatewayPool = new Pool(new URL(stack.gatewayUrl).origin, { connections: CONCURRENCY });
const gatewayPath = new URL(stack.gatewayUrl).pathname;
const viaGateway = async () => {
  const res = await gatewayPool.request({ method: 'POST', path: gatewayPath, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: QUERY }) });
  const body = (await res.body.json()) as { errors?: unknown };
  if (res.statusCode !== 200 || body.errors) throw new Error(`gateway answered ${res.statusCode}: ${JSON.stringify(body.errors)}`);
};

try {
  // warm-up: JIT, connections, tokens
  for (let i = 0; i < 20; i++) await Promise.all([baseline.op(), viaGateway()]);
  const b1 = await measure(baseline.op);
  const g = await measure(viaGateway);
  const b2 = await measure(baseline.op);
  const base = (b1 + b2) / 2;
  console.log(`baseline (hand-written undici): ${base.toFixed(1)} op/s (runs: ${b1.toFixed(1)}, ${b2.toFixed(1)})`);
  console.log(`TimeGraph:                      ${g.toFixed(1)} op/s`);
  console.log(`ratio: ${(g / base).toFixed(2)}x   (${SECONDS}s per run, concurrency ${CONCURRENCY})`);
} finally {
  await baseline.close();
  await gatewayPool.close();
  await stack.stop();
}
