import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import { mergeResolvers } from '@graphql-tools/merge';
import { parse, type GraphQLSchema } from 'graphql';
import type { Resolvers } from '../generated/graphql.js';
import { mutationResolvers } from '../resolvers/mutation.js';
import { queryResolvers } from '../resolvers/query.js';
import { DateScalar, DateTimeScalar } from '../resolvers/scalars.js';
import { statusResolvers } from '../resolvers/status.js';
import { entryFieldResolvers, timeEntryResolvers } from '../resolvers/time-entry.js';
import { SOURCES } from '../sources/registry.js';
import { federationResolvers, federationTypeDefs } from './federation.js';

const SCHEMA_DIR = fileURLToPath(new URL('../../schema/', import.meta.url));

/** Every `.graphql` file under schema/, read in a stable order. */
export function readTypeDefs(dir = SCHEMA_DIR): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.graphql'))
    .sort()
    .map((file) => readFileSync(join(dir, file), 'utf8'));
}

let schema: GraphQLSchema | undefined;

/**
 * The executable schema, built once per process: nothing about it depends on a request. It is the graph
 * of schema/ and also a federation subgraph (`_service`, `_entities`; see federation.ts).
 */
export function getSchema(): GraphQLSchema {
  schema ??= buildSubgraphSchema({
    typeDefs: parse([...readTypeDefs(), federationTypeDefs].join('\n')),
    resolvers: mergeResolvers([
      { Date: DateScalar, DateTime: DateTimeScalar, Query: queryResolvers, Mutation: mutationResolvers } as Resolvers,
      timeEntryResolvers,
      statusResolvers,
      ...SOURCES.map((def) => def.resolvers as Resolvers),
      Object.fromEntries(SOURCES.map((def) => [def.typename, entryFieldResolvers])),
      federationResolvers,
    ]) as GraphQLResolverMap<unknown>,
  });
  return schema;
}
