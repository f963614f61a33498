// Each backend's client only ever sends its own credentials, and no client header reaches a backend:
// the allow-list of forwarded client headers is empty (the adapters build every upstream request
// from their own configuration).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedRequest } from '../../src/simulators/common/server.js';
import { startGateway, startSims, type Sims, type TestGateway } from './support.js';

const CLIENT_KEY = 'client-key-7f3a9c';
const CLIENT_HEADERS = {
  authorization: `Bearer ${CLIENT_KEY}`,
  cookie: 'session=client-cookie-55e1',
  'x-4me-account': 'client-account-91bd',
  'x-forwarded-for': '203.0.113.77',
  'x-request-id': 'client-request-id-3c2f',
  'accept-language': 'client-lang-x1',
};

let sims: Sims;
let gateway: TestGateway;

/** Everything a backend could read from a request: method, path, query and every header. */
function seen(requests: RecordedRequest[]): string {
  return requests.map((r) => `${r.method} ${r.path}?${r.query.toString()} ${JSON.stringify(r.headers)}`).join('\n');
}

beforeAll(async () => {
  sims = await startSims({ credentialTag: 'cred-0c1d' });
  gateway = await startGateway(sims, { NODE_ENV: 'production', TIMEGRAPH_API_KEYS: CLIENT_KEY });
  // Reads of every kind: a merged page with people (Xurrent's people endpoint), then lookups by id.
  const page = await gateway.post({ query: '{ timeEntries(first: 60) { nodes { id source person { name email } } } }' }, CLIENT_HEADERS);
  expect(page.json.errors).toBeUndefined();
  const ids = page.json.data.timeEntries.nodes.map((n: { id: string }) => n.id);
  const again = await gateway.post({ query: 'query($ids: [ID!]!) { nodes(ids: $ids) { id } }', variables: { ids } }, CLIENT_HEADERS);
  expect(again.json.errors).toBeUndefined();
  for (const sim of sims.all) expect(sim.requests.length, sim.source).toBeGreaterThan(1);
});
afterAll(async () => {
  await gateway.close();
  await sims.close();
});

describe('upstream requests', () => {
  it('carry no client header: neither its credentials, cookies, account nor forwarding headers', () => {
    const all = seen(sims.all.flatMap((sim) => sim.requests));
    for (const value of [CLIENT_KEY, 'client-cookie-55e1', 'client-account-91bd', '203.0.113.77', 'client-request-id-3c2f', 'client-lang-x1']) {
      expect(all).not.toContain(value);
    }
    for (const sim of sims.all) {
      for (const r of sim.requests) {
        expect(r.headers.cookie).toBeUndefined();
        expect(r.headers['x-forwarded-for']).toBeUndefined();
      }
    }
  });

  it('to each backend carry only that backend\'s credentials', () => {
    // Every registered backend: its configured credentials and the tokens it issued during the run
    // (Laurel's access token, primaERP's session token) travel to it, and to no other backend.
    const own = new Map(sims.all.map((sim) => [sim, [...sim.credentials, ...sim.issuedTokens()]]));
    expect(sims.all.length).toBeGreaterThanOrEqual(3);
    for (const sim of sims.all) {
      const requests = seen(sim.requests);
      // (Laurel's client id and secret travel in the token request's body, which the log does not keep.)
      expect(own.get(sim)!.some((secret) => requests.includes(secret)), `${sim.source} receives its own credentials`).toBe(true);
      for (const other of sims.all) {
        if (other === sim) continue;
        for (const secret of own.get(other)!) expect(requests, `${other.source}'s secret at ${sim.source}`).not.toContain(secret);
      }
    }
    const laurel = sims.by.laurel;
    const primaerp = sims.by.primaerp;
    expect(laurel.issuedTokens().length).toBeGreaterThan(0);
    expect(primaerp.issuedTokens().length).toBeGreaterThan(0);
    expect(seen(laurel.requests)).toContain(laurel.issuedTokens()[0]);
    expect(seen(sims.by.xurrent.requests)).toContain(sims.by.xurrent.env.XURRENT_TOKEN);
    expect(seen(primaerp.requests)).toContain(primaerp.env.PRIMAERP_API_KEY);
  });
});
