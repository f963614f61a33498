/**
 * TimeGraph as an Apollo Federation v2.3 subgraph. The keys are derived from the registry, so a new
 * backend's entry type is an entity with no change here; `_entities` is @apollo/subgraph's, and each
 * reference resolves through the same per-request loaders as `nodes` (100 references cost what
 * `nodes` of those ids costs).
 */
import type { GraphQLResolveInfo } from 'graphql';
import type { GatewayContext } from '../core/context.js';
import { loadNode } from '../resolvers/query.js';
import { isEntry } from '../resolvers/time-entry.js';
import { SOURCES } from '../sources/registry.js';

/** The entity types: the `TimeEntry` interface (an entity interface), every backend's entry type, `Person`. */
export const ENTITY_TYPES = ['Person', ...SOURCES.map((def) => def.typename)];

/** The federation additions to the SDL in schema/, which stays a plain GraphQL schema (codegen reads it). */
export const federationTypeDefs = `
# graphql-js knows @oneOf; the federation library's schema builder needs it declared.
directive @oneOf on INPUT_OBJECT
extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
extend interface TimeEntry @key(fields: "id")
${ENTITY_TYPES.map((name) => `extend type ${name} @key(fields: "id")`).join('\n')}
`;

/** Names the federation specification adds (`_entities`, `_Any`, `link__Import`, …): not TimeGraph's own. */
export const isFederationSpecName = (name: string): boolean =>
  name.startsWith('_') || name.startsWith('link__') || name.startsWith('federation__') || name === 'FieldSet';

interface Reference {
  __typename: string;
  id: string;
}

/** Resolves a reference by its global id; an id of another type is no such entity. */
async function resolveReference(reference: Reference, ctx: GatewayContext, _info?: GraphQLResolveInfo) {
  const node = await loadNode(reference.id, 'representations', ctx);
  const typename = isEntry(node) ? node.typename : 'Person';
  const matches = reference.__typename === 'TimeEntry' ? typename !== 'Person' : typename === reference.__typename;
  return matches ? node : null;
}

/** `__resolveReference` for the interface and each entity type. */
export const federationResolvers = Object.fromEntries(
  ['TimeEntry', ...ENTITY_TYPES].map((name) => [name, { __resolveReference: resolveReference }]),
);
