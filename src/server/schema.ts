import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { GraphQLSchema } from 'graphql';
import type { Resolvers } from '../generated/graphql.js';
import { mutationResolvers } from '../resolvers/mutation.js';
import { queryResolvers } from '../resolvers/query.js';
import { DateScalar, DateTimeScalar } from '../resolvers/scalars.js';
import { statusResolvers } from '../resolvers/status.js';
import { entryFieldResolvers, timeEntryResolvers } from '../resolvers/time-entry.js';
import { SOURCES } from '../sources/registry.js';

const SCHEMA_DIR = fileURLToPath(new URL('../../schema/', import.meta.url));

/** Every `.graphql` file under schema/, read in a stable order. */
export function readTypeDefs(dir = SCHEMA_DIR): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.graphql'))
    .sort()
    .map((file) => readFileSync(join(dir, file), 'utf8'));
}

let schema: GraphQLSchema | undefined;

/** The executable schema, built once per process: nothing about it depends on a request. */
export function getSchema(): GraphQLSchema {
  schema ??= makeExecutableSchema({
    typeDefs: readTypeDefs(),
    resolvers: [
      { Date: DateScalar, DateTime: DateTimeScalar, Query: queryResolvers, Mutation: mutationResolvers } as Resolvers,
      timeEntryResolvers,
      statusResolvers,
      ...SOURCES.map((def) => def.resolvers as Resolvers),
      Object.fromEntries(SOURCES.map((def) => [def.typename, entryFieldResolvers])),
    ],
  });
  return schema;
}
