/**
 * Limits on what one operation may ask for, checked while it is parsed and validated (and, for what
 * depends on variables, before it executes: `variables.ts`), so a refused operation never reaches a
 * resolver and never makes an upstream call. GraphQL Armor's rules.
 */
import { costLimitPlugin, costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesPlugin } from '@escape.tech/graphql-armor-max-directives';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import type { GraphQLArmorRejectCallback } from '@escape.tech/graphql-armor-types';
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { SecurityConfig } from './config.js';
import { useNoSuggestions } from './suggestions.js';
import { useVariableChecks } from './variables.js';

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

/**
 * The Armor plugins, the variable checks, and in production mode introspection and suggestions off.
 */
export function queryLimitPlugins(config: SecurityConfig): Plugin[] {
  const cost = { maxCost: config.maxCost, ignoreIntrospection: true, ...report('cost') };
  const plugins: Plugin[] = [
    // Counted while parsing, so a huge document is dropped before it is ever a tree.
    maxTokensPlugin({ n: config.maxTokens }) as Plugin,
    // `__schema` fields are not counted: GraphiQL's own introspection query is deeper than 8 (it is
    // still bounded by the token limit, and production mode refuses introspection altogether).
    maxDepthPlugin({ n: config.maxDepth, ignoreIntrospection: true, ...report('depth') }),
    maxAliasesPlugin({ n: config.maxAliases, ...report('aliases') }),
    maxDirectivesPlugin({ n: config.maxDirectives, ...report('directives') }),
    costLimitPlugin(cost),
    useVariableChecks({ production: config.production, costRule: costLimitRule(cost) }),
  ];
  if (config.production) {
    plugins.push(useDisableIntrospection(), useNoSuggestions());
  }
  return plugins;
}
