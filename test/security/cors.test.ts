// Cross-origin access: only TIMEGRAPH_CORS_ORIGINS get CORS headers (with credentials); an unlisted
// origin is never reflected, in development as in production; by default no origin is listed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway } from '../../src/server/gateway.js';
import { send, startGateway, startSims, type Sims, type TestGateway } from './support.js';

const LISTED = 'https://app.example.com';
const ALSO_LISTED = 'http://localhost:5173';
const EVIL = 'https://evil.example';
const API_KEY = 'cors-suite-key';

let sims: Sims;
const gateways: Record<string, TestGateway> = {};

beforeAll(async () => {
  sims = await startSims();
  const origins = { TIMEGRAPH_CORS_ORIGINS: ` ${LISTED}, ${ALSO_LISTED}/ ` };
  gateways.default = await startGateway(sims);
  gateways.development = await startGateway(sims, origins);
  gateways.production = await startGateway(sims, { ...origins, NODE_ENV: 'production', TIMEGRAPH_API_KEYS: API_KEY });
});
afterAll(async () => {
  await Promise.all(Object.values(gateways).map((g) => g.close()));
  await sims?.close();
});

const preflight = (url: string, origin: string) =>
  send(url, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, authorization' },
  });
const simple = (gateway: TestGateway, origin: string) => gateway.post({ query: '{ __typename }' }, { origin, authorization: `Bearer ${API_KEY}` });
const corsHeaders = (headers: Record<string, unknown>) => Object.keys(headers).filter((h) => h.startsWith('access-control-'));

describe.each(['development', 'production'])('%s mode with an allow-list', (mode) => {
  it.each([LISTED, ALSO_LISTED])('a preflight from the listed %s is allowed, with credentials', async (origin) => {
    const res = await preflight(gateways[mode].url, origin);
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe(origin);
    expect(res.headers['access-control-allow-credentials']).toBe('true');
    expect(res.headers['access-control-allow-methods']).toBe('GET, POST');
    expect(res.headers['vary']).toMatch(/Origin/);
  });

  it('a request from a listed origin can be read by its page, which also sees x-request-id', async () => {
    const res = await simple(gateways[mode], LISTED);
    expect(res.json.data).toEqual({ __typename: 'Query' });
    expect(res.headers['access-control-allow-origin']).toBe(LISTED);
    expect(res.headers['access-control-allow-credentials']).toBe('true');
    expect(res.headers['access-control-expose-headers']).toContain('x-request-id');
  });

  it('an unlisted origin gets no CORS header on a preflight or a request', async () => {
    const pre = await preflight(gateways[mode].url, EVIL);
    const res = await simple(gateways[mode], EVIL);
    expect(corsHeaders(pre.headers)).toEqual([]);
    expect(corsHeaders(res.headers)).toEqual([]);
    expect(JSON.stringify([pre.headers, res.headers])).not.toContain('evil');
    expect(res.headers['vary']).toMatch(/Origin/);
  });

  it('an origin that only starts like a listed one is unlisted', async () => {
    const res = await preflight(gateways[mode].url, `${LISTED}.evil.example`);
    expect(corsHeaders(res.headers)).toEqual([]);
  });
});

describe('by default (no TIMEGRAPH_CORS_ORIGINS)', () => {
  it.each([EVIL, LISTED])('no origin, %s included, gets CORS headers', async (origin) => {
    expect(corsHeaders((await preflight(gateways.default.url, origin)).headers)).toEqual([]);
    expect(corsHeaders((await simple(gateways.default, origin)).headers)).toEqual([]);
  });

  it('same-origin requests (GraphiQL) are served as before', async () => {
    const origin = new URL(gateways.default.url).origin;
    const res = await simple(gateways.default, origin);
    expect(res.status).toBe(200);
    expect(res.json.data).toEqual({ __typename: 'Query' });
  });
});

describe('configuration', () => {
  it.each(['*', 'app.example.com', 'https://app.example.com/graphql', 'ftp://files.example.com'])('refuses %j, naming the variable and the value', (entry) => {
    expect(() => createGateway({ env: { ...sims.env, TIMEGRAPH_CORS_ORIGINS: `${LISTED},${entry}` } })).toThrow(
      `TIMEGRAPH_CORS_ORIGINS has an invalid origin ${JSON.stringify(entry)}`,
    );
  });
});
