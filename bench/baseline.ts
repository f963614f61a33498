/**
 * The hand-written baseline of the benchmark: what a team writes without a gateway. node:http and
 * undici `Pool.request`, the same upstream calls as TimeGraph for each scenario, the same
 * normalization (exact hours, work dates in the person's time zone, global ids), the same merge order
 * (work date descending, then source, then id) and the same JSON answer, without GraphQL.
 *
 *   GET  /s0                      → {"data":{"__typename":"Query"}}
 *   GET  /s1?to=YYYY-MM-DD        → 100 Xurrent entries with person, work date ≤ to
 *   GET  /s2?to=…[&after=cursor]  → 100 entries merged from the three backends (S4 walks its cursor)
 *   POST /s3 {"ids":[…]}          → nodes of the given global ids, with person
 *   GET  /upstream                → upstream requests sent so far (the bench divides by requests)
 *
 * Configured by the same environment as the gateway (the simulators print it); PORT (0: free port).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Pool, request } from 'undici';
import { FIELDS } from '../src/sources/xurrent/list-plan.js';

type Source = 'LAUREL' | 'XURRENT' | 'PRIMAERP';
interface Row {
  id: string;
  source: Source;
  workDate: string | null;
  description: string | null;
  duration: { hours: number };
  person: { name: string | null };
  key: string;
}

const env = process.env as Record<string, string>;
const laurel = new URL(env.LAUREL_BASE_URL);
const xurrent = new URL(env.XURRENT_BASE_URL);
const prima = new URL(env.PRIMAERP_BASE_URL);
const pools = {
  laurel: new Pool(laurel.origin, { connections: 64 }),
  xurrent: new Pool(xurrent.origin, { connections: 64 }),
  prima: new Pool(prima.origin, { connections: 64 }),
};
let upstream = 0;

async function get(pool: Pool, path: string, headers: Record<string, string> = {}): Promise<{ body: any; headers: Record<string, unknown> }> {
  upstream += 1;
  const res = await pool.request({ method: 'GET', path, headers: { accept: 'application/json', ...headers } });
  const body = await res.body.json();
  if (res.statusCode !== 200) throw new Error(`${path} answered ${res.statusCode}`);
  return { body, headers: res.headers };
}

const tokenRes = await request(new URL('/api/v1/oauth/token', env.LAUREL_AUTH_URL), {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ audience: env.LAUREL_AUDIENCE, grant_type: 'client_credentials', client_id: env.LAUREL_CLIENT_ID, client_secret: env.LAUREL_CLIENT_SECRET }),
});
const laurelAuth = { authorization: `Bearer ${((await tokenRes.body.json()) as { access_token: string }).access_token}` };
const basic = Buffer.from(`${env.PRIMAERP_SECRET_KEY}:`).toString('base64');
const login = await pools.prima.request({ method: 'GET', path: `/v1/auth/login?apikey=${encodeURIComponent(env.PRIMAERP_API_KEY)}`, headers: { authorization: `Basic ${basic}` } });
const primaToken = ((await login.body.json()) as { token: string }).token;
const xurrentAuth = { authorization: `Bearer ${env.XURRENT_TOKEN}`, 'x-4me-account': env.XURRENT_ACCOUNT };
const xurrentPath = xurrent.pathname.replace(/\/$/, '');
const customer = env.LAUREL_CUSTOMER_ID;

const gid = (source: Source, key: string) => Buffer.from(`TimeEntry:${source}:${key}`).toString('base64url');
const HOUR = 3_600_000;
const openEnd = () => new Date(Math.ceil((Date.now() + 24 * HOUR) / HOUR) * HOUR).toISOString();
const nextDay = (day: string, plusMs = 0) => new Date(Date.parse(`${day}T00:00:00Z`) + 24 * HOUR + plusMs).toISOString();

function laurelRow(e: any): Row {
  const key = `${e.userId}/${e.entryId}`;
  return { id: gid('LAUREL', key), source: 'LAUREL', workDate: e.workDate ?? null, description: e.summary ?? null, duration: { hours: e.incrementDurationInSeconds / 3600 }, person: { name: null }, key };
}
function xurrentRow(e: any): Row {
  const key = String(e.id);
  return { id: gid('XURRENT', key), source: 'XURRENT', workDate: e.date, description: e.description ?? null, duration: { hours: e.time_spent / 60 }, person: { name: e.person?.name ?? null }, key };
}
const dayFormats = new Map<string, Intl.DateTimeFormat>();
function primaRow(r: any): Row {
  const zone = r.user?.timeZone || 'UTC';
  let format = dayFormats.get(zone);
  if (!format) dayFormats.set(zone, (format = new Intl.DateTimeFormat('en-CA', { timeZone: zone })));
  const start = r.start ? Number(/-?\d+/.exec(r.start)![0]) : null;
  const name = r.user ? `${r.user.firstName ?? ''} ${r.user.lastName ?? ''}`.trim() : null;
  return { id: gid('PRIMAERP', r.id), source: 'PRIMAERP', workDate: start === null ? null : format.format(start), description: r.description ?? null, duration: { hours: r.duration / HOUR }, person: { name }, key: r.id };
}

/** Laurel cannot sort or filter by work date: every page of the open window. */
async function laurelAll(afterIso = '1970-01-01T00:00:00.000Z'): Promise<any[]> {
  const items: any[] = [];
  const window = `updatedAfter=${encodeURIComponent(afterIso)}&updatedOnOrBefore=${encodeURIComponent(openEnd())}`;
  let cursor: string | undefined;
  do {
    const page = (await get(pools.laurel, `/api/v2/customers/${customer}/entries?${window}${cursor ? `&cursor=${cursor}` : ''}&pageSize=100`, laurelAuth)).body;
    for (const e of page.items) if (!e.isDeleted) items.push(e);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

async function xurrentPage(to: string, limit: number): Promise<{ rows: Row[]; more: boolean }> {
  const { body, headers } = await get(pools.xurrent, `${xurrentPath}/time_entries?sort=-date&per_page=${limit}&fields=${encodeURIComponent(FIELDS)}&deleted=false&date=${encodeURIComponent(`<=${to}`)}`, xurrentAuth);
  return { rows: (body as any[]).map(xurrentRow), more: /rel="next"/.test(String(headers.link ?? '')) };
}

async function primaPage(to: string, top: number): Promise<Row[]> {
  const filter = encodeURIComponent(`trashItem eq null and start ne null and start lt datetime'${nextDay(to, 12 * HOUR)}'`);
  const { body } = await get(pools.prima, `/v1/time/timerecords?$filter=${filter}&$orderby=${encodeURIComponent('start desc,id asc')}&$top=${top}&$skip=0&token=${primaToken}`);
  return (body as any[]).map(primaRow);
}

const order = (a: Row, b: Row) =>
  (b.workDate ?? '') < (a.workDate ?? '') ? -1 : (b.workDate ?? '') > (a.workDate ?? '') ? 1 : a.source < b.source ? -1 : a.source > b.source ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
const cursorOf = (r: Row) => Buffer.from(JSON.stringify([r.workDate, r.source, r.key])).toString('base64url');
const node = ({ key: _key, ...row }: Row) => row;

async function s1(to: string): Promise<string> {
  const { rows, more } = await xurrentPage(to, 100);
  const last = rows.at(-1);
  return JSON.stringify({ data: { timeEntries: { nodes: rows.map(node), pageInfo: { hasNextPage: more, endCursor: last ? cursorOf(last) : null } } } });
}

async function s2(to: string, after: string | null): Promise<string> {
  let bound = to;
  let seek: Row | null = null;
  if (after) {
    const [workDate, source, key] = JSON.parse(Buffer.from(after, 'base64url').toString()) as [string, Source, string];
    seek = { workDate, source, key } as Row;
    if (workDate < bound) bound = workDate;
  }
  const [l, x, p] = await Promise.all([laurelAll(), xurrentPage(bound, 100), primaPage(bound, 102)]);
  const all = [...l.map(laurelRow).filter((r) => r.workDate !== null && r.workDate <= bound), ...x.rows, ...p.filter((r) => r.workDate !== null && r.workDate <= bound)];
  const rest = seek ? all.filter((r) => order(seek!, r) < 0) : all;
  rest.sort(order);
  const page = rest.slice(0, 100);
  const last = page.at(-1);
  return JSON.stringify({ data: { timeEntries: { nodes: page.map(node), pageInfo: { hasNextPage: rest.length > 100 || x.more, endCursor: last ? cursorOf(last) : null } } } });
}

async function s3(ids: string[]): Promise<string> {
  const keys: Record<Source, string[]> = { LAUREL: [], XURRENT: [], PRIMAERP: [] };
  for (const id of ids) {
    const [, source, ...rest] = Buffer.from(id, 'base64url').toString().split(':');
    keys[source as Source].push(rest.join(':'));
  }
  const found = new Map<string, Row>();
  const jobs: Array<Promise<void>> = [];
  if (keys.LAUREL.length) {
    // No get-by-id: scan from the oldest entry's creation second (in its ObjectId), 1 h slack.
    const oldest = Math.min(...keys.LAUREL.map((k) => parseInt(k.slice(25, 33), 16) * 1000));
    const wanted = new Set(keys.LAUREL);
    jobs.push(laurelAll(new Date(oldest - HOUR).toISOString()).then((items) => items.forEach((e) => wanted.has(`${e.userId}/${e.entryId}`) && found.set(gid('LAUREL', `${e.userId}/${e.entryId}`), laurelRow(e)))));
  }
  if (keys.XURRENT.length) {
    jobs.push(get(pools.xurrent, `${xurrentPath}/time_entries?id=${keys.XURRENT.join(',')}&per_page=100&fields=${encodeURIComponent(FIELDS)}`, xurrentAuth).then(({ body }) => (body as any[]).forEach((e) => found.set(gid('XURRENT', String(e.id)), xurrentRow(e)))));
  }
  if (keys.PRIMAERP.length) {
    const filter = encodeURIComponent(keys.PRIMAERP.map((k) => `id eq '${k}'`).join(' or '));
    jobs.push(get(pools.prima, `/v1/time/timerecords?$filter=${filter}&$top=100&token=${primaToken}`).then(({ body }) => (body as any[]).forEach((r) => found.set(gid('PRIMAERP', r.id), primaRow(r)))));
  }
  await Promise.all(jobs);
  return JSON.stringify({ data: { nodes: ids.map((id) => { const r = found.get(id); return r ? { id: r.id, source: r.source, workDate: r.workDate, duration: r.duration, person: r.person } : null; }) } });
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString()));
    req.on('error', reject);
  });
}

async function route(req: IncomingMessage): Promise<string> {
  const url = new URL(req.url ?? '/', 'http://baseline');
  const q = url.searchParams;
  switch (url.pathname) {
    case '/s0':
      return '{"data":{"__typename":"Query"}}';
    case '/s1':
      return s1(q.get('to')!);
    case '/s2':
      return s2(q.get('to')!, q.get('after'));
    case '/s3':
      return s3((JSON.parse(await readBody(req)) as { ids: string[] }).ids);
    case '/upstream':
      return JSON.stringify({ upstream });
    default:
      throw new Error(`no route ${url.pathname}`);
  }
}

const server = createServer((req, res: ServerResponse) => {
  route(req).then(
    (text) => res.writeHead(200, { 'content-type': 'application/json' }).end(text),
    (error: Error) => res.writeHead(502, { 'content-type': 'application/json' }).end(JSON.stringify({ error: error.message })),
  );
});
server.listen(Number(env.PORT ?? 0), '127.0.0.1', () => {
  const address = server.address() as { port: number };
  console.log(`baseline listening on http://127.0.0.1:${address.port}`);
});
// A normal exit on SIGTERM, so that `--cpu-prof` (bench/profile.ts) writes its profile.
process.once('SIGTERM', () => server.close(() => process.exit(0)));
