// The README's Apollo Client and urql set-ups are what new users copy: this runs those blocks exactly as
// written (only the URL changes) against a gateway over the simulators.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, fetchExchange, gql } from '@urql/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack.js';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const README_URL = 'http://127.0.0.1:4000/graphql';

/** The README's ```ts blocks (also those indented inside a list), dedented. */
const tsBlocks = [...README.matchAll(/^( *)```ts\n([^]*?)^\1```/gm)].map(([, indent, body]) =>
  body.split('\n').map((line) => line.slice(indent.length)).join('\n'),
);
const blockImporting = (pkg: string) => {
  const found = tsBlocks.filter((block) => block.includes(`from '${pkg}'`));
  if (found.length !== 1) throw new Error(`expected one README block importing ${pkg}, found ${found.length}`);
  return found[0];
};

let stack: Stack;
let dir: string;
let apollo: any;
let urql: any;

/** Writes a block next to this file (so its imports resolve from the project) and imports it. */
async function load(name: string, block: string) {
  expect(block).toContain(README_URL);
  const file = join(dir, `${name}.ts`);
  writeFileSync(file, block.replaceAll(README_URL, stack.url));
  return import(file);
}

beforeAll(async () => {
  stack = await startStack();
  dir = mkdtempSync(join(fileURLToPath(new URL('.', import.meta.url)), '.snippets-'));
  apollo = await load('apollo', blockImporting('@apollo/client'));
  urql = await load('urql', blockImporting('@urql/core'));
}, 60_000);
afterAll(async () => {
  apollo?.client.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
  await stack?.close();
});

const RECENT_100 = `{ timeEntries(first: 100, sort: UPDATED_AT_DESC) { nodes { id } } }`;

describe('the README Apollo Client set-up', () => {
  it('fetchMore merges the second page after the first: the same 100 entries in the same order as one request', async () => {
    const merged = await apollo.firstTwoPages();
    const direct = await stack.gql(RECENT_100);
    expect(merged.timeEntries.edges).toHaveLength(100);
    expect(merged.timeEntries.edges.map((edge: any) => edge.node.id)).toEqual(direct.data.timeEntries.nodes.map((n: any) => n.id));
    const xurrent = merged.timeEntries.edges.map((edge: any) => edge.node).filter((node: any) => node.source === 'XURRENT');
    expect(xurrent.length).toBeGreaterThan(0);
    for (const node of xurrent) expect(node.timeSpent).toBe(node.duration.minutes);
  });

  it('keeps the other backends\' entries and reports the failing one (errorPolicy all)', async () => {
    stack.sims.xurrent.faults.failNext = 1000;
    try {
      const result = await apollo.client.query({ query: apollo.RECENT_ENTRIES, fetchPolicy: 'network-only' });
      const sources = new Set(result.data.timeEntries.edges.map((edge: any) => edge.node.source));
      expect(sources.has('XURRENT')).toBe(false);
      expect(sources.size).toBeGreaterThan(0);
      expect(result.error.errors.map((e: any) => e.extensions.source)).toContain('XURRENT');
    } finally {
      stack.sims.xurrent.faults.failNext = 0;
    }
  });
});

describe('the README urql set-up', () => {
  const week = { from: '2026-10-19', to: '2026-10-25' };

  it('answers the hours per backend that a direct request gives', async () => {
    const result = await urql.urql.query(urql.HOURS_BY_SOURCE, week).toPromise();
    expect(result.error).toBeUndefined();
    const direct = await stack.gql(`query($from: Date!, $to: Date!) { timeEntries(filter: { workDateFrom: $from, workDateTo: $to }, first: 100) { nodes { source duration { hours } } } }`, week);
    // urql's document cache adds __typename to every selection.
    const withoutTypename = (value: unknown) => JSON.parse(JSON.stringify(value, (key, v) => (key === '__typename' ? undefined : v)));
    expect(withoutTypename(result.data.timeEntries.nodes)).toEqual(direct.data.timeEntries.nodes);
    expect(result.data.timeEntries.nodes.length).toBeGreaterThan(0);
  });

  it('needs its CSRF header: urql\'s default GET without it is refused', async () => {
    const bare = new Client({ url: stack.url, exchanges: [fetchExchange] });
    const result = await bare.query(gql`query Typename { __typename }`, {}).toPromise();
    expect(result.error?.response?.status).toBe(403);
  });
});
