// Production logs are JSON lines that carry the request id the client got back and no secret: a
// backend failing while credentials are in play is one warning line, no stack, no upstream address.
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { loadConfig } from '../../src/server/config.js';
import { createGateway, listen } from '../../src/server/gateway.js';
import { createGatewayLogger } from '../../src/server/logger.js';
import { noFaults } from '../../src/simulators/common/server.js';
import { SOURCES } from '../../src/sources/registry.js';
import { send, startSims, type Sims } from '../security/support.js';

const TAG = 'LOG-S3CR3T-3c7a';
const CLIENT_SECRETS = { authorization: 'Bearer CLIENT-S3CR3T-5d21', cookie: 'session=COOKIE-S3CR3T-8e02' };
let lines: string[] = [];
let sims: Sims;
let url: string;
let close: () => Promise<void>;

beforeAll(async () => {
  sims = await startSims({ credentialTag: TAG });
  const fast = Object.fromEntries(SOURCES.flatMap(({ source }) => [[`${source}_MAX_RETRIES`, '1'], [`${source}_RETRY_BASE_MS`, '5'], [`${source}_RETRY_CAP_MS`, '20']]));
  const gateway = createGateway({
    env: { ...sims.env, ...fast, TIMEGRAPH_LOG_FORMAT: 'json', LOG_LEVEL: 'debug' },
    logDestination: { write: (line: string) => void lines.push(line) },
  });
  const served = await listen(gateway, 0);
  url = served.url;
  close = served.close;
}, 30_000);
afterAll(async () => {
  await close?.();
  await sims?.close();
});
beforeEach(() => {
  lines = [];
  for (const sim of sims.all) sim.faults = noFaults();
});

/** A read of one backend: its failure is the operation's error (masked for the client, logged once). */
const readOf = (source: string) => JSON.stringify({ query: `{ timeEntries(first: 5, filter: { sources: [${source}] }) { nodes { id } } }` });
const parsed = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);

it('writes JSON lines with the echoed request id, a backend failure as one warning without stack or secret', async () => {
  sims.by.xurrent.faults = { ...noFaults(), errorRate: 1, errorStatus: 500 };
  const res = await send(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': 'client-req-42', ...CLIENT_SECRETS }, body: readOf('XURRENT') });
  expect(res.status).toBe(200);
  expect(res.json.errors[0].extensions.code).toBe('SOURCE_UNAVAILABLE');
  expect(res.headers['x-request-id']).toBe('client-req-42');
  const entries = parsed();
  expect(entries.length).toBeGreaterThan(1);
  for (const entry of entries) expect(entry.requestId).toBe('client-req-42');
  const failures = entries.filter((e) => String(e.msg).includes('XURRENT'));
  expect(failures).toHaveLength(1);
  expect(failures[0]).toMatchObject({ level: 'warn', msg: 'XURRENT SOURCE_UNAVAILABLE: XURRENT answered HTTP 500' });
  expect(failures[0]).not.toHaveProperty('err');
  const secrets = [...sims.all.flatMap((sim) => [...sim.credentials, ...sim.issuedTokens()]), ...sims.all.map((s) => s.origin.replace('http://', '')), 'CLIENT-S3CR3T-5d21', 'COOKIE-S3CR3T-8e02'];
  expect(secrets.filter((s) => s.includes(TAG)).length).toBeGreaterThanOrEqual(sims.all.length);
  const text = lines.join('');
  for (const secret of secrets) expect(text, secret).not.toContain(secret);
  expect(text).not.toMatch(/\bat \S+ \(|\.ts:\d+/);
});

it('gives a request without a usable id a fresh one, the same in its lines and its answer', async () => {
  sims.by.primaerp.faults = { ...noFaults(), errorRate: 1, errorStatus: 503 };
  const res = await send(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': 'bad id; forged' }, body: readOf('PRIMAERP') });
  const id = res.headers['x-request-id'];
  expect(id).toMatch(/^[0-9a-f-]{36}$/);
  const entries = parsed();
  expect(entries.some((e) => e.level === 'warn' && String(e.msg).startsWith('PRIMAERP SOURCE_'))).toBe(true);
  for (const entry of entries) expect(entry.requestId).toBe(id);
});

it('redacts credentials, cookies and tokens passed in logged objects', () => {
  const out: string[] = [];
  const logger = createGatewayLogger('info', { format: 'json', destination: { write: (line: string) => void out.push(line) } });
  logger.info({ headers: { authorization: 'Bearer R3DACT-1', cookie: 'c=R3DACT-2' }, token: 'R3DACT-3', req: { headers: { 'x-api-key': 'R3DACT-4' } }, kept: 'visible' }, 'hello');
  expect(out).toHaveLength(1);
  expect(out[0]).not.toContain('R3DACT');
  expect(JSON.parse(out[0]!)).toMatchObject({ level: 'info', msg: 'hello', kept: 'visible', token: '[redacted]' });
});

it('is JSON by default in production, readable in development, and refuses an unknown format', () => {
  const env = { ...sims.env };
  expect(loadConfig({ ...env, NODE_ENV: 'production' }).logFormat).toBe('json');
  expect(loadConfig(env).logFormat).toBe('pretty');
  expect(loadConfig({ ...env, NODE_ENV: 'production', TIMEGRAPH_LOG_FORMAT: 'pretty' }).logFormat).toBe('pretty');
  expect(() => loadConfig({ ...env, TIMEGRAPH_LOG_FORMAT: 'xml' })).toThrow('TIMEGRAPH_LOG_FORMAT must be json or pretty, got "xml"');
});
