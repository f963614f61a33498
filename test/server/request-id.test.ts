// Operators follow one request across the load balancer, the gateway and the client by x-request-id:
// a sane incoming id is echoed, a hostile or missing one replaced, on every answer yoga gives.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestIdOf } from '../../src/server/request-id.js';
import { send, startGateway, startSims, type Sims, type TestGateway } from '../security/support.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const QUERY = { query: '{ sourceStatus { source } }' };

let sims: Sims;
let open: TestGateway;
let prod: TestGateway;
beforeAll(async () => {
  sims = await startSims();
  open = await startGateway(sims);
  prod = await startGateway(sims, { NODE_ENV: 'production', TIMEGRAPH_API_KEYS: 'rid-key' });
}, 60_000);
afterAll(async () => {
  await open?.close();
  await prod?.close();
  await sims?.close();
});

describe('x-request-id', () => {
  it('echoes a sane incoming id on a GraphQL answer', async () => {
    const res = await open.post(QUERY, { 'x-request-id': 'lb-7f3a.42:1' });
    expect(res.status).toBe(200);
    expect(res.headers['x-request-id']).toBe('lb-7f3a.42:1');
  });

  it('generates a UUID when none comes, and a fresh one per request', async () => {
    const a = await open.post(QUERY);
    const b = await open.post(QUERY);
    expect(a.headers['x-request-id']).toMatch(UUID);
    expect(b.headers['x-request-id']).toMatch(UUID);
    expect(a.headers['x-request-id']).not.toBe(b.headers['x-request-id']);
  });

  it('replaces an id that could forge log lines or is too long', async () => {
    for (const bad of ['a b', 'x"}\\n{"level":"error', 'é', 'a'.repeat(129)]) {
      const res = await open.post(QUERY, { 'x-request-id': bad });
      expect(res.headers['x-request-id'], bad).toMatch(UUID);
    }
    expect(requestIdOf('a'.repeat(128))).toBe('a'.repeat(128));
    expect(requestIdOf('')).toMatch(UUID);
  });

  it('is on answers that end before execution: /metrics and an authentication refusal', async () => {
    const metricsUrl = open.url.replace(/\/graphql$/, '/metrics');
    expect((await send(metricsUrl, { headers: { 'x-request-id': 'scrape-1' } })).headers['x-request-id']).toBe('scrape-1');
    const refused = await prod.post(QUERY, { 'x-request-id': 'denied-1' });
    expect(refused.status).toBe(401);
    expect(refused.headers['x-request-id']).toBe('denied-1');
  });
});
