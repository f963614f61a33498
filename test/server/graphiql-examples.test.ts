// The operations preloaded in GraphiQL are documentation: they must stay valid against the schema.
import { parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { exampleTabs } from '../../src/server/graphiql.js';
import { getSchema } from '../../src/server/schema.js';

describe('GraphiQL examples', () => {
  it.each(exampleTabs.map((tab) => [tab.query.split('\n')[1] ?? tab.query, tab.query]))('%s validates against the schema', (_name, query) => {
    expect(validate(getSchema(), parse(query)).map((e) => e.message)).toEqual([]);
  });
});
