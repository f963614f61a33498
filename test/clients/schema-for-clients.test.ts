// Client tooling reads the schema itself: GraphiQL's docs need descriptions, codegen needs
// @specifiedBy, normalized caches trust any field named `id`, and sibling fragments must merge.
import {
  buildASTSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isIntrospectionType,
  isLeafType,
  isObjectType,
  isScalarType,
  isSpecifiedScalarType,
  parse,
  validate,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLScalarType,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { isFederationSpecName } from '../../src/server/federation.js';
import { getSchema, readTypeDefs } from '../../src/server/schema.js';
import { SOURCES } from '../../src/sources/registry.js';

const schema = getSchema();
// The federation specification's own types and root fields (`_Any`, `_entities`, …) come from @apollo/subgraph.
const ownTypes = Object.values(schema.getTypeMap()).filter((t) => !isIntrospectionType(t) && !isSpecifiedScalarType(t) && !isFederationSpecName(t.name));

describe('descriptions', () => {
  it('every type, field, argument, input field and enum value has one (GraphiQL shows them as the docs)', () => {
    const missing: string[] = [];
    for (const type of ownTypes) {
      if (!type.description) missing.push(`type ${type.name}`);
      if (isObjectType(type) || isInterfaceType(type)) {
        for (const field of Object.values(type.getFields())) {
          if (isFederationSpecName(field.name)) continue;
          if (!field.description) missing.push(`field ${type.name}.${field.name}`);
          for (const arg of field.args) if (!arg.description) missing.push(`argument ${type.name}.${field.name}(${arg.name})`);
        }
      }
      if (isInputObjectType(type)) for (const field of Object.values(type.getFields())) if (!field.description) missing.push(`input field ${type.name}.${field.name}`);
      if (isEnumType(type)) for (const value of type.getValues()) if (!value.description) missing.push(`enum value ${type.name}.${value.name}`);
    }
    expect(missing).toEqual([]);
    // The walk above must have seen the root types and their arguments, or it proves nothing.
    expect(schema.getQueryType()?.description).toBeTruthy();
    expect(schema.getMutationType()?.description).toBeTruthy();
    expect(schema.getQueryType()?.getFields().timeEntries.args.map((a) => a.name)).toEqual(['filter', 'sort', 'first', 'after', 'last', 'before']);
  });
});

describe('scalars', () => {
  it('every custom scalar names its specification with @specifiedBy, in the SDL and in the running schema', () => {
    const custom = ownTypes.filter(isScalarType);
    expect(custom.map((s) => s.name).sort()).toEqual(['Date', 'DateTime']);
    // codegen reads the SDL; introspection reads the running schema: both must say the same.
    const sdl = buildASTSchema(parse(readTypeDefs().join('\n')), { assumeValid: true });
    for (const scalar of custom) {
      expect(scalar.specifiedByURL).toMatch(/^https:\/\//);
      expect(scalar.specifiedByURL).toBe((sdl.getType(scalar.name) as GraphQLScalarType).specifiedByURL);
      expect(scalar.description).toBe(sdl.getType(scalar.name)?.description);
    }
  });
});

describe('ids a normalized cache can trust', () => {
  it('only Node types have an `id` field; vendor ids of nested objects are `sourceId` (or `code`)', () => {
    const node = schema.getType('Node');
    const offenders = ownTypes
      .filter((t): t is GraphQLObjectType => isObjectType(t) && 'id' in t.getFields())
      .filter((t) => !t.getInterfaces().some((i) => i === node))
      .map((t) => t.name);
    expect(offenders).toEqual([]);
    // The types the issue named keep their vendor id under another name.
    for (const name of ['XurrentReference', 'XurrentWorkItem', 'PrimaerpTask', 'PrimaerpUser']) {
      expect(Object.keys((schema.getType(name) as GraphQLObjectType).getFields())).toContain('sourceId');
    }
    expect(Object.keys((schema.getType('LaurelEntryReleaseResult') as GraphQLObjectType).getFields())).toContain('entryId');
  });
});

/** A selection of every field reachable from `type` (leaves, and objects to `depth`), skipping required arguments. */
function selectAll(type: GraphQLObjectType, depth: number): string {
  const parts: string[] = ['__typename'];
  for (const field of Object.values(type.getFields()) as Array<GraphQLField<unknown, unknown>>) {
    if (field.args.some((a) => a.type.toString().endsWith('!') && a.defaultValue === undefined)) continue;
    const named = getNamedType(field.type);
    if (isLeafType(named)) parts.push(field.name);
    else if (depth > 0 && isObjectType(named)) parts.push(`${field.name} { ${selectAll(named, depth - 1)} }`);
    else if (depth > 0 && isInterfaceType(named)) parts.push(`${field.name} { __typename }`);
  }
  return parts.join(' ');
}

describe('sibling fragments on the entry types', () => {
  it('select every field of every backend at once without a conflict (e.g. task { sourceId })', () => {
    const types = schema.getPossibleTypes(schema.getType('TimeEntry') as never) as GraphQLObjectType[];
    expect(types.length).toBe(SOURCES.length);
    const fragments = types.map((t) => `... on ${t.name} { ${selectAll(t, 3)} }`).join('\n');
    const document = parse(`query Everything { timeEntries(first: 1) { nodes { ${fragments} } } }`);
    expect(validate(schema, document).map((e) => e.message)).toEqual([]);
    expect(fragments).toMatch(/task \{[^}]*sourceId/);
  });
});
