/**
 * Limits on what one operation may ask for, checked while it is parsed and validated, so a refused
 * operation never reaches a resolver (and never makes an upstream call). GraphQL Armor's rules.
 */
import { blockFieldSuggestionsPlugin } from '@escape.tech/graphql-armor-block-field-suggestions';
import { costLimitPlugin } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesPlugin } from '@escape.tech/graphql-armor-max-directives';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import type { GraphQLArmorRejectCallback } from '@escape.tech/graphql-armor-types';
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { SecurityConfig } from './config.js';

/**
 * Reports a refusal as a validation error with `extensions { code, limit }` instead of throwing
 * Armor's "Syntax Error" (the operation is well-formed, it is only too big), so every rule runs and
 * the client sees every limit it broke.
 */
function report(limit: 'depth' | 'aliases' | 'directives' | 'cost'): { propagateOnRejection: false; onReject: GraphQLArmorRejectCallback[] } {
  return {
    propagateOnRejection: false,
    onReject: [
      (context, error) =>
        context?.reportError(
          new GraphQLError(error.message.replace(/^Syntax Error: /, ''), { extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit } }),
        ),
    ],
  };
}

/** The Armor plugins, plus introspection and field suggestions off in production mode. */
export function queryLimitPlugins(config: SecurityConfig): Plugin[] {
  const plugins: Plugin[] = [
    // Counted while parsing, so a huge document is dropped before it is ever a tree.
    maxTokensPlugin({ n: config.maxTokens }) as Plugin,
    // `__schema` fields are not counted: GraphiQL's own introspection query is deeper than 8 (it is
    // still bounded by the token limit, and production mode refuses introspection altogether).
    maxDepthPlugin({ n: config.maxDepth, ignoreIntrospection: true, ...report('depth') }),
    maxAliasesPlugin({ n: config.maxAliases, ...report('aliases') }),
    maxDirectivesPlugin({ n: config.maxDirectives, ...report('directives') }),
    costLimitPlugin({ maxCost: config.maxCost, ignoreIntrospection: true, ...report('cost') }),
  ];
  if (config.production) {
    plugins.push(useDisableIntrospection(), blockFieldSuggestionsPlugin());
  }
  return plugins;
}
