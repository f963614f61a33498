// Secrets never reach logs, errors or responses: distinctive credentials for every registered backend
// and for clients, every error path we can drive, and a search of everything that came out.
import { spawn } from 'node:child_process';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noFaults } from '../../src/simulators/common/server.js';
import { SOURCES } from '../../src/sources/registry.js';
import { send, startSims, type RawResponse, type Sims } from './support.js';

const ROOT = new URL('../../', import.meta.url).pathname;

/** Every registered backend's simulator accepts credentials containing this tag (and only those). */
const RIGHT_TAG = 'S3CR3T-a1f0';
const CLIENT_KEY = 'CLIENT-KEY-S3CR3T-07f6';
const JWT_SECRET = 'CLIENT-JWT-SECRET-S3CR3T-18e7-padded-to-32-bytes';
/** Credentials the backends refuse (the 401 paths), from every registered backend's simulator. */
let WRONG: Record<string, string>;
/** Values only used in start-up attempts that must fail. */
const STARTUP = { token: 'STARTUP-TOKEN-S3CR3T-5ceb', shortJwt: 'SHORT-S3CR3T-6dfc', jwksUrl: 'not a url STARTUP-JWKS-S3CR3T-7e0d' };

/** Keeps the failure paths fast (see README on the per-backend resilience variables). */
const FAST = Object.fromEntries(
  SOURCES.map((s) => s.source).flatMap((p) => [[`${p}_MAX_RETRIES`, '1'], [`${p}_RETRY_BASE_MS`, '5'], [`${p}_RETRY_CAP_MS`, '20']]),
);
const BACKEND_VARS = new RegExp(`^(${[...SOURCES.map((s) => s.source), 'TIMEGRAPH'].join('|')})_|^NODE_ENV$`);

interface Proc {
  exited: Promise<number | null>;
  output(): string;
  url(): Promise<string>;
  stop(): Promise<void>;
}

function startGatewayProcess(env: Record<string, string>): Proc {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !BACKEND_VARS.test(k)));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    cwd: ROOT,
    env: { ...base, PORT: '0', LOG_LEVEL: 'debug', OPERATION_TIMEOUT_MS: '3000', ...FAST, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  return {
    exited,
    output: () => output,
    async url() {
      const end = Date.now() + 60_000; // six gateways start at once under tsx: slow on a loaded 2-core machine
      for (;;) {
        const m = /listening on (\S+)/.exec(output);
        if (m) return m[1]!;
        if (Date.now() > end || child.exitCode !== null) throw new Error(`gateway did not start:\n${output}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

let sims: Sims;
const responses: RawResponse[] = [];
const outputs: string[] = [];

async function hs256(secret: string, expiresIn: string | number): Promise<string> {
  return new SignJWT({ sub: 'someone' }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime(expiresIn).sign(new TextEncoder().encode(secret));
}

beforeAll(async () => {
  sims = await startSims({ credentialTag: RIGHT_TAG });
  WRONG = Object.assign({}, ...sims.all.map((sim) => sim.wrongCredentials('S3CR3T-29d8')));
  const clientAuth = { TIMEGRAPH_API_KEYS: CLIENT_KEY, TIMEGRAPH_JWT_SECRET: JWT_SECRET };
  const good = startGatewayProcess({ ...sims.env, NODE_ENV: 'production', ...clientAuth });
  const wrong = startGatewayProcess({ ...sims.env, ...WRONG, NODE_ENV: 'production', ...clientAuth });
  const failing = [
    startGatewayProcess({ XURRENT_BASE_URL: `${sims.by.xurrent.origin}/v1`, XURRENT_TOKEN: STARTUP.token }),
    startGatewayProcess({ ...sims.env, NODE_ENV: 'production' }),
    startGatewayProcess({ ...sims.env, TIMEGRAPH_JWT_SECRET: STARTUP.shortJwt }),
    startGatewayProcess({ ...sims.env, NODE_ENV: 'production', TIMEGRAPH_JWKS_URL: STARTUP.jwksUrl }),
  ];
  try {
    const [goodUrl, wrongUrl] = await Promise.all([good.url(), wrong.url()]);
    const auth = { authorization: `Bearer ${CLIENT_KEY}` };
    const post = async (url: string, body: unknown, headers: Record<string, string> = auth) => {
      const res = await send(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
      responses.push(res);
      return res;
    };
    const page = await post(goodUrl, { query: '{ timeEntries(first: 30) { nodes { id source person { email } } } }' });
    expect(page.json.errors).toBeUndefined();
    const id = page.json.data.timeEntries.nodes.find((n: { source: string }) => n.source === 'XURRENT').id;

    // Client authentication failures.
    await post(goodUrl, { query: '{ __typename }' }, {});
    await post(goodUrl, { query: '{ __typename }' }, { 'x-api-key': `${CLIENT_KEY}-not` });
    await post(goodUrl, { query: '{ __typename }' }, { authorization: `Bearer ${await hs256(JWT_SECRET, Math.floor(Date.now() / 1000) - 60)}` });
    await post(goodUrl, { query: '{ __typename }' }, { authorization: `Bearer ${await hs256(`${JWT_SECRET}-other`, '5m')}` });
    // Bad input, bad ids, malformed requests and hostile queries.
    await post(goodUrl, { query: '{ timeEntries(first: 501) { nodes { id } } }' });
    await post(goodUrl, { query: '{ timeEntries(filter: { workDateFrom: "yesterday" }) { nodes { id } } }' });
    await post(goodUrl, { query: 'query($ids: [ID!]!) { nodes(ids: $ids) { id } }', variables: { ids: ['bad', Buffer.from('TimeEntry:XURRENT:999999').toString('base64url'), id] } });
    await post(goodUrl, '{"query": "{ timeEntries');
    await post(goodUrl, { query: '{ timeEntries(first: 1) { nodes { id } ' });
    await post(goodUrl, { query: `{ ${'... on Query { '.repeat(50)}__typename${' }'.repeat(50)} }` });
    await post(goodUrl, { query: `{ ${Array.from({ length: 1000 }, (_, i) => `a${i}: __typename`).join(' ')} }` });
    await post(goodUrl, { query: '{ __schema { types { name } } }' });
    await post(goodUrl, { query: '{ timeEntrie { id } }' });
    await post(goodUrl, { query: '{ __typename }', pad: 'x'.repeat(2 << 20) });
    await post(goodUrl, Array.from({ length: 100 }, () => ({ query: '{ __typename }' })));
    responses.push(await send(`${goodUrl}?query=${encodeURIComponent('mutation { __typename }')}`, { headers: { ...auth, 'x-graphql-yoga-csrf': '1' } }));
    responses.push(await send(goodUrl, { method: 'POST', headers: { ...auth, 'content-type': 'text/plain' }, body: '{"query":"{ __typename }"}' }));
    // A write the backend validates, and one it cannot hold.
    await post(goodUrl, { query: `mutation { timeEntryUpdate(id: "${id}", input: { xurrent: { description: "${'x'.repeat(81)}" } }) { userErrors { code message } } }` });
    // Backends failing: 5xx, 503, 429, malformed bodies; reads and a write.
    const read = { query: '{ timeEntries(first: 5) { nodes { id } unavailableSources } }' };
    const write = { query: 'mutation { timeEntryCreate(input: { xurrent: { personId: "7", date: "2016-03-28", timeSpent: { minutes: 30 }, customerId: "8", serviceId: "36", description: "d" } }) { userErrors { code } } }' };
    for (const faults of [{ errorRate: 1, errorStatus: 500 }, { errorRate: 1, errorStatus: 503 }, { errorRate: 1, errorStatus: 429 }, { malformedRate: 1 }]) {
      for (const sim of sims.all) sim.faults = { ...noFaults(), ...faults };
      await post(goodUrl, read);
      await post(goodUrl, write);
    }
    for (const sim of sims.all) sim.faults = noFaults();
    // Backends refusing the gateway's credentials: 401s.
    const refused = await post(wrongUrl, read);
    expect(refused.json.errors.map((e: { extensions: { code: string } }) => e.extensions.code)).toContain('SOURCE_UNAUTHENTICATED');
    await post(wrongUrl, write);
  } finally {
    await Promise.all([good.stop(), wrong.stop()]);
    for (const proc of failing) expect(await proc.exited).toBe(1);
    outputs.push(good.output(), wrong.output(), ...failing.map((p) => p.output()));
  }
}, 120_000);

afterAll(() => sims.close());

describe('secrets', () => {
  it('drove the paths it claims: client 401s, refused start-ups, upstream failures', () => {
    expect(responses.filter((r) => r.status === 401)).toHaveLength(4);
    expect(responses.some((r) => r.status === 413)).toBe(true);
    const codes = responses.flatMap((r) => (Array.isArray(r.json?.errors) ? r.json.errors.map((e: { extensions?: { code?: string } }) => e.extensions?.code) : []));
    for (const code of ['UNAUTHENTICATED', 'BAD_USER_INPUT', 'SOURCE_UNAVAILABLE', 'SOURCE_RATE_LIMITED', 'SOURCE_BAD_RESPONSE', 'SOURCE_UNAUTHENTICATED', 'GRAPHQL_VALIDATION_FAILED']) {
      expect(codes).toContain(code);
    }
    expect(outputs.join('\n')).toContain('TIMEGRAPH_API_KEYS');
    expect(outputs.join('\n')).toContain('XURRENT_ACCOUNT');
  });

  it('never appear in a response body or header, nor in the gateways\' output', () => {
    const laurelTokens = sims.by.laurel.requests.map((r) => r.headers.authorization?.replace(/^Bearer /, '')).filter((t): t is string => !!t);
    const primaerpTokens = sims.by.primaerp.requests.map((r) => r.query.get('token')).filter((t): t is string => !!t);
    expect(laurelTokens.length).toBeGreaterThan(0);
    expect(primaerpTokens.length).toBeGreaterThan(0);
    expect(sims.all.length).toBeGreaterThanOrEqual(3);
    const secrets = [
      // Every registered backend's credentials (in the forms sent upstream) and the tokens it issued.
      ...sims.all.flatMap((sim) => [...sim.credentials, ...sim.issuedTokens()]),
      CLIENT_KEY,
      JWT_SECRET,
      ...Object.values(WRONG),
      ...Object.values(STARTUP),
      ...new Set(laurelTokens),
      ...new Set(primaerpTokens),
      // Upstream addresses are no client's business either.
      ...sims.all.map((s) => s.origin.replace('http://', '')),
    ];
    const answers = responses.map((r) => `${r.status} ${JSON.stringify(r.headers)}\n${r.text}`).join('\n');
    const logs = outputs.join('\n');
    for (const secret of secrets) {
      expect(answers, secret).not.toContain(secret);
      expect(logs, secret).not.toContain(secret);
    }
  });

  it('answers without a stack, a file path or a module name (those may only go to the log)', () => {
    for (const r of responses) expect(r.text).not.toMatch(/node_modules|\/src\/|\.ts:\d+|\bat \S+ \(|stack/i);
  });
});
