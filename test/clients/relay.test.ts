// Relay refused `@connection` on `timeEntries` (PageInfo lacked startCursor/hasPreviousPage): its own
// compiler checks the schema here, and the query it generates runs against the gateway.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { printSchema, printType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getSchema } from '../../src/server/schema.js';
import { startStack, type Stack } from '../support/stack.js';

const run = promisify(execFile);
const RELAY = fileURLToPath(new URL('../../node_modules/relay-compiler/cli.js', import.meta.url));

const FIXTURE = `import { graphql } from 'relay-runtime';
export const list = graphql\`
  fragment EntriesList_query on Query
  @refetchable(queryName: "EntriesListPaginationQuery")
  @argumentDefinitions(count: { type: "Int", defaultValue: 20 }, cursor: { type: "String" }) {
    timeEntries(first: $count, after: $cursor, sort: UPDATED_AT_DESC) @connection(key: "EntriesList_timeEntries") {
      edges { node { id source ...Entry_entry } }
    }
  }
\`;
export const entry = graphql\`
  fragment Entry_entry on TimeEntry @refetchable(queryName: "EntryRefetchQuery") {
    id
    duration { minutes }
    ... on XurrentTimeEntry { task { sourceId subject } }
    ... on PrimaerpTimeRecord { task { sourceId name } }
  }
\`;
`;

/** Runs relay-compiler on the fixture against `schemaText` in a fresh directory. */
async function compile(schemaText: string): Promise<{ ok: boolean; output: string; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'timegraph-relay-'));
  mkdirSync(join(dir, 'src'));
  writeFileSync(join(dir, 'schema.graphql'), schemaText);
  writeFileSync(join(dir, 'src', 'Entries.ts'), FIXTURE);
  writeFileSync(join(dir, 'relay.config.json'), JSON.stringify({ src: './src', schema: './schema.graphql', language: 'typescript' }));
  try {
    const { stdout, stderr } = await run(process.execPath, [RELAY], { cwd: dir });
    return { ok: true, output: stdout + stderr, dir };
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    return { ok: false, output: `${e.stdout ?? ''}${e.stderr ?? ''}`, dir };
  }
}

/** The operation text Relay generated for a query artifact. */
function operationText(dir: string, name: string): string {
  const artifact = readFileSync(join(dir, 'src', '__generated__', `${name}.graphql.ts`), 'utf8');
  return JSON.parse(/"text": ("(?:[^"\\]|\\.)*")/.exec(artifact)![1]) as string;
}

const dirs: string[] = [];
let stack: Stack;
beforeAll(async () => {
  // Relay nests a fragment spread and inline fragments per component; each counts toward the depth
  // limit (8 by default), and this fixture's generated query is 10 deep.
  stack = await startStack({ env: { TIMEGRAPH_MAX_DEPTH: '12' } });
});
afterAll(async () => {
  await stack.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('relay-compiler', () => {
  it('accepts @connection on timeEntries and @refetchable on TimeEntry (through Query.node)', async () => {
    const result = await compile(printSchema(getSchema()));
    dirs.push(result.dir);
    expect(result.output).not.toMatch(/ERROR/);
    expect(result.ok).toBe(true);
    expect(operationText(result.dir, 'EntryRefetchQuery')).toMatch(/node\(id: \$id\)/);
  });

  it('refuses the same fixture when PageInfo lacks hasPreviousPage and startCursor (what it said before)', async () => {
    const pageInfo = printType(getSchema().getType('PageInfo')!);
    const schema = printSchema(getSchema()).replace(pageInfo, 'type PageInfo {\n  hasNextPage: Boolean!\n  endCursor: String\n}');
    expect(schema).not.toMatch(/hasPreviousPage|startCursor/);
    const result = await compile(schema);
    dirs.push(result.dir);
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/@connection used on invalid field 'timeEntries'/);
  });

  it('generates a pagination query that pages through the gateway with endCursor', async () => {
    const result = await compile(printSchema(getSchema()));
    dirs.push(result.dir);
    const query = operationText(result.dir, 'EntriesListPaginationQuery');
    const first = await stack.gql(query, { count: 5 });
    expect(first.errors).toEqual(undefined);
    const page1 = first.data.timeEntries;
    expect(page1.edges).toHaveLength(5);
    expect(page1.pageInfo).toMatchObject({ hasNextPage: true, endCursor: page1.edges[4].cursor });
    const second = await stack.gql(query, { count: 5, cursor: page1.pageInfo.endCursor });
    const page2 = second.data.timeEntries;
    expect(page2.edges).toHaveLength(5);
    const ids = [...page1.edges, ...page2.edges].map((e: { node: { id: string } }) => e.node.id);
    expect(new Set(ids).size).toBe(10);
  });
});
