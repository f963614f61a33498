// The README is the product's documentation: every operation in it must be named (typescript-operations
// and persisted-query tooling reject anonymous ones) and valid against the schema.
import { readFileSync } from 'node:fs';
import { Kind, parse, validate, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { getSchema } from '../../src/server/schema.js';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const blocks = [...README.matchAll(/```graphql\n([^]*?)```/g)].map((m) => m[1]);

describe('README operations', () => {
  it('finds the README graphql blocks', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(5);
  });

  it.each(blocks.map((block, i) => [i, block.trim().split('\n')[0], block]))('block %i (%s) is named and valid against the schema', (_i, _first, block) => {
    const document = parse(block);
    const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    expect(operations.length).toBeGreaterThan(0);
    for (const operation of operations) expect(operation.name?.value, `an anonymous ${operation.operation} in:\n${block}`).toBeTruthy();
    expect(validate(getSchema(), document).map((e) => e.message)).toEqual([]);
  });
});
