// What validation cannot see: the cost of page sizes given as variables, and bad variable values.
// Refusals make zero upstream calls; production mode suggests nothing, in documents or in variables.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startGateway, startSims, type Sims, type TestGateway } from './support.js';

const FIELDS = 'nodes { id source workDate description }';
/** Ten aliased pages of `first: <size>`: 70,000 at 500, over the default limit of 50,000. */
const tenPages = (size: string) => Array.from({ length: 10 }, (_, i) => `a${i}: timeEntries(first: ${size}) { ${FIELDS} }`).join(' ');
const COST_REFUSAL = { message: 'Query Cost limit of 50000 exceeded, found 70000.', extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit: 'cost' } };

let sims: Sims;
let dev: TestGateway;
let prod: TestGateway;
const API_KEY = 'variables-suite-key';

beforeAll(async () => {
  sims = await startSims();
  dev = await startGateway(sims);
  prod = await startGateway(sims, { NODE_ENV: 'production', TIMEGRAPH_API_KEYS: API_KEY });
});
afterAll(async () => {
  await Promise.all([dev?.close(), prod?.close()]);
  await sims?.close();
});
beforeEach(() => sims.reset());

describe('the cost limit counts page sizes given as variables', () => {
  afterEach(() => expect(sims.calls()).toBe(0));

  it('refuses ten pages of $n = 500 as it refuses ten literal pages of 500', async () => {
    const literal = await dev.post({ query: `{ ${tenPages('500')} }` });
    const variable = await dev.post({ query: `query Pages($n: Int!) { ${tenPages('$n')} }`, variables: { n: 500 } });
    expect(literal.json.errors).toEqual([COST_REFUSAL]);
    expect(variable.json).toEqual({ errors: [COST_REFUSAL] });
    expect(variable.status).toBe(literal.status);
  });

  it("counts a variable's default value", async () => {
    const res = await dev.post({ query: `query Pages($n: Int = 500) { ${tenPages('$n')} }` });
    expect(res.json).toEqual({ errors: [COST_REFUSAL] });
  });

  it('counts variables inside fragments, as it counts literals there', async () => {
    const literal = await dev.post({ query: `{ ...P } fragment P on Query { ${tenPages('500')} }` });
    const variable = await dev.post({ query: `query Pages($n: Int!) { ...P } fragment P on Query { ${tenPages('$n')} }`, variables: { n: 500 } });
    expect(literal.json.errors).toHaveLength(1);
    expect(literal.json.errors[0].extensions).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'cost' });
    expect(variable.json).toEqual({ errors: literal.json.errors });
  });
});

describe('within the limit', () => {
  it('ten pages of $n = 1 are served and reach the backends', async () => {
    const res = await dev.post({ query: `query Pages($n: Int!) { ${tenPages('$n')} }`, variables: { n: 1 } });
    expect(res.json.errors).toBeUndefined();
    expect(res.json.data.a9.nodes).toHaveLength(1);
    expect(sims.calls()).toBeGreaterThan(0);
  });
});

describe('bad variable values are BAD_USER_INPUT naming the variable path', () => {
  afterEach(() => expect(sims.calls()).toBe(0));
  const QUERY = 'query Entries($f: TimeEntryFilter) { timeEntries(filter: $f) { nodes { id } } }';
  const auth = { authorization: `Bearer ${API_KEY}` };

  it('an unknown input field, in production: no suggestion, the path [f, sourcez]', async () => {
    const res = await prod.post({ query: QUERY, variables: { f: { sourcez: ['XURRENT'] } } }, auth);
    expect(res.status).toBe(400);
    expect(res.json.errors).toHaveLength(1);
    const [error] = res.json.errors;
    expect(error.extensions).toEqual({ code: 'BAD_USER_INPUT', variable: ['f', 'sourcez'] });
    expect(error.message).toContain('Field "sourcez" is not defined by type "TimeEntryFilter"');
    expect(error.message).not.toMatch(/did you mean|sources/i);
  });

  it('a wrong enum value in a list, in production: no suggestion, the path [f, sources, 0]', async () => {
    const res = await prod.post({ query: QUERY, variables: { f: { sources: ['XURRNT'] } } }, auth);
    expect(res.status).toBe(400);
    expect(res.json.errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', variable: ['f', 'sources', 0] });
    expect(res.json.errors[0].message).toContain('"XURRNT"');
    expect(res.json.errors[0].message).not.toMatch(/did you mean|"XURRENT"/i);
  });

  it('a missing required variable names it', async () => {
    const res = await prod.post({ query: 'query One($id: ID!) { node(id: $id) { id } }' }, auth);
    expect(res.json.errors[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', variable: ['id'] } });
    expect(res.json.errors[0].message).toContain('"$id"');
  });

  it('development keeps the suggestion, with the same code and path', async () => {
    const res = await dev.post({ query: QUERY, variables: { f: { sources: ['XURRNT'] } } });
    expect(res.json.errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', variable: ['f', 'sources', 0] });
    expect(res.json.errors[0].message).toContain('Did you mean the enum value "XURRENT"?');
  });
});

describe('production mode suggests nothing in the document either', () => {
  afterEach(() => expect(sims.calls()).toBe(0));
  const auth = { authorization: `Bearer ${API_KEY}` };

  it.each([
    ['an enum value', '{ timeEntries(sort: WORK_DATE_DES) { nodes { id } } }', 'WORK_DATE_DESC'],
    ['a field', '{ timeEntries { nodez { id } } }', '"nodes"'],
    ['an argument', '{ timeEntries(firts: 1) { nodes { id } } }', '"first"'],
    ['a type', 'query Q($f: TimeEntryFiltr) { timeEntries(filter: $f) { nodes { id } } }', 'TimeEntryFilter'],
  ])('%s', async (_what, query, suggestion) => {
    const res = await prod.post({ query }, auth);
    const messages = res.json.errors.map((e: { message: string }) => e.message).join(' | ');
    expect(res.json.errors.length).toBeGreaterThan(0);
    expect(messages).not.toMatch(/did you mean|suggestion/i);
    expect(messages).not.toContain(suggestion);
    // The same mistake in development is answered with the suggestion.
    const devMessages = (await dev.post({ query })).json.errors.map((e: { message: string }) => e.message).join(' | ');
    expect(devMessages).toContain(suggestion);
  });
});
