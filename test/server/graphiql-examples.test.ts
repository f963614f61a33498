// The operations preloaded in GraphiQL are documentation: they must stay valid against the schema, and
// run as they are in demo mode (ids that exist, no blank variables to fill in).
import { parse, validate } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_IDS, exampleTabs } from '../../src/server/graphiql.js';
import { getSchema } from '../../src/server/schema.js';
import { startStack, type Stack } from '../support/stack.js';

const named = exampleTabs.map((tab) => [/(?:query|mutation) (\w+)/.exec(tab.query)![1], tab] as const);

describe('GraphiQL examples', () => {
  it.each(exampleTabs.map((tab) => [tab.query.split('\n')[1] ?? tab.query, tab.query]))('%s validates against the schema', (_name, query) => {
    expect(validate(getSchema(), parse(query)).map((e) => e.message)).toEqual([]);
  });

  describe('in demo mode', () => {
    let stack: Stack;
    beforeAll(async () => {
      stack = await startStack();
    });
    afterAll(() => stack.close());

    it.each(named)('%s runs as preloaded, without errors or userErrors', async (_name, tab) => {
      const variables = 'variables' in tab && tab.variables ? (JSON.parse(tab.variables) as Record<string, unknown>) : undefined;
      const res = await stack.gql(tab.query, variables);
      expect(res.errors).toEqual(undefined);
      expect(JSON.stringify(res.data)).not.toMatch(/"userErrors":\[\{/);
    });

    it('ById finds every one of its ids, one per backend', async () => {
      const tab = named.find(([name]) => name === 'ById')![1];
      const res = await stack.gql(tab.query, JSON.parse(tab.variables!));
      expect(res.data.nodes.map((n: { id: string; source: string }) => [n.id, n.source])).toEqual([
        [DEMO_IDS.laurel, 'LAUREL'],
        [DEMO_IDS.xurrent, 'XURRENT'],
        [DEMO_IDS.primaerp, 'PRIMAERP'],
      ]);
    });
  });
});
