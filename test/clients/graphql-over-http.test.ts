// Any client that speaks GraphQL over HTTP must work unchanged: graphql-http's own server audits, at the
// MUST and SHOULD levels in development, and in production (introspection off) every audit that does not
// rely on introspection.
import { auditServer, type AuditResult } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, startSims, type Sims, type TestGateway } from '../security/support.js';

let sims: Sims;
let dev: TestGateway;
let prod: TestGateway;
const KEY = 'audit-client-key';

beforeAll(async () => {
  sims = await startSims();
  [dev, prod] = await Promise.all([startGateway(sims), startGateway(sims, { NODE_ENV: 'production', TIMEGRAPH_API_KEYS: KEY })]);
});
afterAll(async () => {
  await Promise.all([dev?.close(), prod?.close()]);
  await sims?.close();
});

/** The audits whose operation is an introspection query (`__type(name: $name)`), refused in production. */
const NEEDS_INTROSPECTION = ['2EA1', '28B9', 'D6D5', '6A70'];

const report = (all: AuditResult[]) =>
  all.flatMap((r) => (r.status === 'ok' ? [] : [`${r.id} ${r.name}: ${r.reason}`]));

describe('graphql-http server audits', () => {
  it('development: every MUST and SHOULD audit passes', async () => {
    const results = await auditServer({ url: dev.url });
    expect(results.length).toBeGreaterThan(20);
    expect(report(results.filter((r) => !r.name.startsWith('MAY')))).toEqual([]);
  });

  it('production with a client key: every audit passes that does not need introspection', async () => {
    const fetchFn = (input: RequestInfo | URL, init: RequestInit = {}) =>
      fetch(input, { ...init, headers: { ...Object.fromEntries(new Headers(init.headers)), 'x-api-key': KEY } });
    const results = await auditServer({ url: prod.url, fetchFn });
    expect(results.length).toBeGreaterThan(20);
    expect(report(results.filter((r) => !r.name.startsWith('MAY') && !NEEDS_INTROSPECTION.includes(r.id)))).toEqual([]);
    // The ones left out fail for that reason alone: the same request is refused as introspection.
    const refused = await prod.post({ query: 'query Type($name: String!) { __type(name: $name) { name } }', variables: { name: 'sometype' } }, { 'x-api-key': KEY });
    expect(refused.json.errors[0].message).toMatch(/introspection/i);
  });
});
