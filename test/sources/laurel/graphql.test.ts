// LaurelEntry's own fields through GraphQL: enums mapped from Laurel's values, nested objects, the export root field.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import type { GraphQLSchema } from 'graphql';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { laurelResolvers } from '../../../src/sources/laurel/resolvers.js';
import { readTypeDefs } from '../../../src/server/schema.js';
import type { EntryModel } from '../../../src/core/contract.js';
import { SourceError } from '../../../src/core/errors.js';
import { setup } from './stack.js';

// The same graphql instance @graphql-tools/schema uses (vite would otherwise load graphql's .mjs build beside it).
const { graphql } = createRequire(import.meta.url)('graphql') as typeof import('graphql');

let ctx: Awaited<ReturnType<typeof setup>>;
let schema: GraphQLSchema;

beforeAll(async () => {
  ctx = await setup();
  // The whole SDL: Laurel's file extends the unified mutation inputs, which need the other members.
  const typeDefs = readTypeDefs();
  schema = makeExecutableSchema({
    typeDefs,
    resolvers: [
      laurelResolvers,
      { TimeEntry: { __resolveType: (p: EntryModel) => p.typename }, Node: { __resolveType: (p: EntryModel) => p.typename } },
    ] as never,
    inheritResolversFromInterfaces: true,
  });
});
afterAll(() => ctx.close());

const QUERY = /* GraphQL */ `
  query ($a: DateTime!, $b: DateTime!) {
    laurelEntryExport(releasedAfter: $a, releasedOnOrBefore: $b) {
      sourceId entryId userId summary billingType unitIncrementCount incrementDurationInSeconds lastSyncedAt createdAt updatedAt
      codes { codeExternalId }
      codeDigests { sourceId externalId type { semanticType } }
      initiativeProps { type tags colorHex initiative { sourceId type billingType unitIncrements client { name } } }
      statusInfo { status }
    }
  }
`;

function context(adapter: unknown) {
  return { sources: { require: () => adapter } };
}

describe('LaurelEntry resolvers', () => {
  it('resolves the export record, including the seed example, with UPPER_CASE enums', async () => {
    const res = await graphql({ schema, source: QUERY, variableValues: { a: '2022-08-12T00:00:00Z', b: '2022-08-13T00:00:00Z' }, contextValue: context(ctx.adapter) });
    expect(res.errors).toBeUndefined();
    const rows = (res.data as { laurelEntryExport: Array<Record<string, unknown>> }).laurelEntryExport;
    expect(rows).toHaveLength(1); // the list example was released too, but it is deleted
    const example = rows.find((r) => r.lastSyncedAt === '2022-08-12T00:00:00.000Z')!;
    expect(example).toMatchObject({
      summary: 'text', billingType: 'BILLABLE', unitIncrementCount: 1, incrementDurationInSeconds: 1, codes: null,
      codeDigests: [{ externalId: 'text', type: { semanticType: 'ACTION' } }],
      initiativeProps: { type: 'PMS', tags: ['PINNED'], colorHex: 'fec828', initiative: { type: 'PMS', billingType: 'BILLABLE', unitIncrements: 1, client: { name: 'text' } } },
      statusInfo: null, createdAt: '2022-08-12T20:44:48.000Z',
    });
  });

  it('names the bad argument, and maps a backend failure to extensions { code, source }', async () => {
    const bad = await graphql({ schema, source: QUERY, variableValues: { a: 'yesterday', b: '2022-08-13T00:00:00Z' }, contextValue: context(ctx.adapter) });
    expect(bad.errors?.[0].message).toContain('releasedAfter');
    const failing = { exportEntries: () => Promise.reject(new SourceError('LAUREL', 'SOURCE_UNAVAILABLE', 'LAUREL could not be reached')) };
    const res = await graphql({ schema, source: QUERY, variableValues: { a: '2022-08-12T00:00:00Z', b: '2022-08-13T00:00:00Z' }, contextValue: context(failing) });
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'SOURCE_UNAVAILABLE', source: 'LAUREL' });
  });

  it('resolves the full entry: status variant, sources union, work codes, compliance rules', async () => {
    const deleted = ctx.sim.store.ordered().find((e) => e.statusInfo.status === 'release-failed' && e.summary === 'text')!;
    const { mapEntry } = await import('../../../src/sources/laurel/mapping.js');
    const model = mapEntry(ctx.sim.store.fullDto(deleted));
    const root = { exportEntries: () => Promise.resolve([model]) };
    const res = await graphql({
      schema,
      source: `query { laurelEntryExport(releasedAfter: "2020-01-01T00:00:00Z", releasedOnOrBefore: "2030-01-01T00:00:00Z") {
        isLocked createdAsTimer startedAt creationMethod
        statusInfo { status releaseFailedErrors { title } }
        sources { __typename ... on LaurelActivitySource { creationMethod category startedAt } }
        workCodes { assignedBy code { name } }
        complianceRules { ruleKey enforcementLevel }
      } }`,
      contextValue: context(root),
    });
    expect(res.errors).toBeUndefined();
    expect((res.data as { laurelEntryExport: unknown[] }).laurelEntryExport[0]).toEqual({
      isLocked: true, createdAsTimer: true, startedAt: '2022-08-12T20:44:48.000Z', creationMethod: 'ASYNC',
      statusInfo: { status: 'RELEASE_FAILED', releaseFailedErrors: [{ title: 'text' }] },
      sources: [[{ __typename: 'LaurelActivitySource', creationMethod: 'TIMER', category: 'call', startedAt: '2022-08-12T20:44:48.000Z' }]],
      workCodes: [{ assignedBy: 'USER', code: { name: 'text' } }],
      complianceRules: [{ ruleKey: 'text', enforcementLevel: 'BLOCK' }],
    });
  });
});
