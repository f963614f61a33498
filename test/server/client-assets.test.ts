// GraphiQL's page is 9 MB (inlined to work offline) and clients need possibleTypes where introspection is
// off: both must come compressed, cacheable, and in production the types must still be served.
import { readFileSync } from 'node:fs';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { getIntrospectionQuery, graphqlSync } from 'graphql';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getSchema } from '../../src/server/schema.js';
import { negotiateEncoding } from '../../src/server/static-asset.js';
import { send, startGateway, startSims, type Sims, type TestGateway } from '../security/support.js';
import { SOURCES } from '../../src/sources/registry.js';

let sims: Sims;
let dev: TestGateway;
let prod: TestGateway;
const KEY = 'client-assets-key';
const shipped = JSON.parse(readFileSync(new URL('../../src/generated/possible-types.json', import.meta.url), 'utf8'));
const assetUrl = (gateway: TestGateway) => `${gateway.url}/possible-types.json`;

beforeAll(async () => {
  sims = await startSims();
  [dev, prod] = await Promise.all([startGateway(sims), startGateway(sims, { NODE_ENV: 'production', TIMEGRAPH_API_KEYS: KEY })]);
});
afterAll(async () => {
  await Promise.all([dev.close(), prod.close()]);
  await sims.close();
});

/** undici's request() does not decode Content-Encoding: the bytes are what the gateway sent. */
async function raw(url: string, headers: Record<string, string>) {
  const res = await request(url, { headers });
  return { status: res.statusCode, headers: res.headers, body: Buffer.from(await res.body.arrayBuffer()) };
}

describe('the GraphiQL page', () => {
  it('is sent brotli- or gzip-compressed by Accept-Encoding, to a fraction of its size', async () => {
    const plain = await raw(dev.url, { accept: 'text/html' });
    expect(plain.status).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    const html = plain.body.toString('utf8');
    expect(html).toContain('<title>TimeGraph</title>');
    expect(html).toContain('query LastWeek');

    const br = await raw(dev.url, { accept: 'text/html', 'accept-encoding': 'gzip, deflate, br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.body).toString('utf8')).toBe(html);
    expect(br.body.length).toBeLessThan(plain.body.length / 3);

    const gz = await raw(dev.url, { accept: 'text/html', 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).toString('utf8')).toBe(html);
    expect(gz.body.length).toBeLessThan(plain.body.length / 3);
    for (const res of [plain, br, gz]) expect(res.headers.vary).toBe('Accept-Encoding, Accept');
  });

  it('is cacheable: Cache-Control, an ETag per encoding, and 304 without a body when it still matches', async () => {
    const first = await raw(dev.url, { accept: 'text/html', 'accept-encoding': 'br' });
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"[\w-]+-br"$/);
    expect(first.headers['cache-control']).toMatch(/max-age=\d+/);
    const again = await raw(dev.url, { accept: 'text/html', 'accept-encoding': 'br', 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    expect(again.headers.etag).toBe(etag);
    // A cached brotli body must not satisfy a client that only takes gzip.
    const gz = await raw(dev.url, { accept: 'text/html', 'accept-encoding': 'gzip', 'if-none-match': etag });
    expect(gz.status).toBe(200);
    expect(gz.headers.etag).not.toBe(etag);
  });

  it('leaves GET requests for GraphQL results to GraphQL', async () => {
    const res = await send(`${dev.url}?query=${encodeURIComponent('{ __typename }')}`, { headers: { accept: 'application/json', 'x-graphql-yoga-csrf': '1' } });
    expect(res.json).toEqual({ data: { __typename: 'Query' } });
  });
});

describe('possibleTypes at /graphql/possible-types.json', () => {
  it('is the shipped file, and matches what introspection of the running schema says', async () => {
    const res = await send(assetUrl(dev));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.json).toEqual(shipped);
    const { data } = graphqlSync({ schema: getSchema(), source: getIntrospectionQuery() }) as { data: any };
    const fromIntrospection: Record<string, string[]> = {};
    // `_Entity` is the federation union that only routers query (via _entities).
    for (const t of data.__schema.types) if (t.possibleTypes && t.name !== '_Entity') fromIntrospection[t.name] = t.possibleTypes.map((p: { name: string }) => p.name).sort();
    expect(res.json.possibleTypes).toEqual(fromIntrospection);
    expect(res.json.possibleTypes.TimeEntry).toEqual(SOURCES.map((s) => s.typename).sort());
  });

  it('is served in production, where introspection is refused', async () => {
    const introspection = await prod.post({ query: '{ __schema { types { name } } }' }, { 'x-api-key': KEY });
    expect(introspection.json.errors[0].message).toMatch(/introspection has been disabled/);
    const res = await raw(assetUrl(prod), { 'accept-encoding': 'gzip' });
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(res.body).toString('utf8'))).toEqual(shipped);
  });
});

describe('negotiateEncoding', () => {
  it.each([
    ['gzip, deflate, br', 'br'],
    ['br;q=0, gzip', 'gzip'],
    ['gzip;q=0.5, br;q=0', 'gzip'],
    ['*', 'br'],
    ['*;q=0', 'identity'],
    ['identity', 'identity'],
    ['', 'identity'],
    ['deflate', 'identity'],
  ])('%j → %s', (header, expected) => {
    expect(negotiateEncoding(header)).toBe(expected);
  });
});
