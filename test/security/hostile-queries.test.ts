// Clients that attack: every hostile request is refused before any resolver runs, so the backends
// never see it. Each refusal is paired with the same request made acceptable, which does reach them.
import { Readable } from 'node:stream';
import { getIntrospectionQuery } from 'graphql';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { send, startGateway, startSims, type Sims, type TestGateway } from './support.js';

const PAGE = 'timeEntries(first: 1) { nodes { id } }';
/** 50 levels of inline fragments around a field that reads all three backends. */
const DEPTH_50 = `{ ${'... on Query { '.repeat(50)}${PAGE}${' }'.repeat(50)} }`;
const aliases = (n: number, field = PAGE) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: ${field}`).join(' ')} }`;

let sims: Sims;
let dev: TestGateway;

beforeAll(async () => {
  sims = await startSims();
  dev = await startGateway(sims);
});
afterAll(async () => {
  await dev.close();
  await sims.close();
});
beforeEach(() => sims.reset());

function refusalMessages(res: { json: any }): string {
  return (res.json?.errors ?? []).map((e: { message: string }) => e.message).join(' | ');
}

describe('hostile queries are refused with zero upstream calls', () => {
  afterEach(() => {
    expect(sims.calls()).toBe(0);
  });

  it('refuses a query 50 levels deep (limit 8)', async () => {
    const res = await dev.post({ query: DEPTH_50 });
    expect(res.json.data).toBeUndefined();
    expect(res.json.errors).toContainEqual({
      message: 'Query depth limit of 8 exceeded, found 53.',
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit: 'depth' },
    });
  });

  it('refuses 1000 aliases: the token limit drops it while parsing', async () => {
    const res = await dev.post({ query: aliases(1000) });
    expect(res.json.errors).toEqual([{ message: 'Syntax Error: Token limit of 2000 exceeded.', extensions: { code: 'GRAPHQL_PARSE_FAILED' } }]);
  });

  it('refuses 16 aliases of a backend field (limit 15)', async () => {
    const res = await dev.post({ query: aliases(16) });
    expect(res.json.errors).toContainEqual({
      message: 'Aliases limit of 15 exceeded, found 16.',
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit: 'aliases' },
    });
  });

  it('refuses 51 directives (limit 50)', async () => {
    const res = await dev.post({ query: `{ ${PAGE} ${Array.from({ length: 51 }, (_, i) => `t${i}: __typename @skip(if: false)`).join(' ')} }` });
    expect(refusalMessages(res)).toContain('Directives limit of 50 exceeded, found 51.');
  });

  it('refuses a query over the cost limit (ten full pages of 500)', async () => {
    const res = await dev.post({ query: aliases(10, 'timeEntries(first: 500) { nodes { id source workDate description } }') });
    expect(res.json.errors).toEqual([
      { message: 'Query Cost limit of 50000 exceeded, found 70000.', extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit: 'cost' } },
    ]);
  });

  it('refuses circular fragments', async () => {
    const res = await dev.post({ query: `query { ...A } fragment A on Query { ${PAGE} ...B } fragment B on Query { ...A }` });
    expect(res.json.errors[0]).toMatchObject({ message: 'Cannot spread fragment "A" within itself via "B".', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
  });

  it('does not let an operation named __schema skip the limits meant for introspection', async () => {
    const res = await dev.post({ query: `query __schema ${DEPTH_50}` });
    expect(refusalMessages(res)).toContain('Query depth limit of 8 exceeded');
  });

  it('answers a 2 MB body with 413 before parsing it', async () => {
    const body = JSON.stringify({ query: `{ ${PAGE} }`, variables: { padding: 'x'.repeat(2 * 1024 * 1024) } });
    const res = await send(dev.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(res.status).toBe(413);
    expect(res.json.errors[0].extensions.code).toBe('REQUEST_ENTITY_TOO_LARGE');
  });

  it('answers a 2 MB chunked body without Content-Length with 413', async () => {
    const head = Buffer.from(`{"query":"{ ${PAGE} }","variables":{"padding":"`);
    const chunk = Buffer.alloc(64 * 1024, 'x');
    async function* chunks() {
      yield head;
      for (let i = 0; i < 32; i++) yield chunk;
      yield Buffer.from('"}}');
    }
    const res = await send(dev.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: Readable.from(chunks()) });
    expect(res.status).toBe(413);
  });

  it('refuses a batch of 100 operations (batching is off by default)', async () => {
    const res = await dev.post(Array.from({ length: 100 }, () => ({ query: `{ ${PAGE} }` })));
    expect(res.status).toBe(400);
    expect(res.json.errors[0].message).toBe('Batching is not supported.');
  });

  it('refuses a mutation over GET with 405', async () => {
    const id = Buffer.from('TimeEntry:XURRENT:1').toString('base64url');
    const query = `mutation { timeEntryDelete(id: "${id}") { deletedId userErrors { code } } }`;
    const res = await send(`${dev.url}?query=${encodeURIComponent(query)}`, { headers: { 'x-graphql-yoga-csrf': '1', accept: 'application/json' } });
    expect(res.status).toBe(405);
    expect(res.json.errors[0].message).toBe('Can only perform a mutation operation from a POST request.');
  });

  it('refuses a text/plain POST without the CSRF header with 403', async () => {
    const res = await send(dev.url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ query: `{ ${PAGE} }` }) });
    expect(res.status).toBe(403);
    expect(res.json.errors).toHaveLength(1);
    expect(res.json.errors[0].extensions).toEqual({ code: 'CSRF_HEADER_REQUIRED', header: 'x-graphql-yoga-csrf' });
    expect(res.json.errors[0].message).toContain('"x-graphql-yoga-csrf"');
  });

  it('refuses a GET query without the CSRF header (a browser could send it cross-site), naming the header', async () => {
    const res = await send(`${dev.url}?query=${encodeURIComponent(`{ ${PAGE} }`)}`, { headers: { accept: 'application/json' } });
    expect(res.status).toBe(403);
    expect(res.json.errors[0].extensions).toEqual({ code: 'CSRF_HEADER_REQUIRED', header: 'x-graphql-yoga-csrf' });
  });
});

describe('production mode', () => {
  let prod: TestGateway;
  const auth = { 'x-api-key': 'hostile-suite-key' };
  beforeAll(async () => {
    prod = await startGateway(sims, { NODE_ENV: 'production', TIMEGRAPH_API_KEYS: 'hostile-suite-key' });
  });
  afterAll(() => prod.close());

  it('refuses introspection, with zero upstream calls', async () => {
    const res = await prod.post({ query: '{ __schema { types { name } } }' }, auth);
    expect(res.json.data).toBeUndefined();
    expect(res.json.errors[0].message).toMatch(/introspection has been disabled/);
    expect(sims.calls()).toBe(0);
  });

  it('refuses introspection in an operation named __schema and through __type', async () => {
    const res = await prod.post({ query: 'query __schema { __type(name: "Query") { fields { name } } }' }, auth);
    expect(res.json.data).toBeUndefined();
    expect(res.json.errors[0].message).toMatch(/introspection has been disabled/);
    expect(sims.calls()).toBe(0);
  });

  it('suggests no field names', async () => {
    const res = await prod.post({ query: '{ timeEntrie { nodes { id } } }' }, auth);
    expect(res.json.errors[0].message).not.toContain('timeEntries');
    expect(res.json.errors[0].message).not.toContain('Did you mean');
  });

  it('serves no GraphiQL page', async () => {
    const res = await send(prod.url, { headers: { accept: 'text/html', ...auth } });
    expect(res.text).not.toContain('LastWeek');
  });
});

describe('what stays allowed', () => {
  it('a JSON POST within every limit reaches every registered backend', async () => {
    const res = await dev.post({ query: `{ ${PAGE} }` });
    expect(res.json.errors).toBeUndefined();
    expect(sims.all.length).toBeGreaterThanOrEqual(3);
    for (const sim of sims.all) expect(sim.requests.length, sim.source).toBeGreaterThan(0);
  });

  it('a chunked body within the limit (200 KB in 16 KB chunks) is read whole and answered', async () => {
    const body = JSON.stringify({ query: `{ ${PAGE} }`, variables: { padding: 'x'.repeat(200 * 1024) } });
    async function* chunks() {
      for (let i = 0; i < body.length; i += 16 * 1024) yield Buffer.from(body.slice(i, i + 16 * 1024));
    }
    const res = await send(dev.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: Readable.from(chunks()) });
    expect(res.status).toBe(200);
    expect(res.json.errors).toBeUndefined();
    expect(res.json.data.timeEntries.nodes).toHaveLength(1);
  });

  it('a form POST is served with the CSRF header and refused without it', async () => {
    const form = { method: 'POST', body: `query=${encodeURIComponent('{ __typename }')}` };
    const without = await send(dev.url, { ...form, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(without.status).toBe(403);
    const withHeader = await send(dev.url, { ...form, headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-graphql-yoga-csrf': '1' } });
    expect(withHeader.json).toEqual({ data: { __typename: 'Query' } });
  });

  it('introspection and field suggestions stay on in development', async () => {
    const schema = await dev.post({ query: '{ __schema { queryType { name } } }' });
    expect(schema.json).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
    const typo = await dev.post({ query: '{ timeEntrie { nodes { id } } }' });
    expect(typo.json.errors[0].message).toContain('Did you mean "timeEntries"?');
  });

  it("GraphiQL's full introspection query passes the limits in development", async () => {
    const query = getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true, schemaDescription: true, specifiedByUrl: true, directiveIsRepeatable: true });
    const res = await dev.post({ query });
    expect(res.json.errors).toBeUndefined();
    expect(res.json.data.__schema.queryType).toEqual({ name: 'Query', kind: 'OBJECT' });
  });

  it('the limits are configurable: depth 60 lets the 50-level query through', async () => {
    const deep = await startGateway(sims, { TIMEGRAPH_MAX_DEPTH: '60', TIMEGRAPH_MAX_COST: String(Number.MAX_SAFE_INTEGER) });
    try {
      const res = await deep.post({ query: DEPTH_50 });
      expect(res.json.errors).toBeUndefined();
      expect(sims.calls()).toBeGreaterThan(0);
    } finally {
      await deep.close();
    }
  });

  it('with the token limit raised, the alias limit alone refuses 1000 aliases', async () => {
    const wide = await startGateway(sims, { TIMEGRAPH_MAX_TOKENS: '100000' });
    try {
      const res = await wide.post({ query: aliases(1000) });
      expect(refusalMessages(res)).toContain('Aliases limit of 15 exceeded, found 1000.');
      expect(sims.calls()).toBe(0);
    } finally {
      await wide.close();
    }
  });

  it('batches of at most TIMEGRAPH_BATCH_LIMIT operations when it is set; a batch of 100 stays refused', async () => {
    const batching = await startGateway(sims, { TIMEGRAPH_BATCH_LIMIT: '10' });
    try {
      const big = await batching.post(Array.from({ length: 100 }, () => ({ query: `{ ${PAGE} }` })));
      expect(big.status).toBe(413);
      expect(sims.calls()).toBe(0);
      const small = await batching.post([{ query: '{ __typename }' }, { query: '{ __typename }' }]);
      expect(small.json).toEqual([{ data: { __typename: 'Query' } }, { data: { __typename: 'Query' } }]);
    } finally {
      await batching.close();
    }
  });
});
