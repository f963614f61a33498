// Production mode serves only authenticated clients (API keys, or JWTs by secret or JWKS); anyone
// else gets 401 UNAUTHENTICATED before the gateway reads the request or calls a backend.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createGateway } from '../../src/server/gateway.js';
import { send, startGateway, startSims, type Sims, type TestGateway } from './support.js';

const QUERY = { query: '{ timeEntries(first: 1) { nodes { id } } }' };
const JWT_SECRET = 'an-hs256-secret-of-at-least-32-bytes-for-tests';
const ISSUER = 'https://issuer.test';
const AUDIENCE = 'timegraph-tests';

let sims: Sims;
let keys: TestGateway;
let jwt: TestGateway;
let jwks: TestGateway;
let jwksServer: Server;
let signingKey: CryptoKey;
let otherKey: CryptoKey;

async function signHs256(claims: JWTPayload, secret = JWT_SECRET, expiresIn: string | number = '5m'): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().setExpirationTime(expiresIn).sign(new TextEncoder().encode(secret));
}

async function signRs256(claims: JWTPayload, key: CryptoKey, expiresIn: string | number = '5m'): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setIssuedAt().setExpirationTime(expiresIn).sign(key);
}

beforeAll(async () => {
  sims = await startSims();
  const pair = await generateKeyPair('RS256');
  signingKey = pair.privateKey;
  otherKey = (await generateKeyPair('RS256')).privateKey;
  const publicJwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  jwksServer = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys: [publicJwk] }));
  });
  await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
  const jwksUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/.well-known/jwks.json`;
  [keys, jwt, jwks] = await Promise.all([
    startGateway(sims, { NODE_ENV: 'production', TIMEGRAPH_API_KEYS: 'key-one, key-two' }),
    startGateway(sims, { NODE_ENV: 'production', TIMEGRAPH_JWT_SECRET: JWT_SECRET, TIMEGRAPH_JWT_ISSUER: ISSUER, TIMEGRAPH_JWT_AUDIENCE: AUDIENCE }),
    startGateway(sims, { NODE_ENV: 'production', TIMEGRAPH_JWKS_URL: jwksUrl }),
  ]);
});
afterAll(async () => {
  await Promise.all([keys.close(), jwt.close(), jwks.close()]);
  jwksServer.closeAllConnections();
  await new Promise<void>((resolve) => jwksServer.close(() => resolve()));
  await sims.close();
});
beforeEach(() => sims.reset());

function expectUnauthenticated(res: Awaited<ReturnType<TestGateway['post']>>): void {
  expect(res.status).toBe(401);
  expect(res.json).toEqual({ errors: [{ message: expect.any(String), extensions: { code: 'UNAUTHENTICATED' } }] });
  expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="TimeGraph"/);
  expect(sims.calls()).toBe(0);
}

function expectServed(res: Awaited<ReturnType<TestGateway['post']>>): void {
  expect(res.status).toBe(200);
  expect(res.json.errors).toBeUndefined();
  expect(res.json.data.timeEntries.nodes).toHaveLength(1);
  expect(sims.calls()).toBeGreaterThan(0);
}

describe('API keys', () => {
  it('refuses a request without credentials with 401 UNAUTHENTICATED and no upstream call', async () => {
    expectUnauthenticated(await keys.post(QUERY));
  });

  it('refuses an unknown key, in either header, without echoing it', async () => {
    const attempts: Array<Record<string, string>> = [{ authorization: 'Bearer key-three' }, { 'x-api-key': 'key-three' }, { authorization: 'Basic a2V5LW9uZTo=' }];
    for (const headers of attempts) {
      const res = await keys.post(QUERY, headers);
      expectUnauthenticated(res);
      expect(res.text).not.toContain('key-three');
    }
  });

  it('serves a known key sent as a bearer token or as X-API-Key', async () => {
    expectServed(await keys.post(QUERY, { authorization: 'Bearer key-one' }));
    sims.reset();
    expectServed(await keys.post(QUERY, { 'x-api-key': 'key-two' }));
  });

  it('refuses an unauthenticated mutation and an unauthenticated 2 MB body alike', async () => {
    expectUnauthenticated(await keys.post({ query: 'mutation { timeEntryDelete(id: "x") { deletedId } }' }));
    const big = await send(keys.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }', pad: 'x'.repeat(2 << 20) }) });
    expect(big.status).toBe(401);
  });
});

describe('JWTs signed with a secret (HS256)', () => {
  it('serves a valid token with the configured issuer and audience', async () => {
    expectServed(await jwt.post(QUERY, { authorization: `Bearer ${await signHs256({ sub: 'alice', iss: ISSUER, aud: AUDIENCE })}` }));
  });

  it('refuses an expired token', async () => {
    const expired = await signHs256({ sub: 'alice', iss: ISSUER, aud: AUDIENCE }, JWT_SECRET, Math.floor(Date.now() / 1000) - 60);
    expectUnauthenticated(await jwt.post(QUERY, { authorization: `Bearer ${expired}` }));
  });

  it('refuses a token signed with another secret, or for another issuer or audience, or unsigned', async () => {
    const tokens = [
      await signHs256({ iss: ISSUER, aud: AUDIENCE }, 'another-secret-that-is-also-32-bytes-long'),
      await signHs256({ iss: 'https://evil.test', aud: AUDIENCE }),
      await signHs256({ iss: ISSUER, aud: 'someone-else' }),
      `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ iss: ISSUER, aud: AUDIENCE, exp: 9e9 })).toString('base64url')}.`,
    ];
    for (const token of tokens) expectUnauthenticated(await jwt.post(QUERY, { authorization: `Bearer ${token}` }));
  });
});

describe('JWTs verified against a JWKS', () => {
  it('serves a token signed by a key of the JWKS served on loopback', async () => {
    expectServed(await jwks.post(QUERY, { authorization: `Bearer ${await signRs256({ sub: 'bob' }, signingKey)}` }));
  });

  it('refuses a token signed by a key not in the JWKS, and an expired one', async () => {
    expectUnauthenticated(await jwks.post(QUERY, { authorization: `Bearer ${await signRs256({ sub: 'bob' }, otherKey)}` }));
    const expired = await signRs256({ sub: 'bob' }, signingKey, Math.floor(Date.now() / 1000) - 60);
    expectUnauthenticated(await jwks.post(QUERY, { authorization: `Bearer ${expired}` }));
  });

  it('refuses an HS256 token, whatever secret signed it (no algorithm confusion)', async () => {
    expectUnauthenticated(await jwks.post(QUERY, { authorization: `Bearer ${await signHs256({ sub: 'bob' })}` }));
  });
});

describe('configuration', () => {
  it('production mode without client authentication refuses to start, naming the variables', () => {
    expect(() => createGateway({ env: { ...sims.env, NODE_ENV: 'production' } })).toThrow(
      /TIMEGRAPH_API_KEYS, TIMEGRAPH_JWT_SECRET, TIMEGRAPH_JWKS_URL/,
    );
  });

  it('refuses an HS256 secret shorter than 32 bytes', () => {
    expect(() => createGateway({ env: { ...sims.env, TIMEGRAPH_JWT_SECRET: 'short' } })).toThrow(/TIMEGRAPH_JWT_SECRET must be at least 32 bytes/);
  });

  it('refuses a batch limit above 10', () => {
    expect(() => createGateway({ env: { ...sims.env, TIMEGRAPH_BATCH_LIMIT: '11' } })).toThrow(/TIMEGRAPH_BATCH_LIMIT must be an integer between 0 and 10/);
  });
});
