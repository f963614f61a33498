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
  sims = await startSims({
    laurel: { clientId: 'laurel-id-0c1d', clientSecret: 'laurel-secret-8e2f' },
    xurrent: { token: 'xurrent-token-4a6b', account: 'xurrent-account-2d9e' },
    primaerp: { apiKey: 'primaerp-key-6f0a', secretKey: 'primaerp-secret-1b7c' },
  });
  gateway = await startGateway(sims, { NODE_ENV: 'production', TIMEGRAPH_API_KEYS: CLIENT_KEY });
  // Reads of every kind: a merged page with people (Xurrent's people endpoint), then lookups by id.
  const page = await gateway.post({ query: '{ timeEntries(first: 60) { nodes { id source person { name email } } } }' }, CLIENT_HEADERS);
  expect(page.json.errors).toBeUndefined();
  const ids = page.json.data.timeEntries.nodes.map((n: { id: string }) => n.id);
  const again = await gateway.post({ query: 'query($ids: [ID!]!) { nodes(ids: $ids) { id } }', variables: { ids } }, CLIENT_HEADERS);
  expect(again.json.errors).toBeUndefined();
  for (const sim of [sims.laurel, sims.xurrent, sims.primaerp]) expect(sim.requests.length).toBeGreaterThan(1);
});
afterAll(async () => {
  await gateway.close();
  await sims.close();
});

describe('upstream requests', () => {
  it('carry no client header: neither its credentials, cookies, account nor forwarding headers', () => {
    const all = seen([...sims.laurel.requests, ...sims.xurrent.requests, ...sims.primaerp.requests]);
    for (const value of [CLIENT_KEY, 'client-cookie-55e1', 'client-account-91bd', '203.0.113.77', 'client-request-id-3c2f', 'client-lang-x1']) {
      expect(all).not.toContain(value);
    }
    for (const sim of [sims.laurel, sims.xurrent, sims.primaerp]) {
      for (const r of sim.requests) {
        expect(r.headers.cookie).toBeUndefined();
        expect(r.headers['x-forwarded-for']).toBeUndefined();
      }
    }
  });

  it('to each backend carry only that backend\'s credentials', () => {
    const laurel = seen(sims.laurel.requests);
    const xurrent = seen(sims.xurrent.requests);
    const primaerp = seen(sims.primaerp.requests);
    // Tokens the backends issued during the run travel too: Laurel's access token, primaERP's session token.
    const laurelToken = sims.laurel.requests.map((r) => r.headers.authorization).find((a) => a?.startsWith('Bearer '))!.slice(7);
    const primaerpToken = sims.primaerp.requests.map((r) => r.query.get('token')).find((t) => t)!;
    const own = {
      laurel: ['laurel-id-0c1d', 'laurel-secret-8e2f', laurelToken],
      xurrent: ['xurrent-token-4a6b', 'xurrent-account-2d9e'],
      primaerp: ['primaerp-key-6f0a', Buffer.from('primaerp-secret-1b7c:').toString('base64'), 'primaerp-secret-1b7c', primaerpToken],
    };
    // (Laurel's client id and secret travel in the token request's body, which the log does not keep.)
    expect(laurel).toContain(laurelToken);
    expect(xurrent).toContain('xurrent-token-4a6b');
    expect(primaerp).toContain('primaerp-key-6f0a');
    for (const secret of [...own.xurrent, ...own.primaerp]) expect(laurel).not.toContain(secret);
    for (const secret of [...own.laurel, ...own.primaerp]) expect(xurrent).not.toContain(secret);
    for (const secret of [...own.laurel, ...own.xurrent]) expect(primaerp).not.toContain(secret);
  });
});
