/**
 * What validation cannot see: the variables. Validation results are cached per document, so the cost
 * limit (GraphQL Armor's rule, in `query-limits.ts`) multiplies only literal `first`/`last`, and
 * graphql-js reports bad variable values during execution, with suggestions and no code. Before any
 * resolver runs, this plugin
 * - coerces the variables once, and answers a bad value with `BAD_USER_INPUT` naming the variable path
 *   (`extensions.variable`, e.g. `["f", "sourcez"]`), without suggestions in production;
 * - when a `first`/`last` argument is a variable, runs the same cost rule over the document with the
 *   variables' values in place, refusing with the same `GRAPHQL_VALIDATION_FAILED` / `limit: "cost"`.
 */
import {
  GraphQLError,
  Kind,
  getOperationAST,
  getVariableValues,
  validate,
  visit,
  type ArgumentNode,
  type DocumentNode,
  type ValidationRule,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { withoutSuggestions } from './suggestions.js';

/** Bad variables are answered with HTTP 400, as graphql-js's own variable errors were (the status stays out of the body). */
const HTTP_400 = { http: { status: 400 } };

const PAGE_SIZE_ARGUMENTS = new Set(['first', 'last']);

/** Documents whose `first`/`last` take a variable somewhere (operations or fragments). */
const variablePageSizes = new WeakMap<DocumentNode, boolean>();

function hasVariablePageSize(document: DocumentNode): boolean {
  let found = variablePageSizes.get(document);
  if (found === undefined) {
    found = false;
    visit(document, {
      Argument(node) {
        if (PAGE_SIZE_ARGUMENTS.has(node.name.value) && node.value.kind === Kind.VARIABLE) found = true;
      },
    });
    variablePageSizes.set(document, found);
  }
  return found;
}

/** The document with each variable `first`/`last` replaced by its value, as the cost rule reads literals. */
function withPageSizes(document: DocumentNode, values: Record<string, unknown>): DocumentNode {
  return visit(document, {
    Argument(node): ArgumentNode | undefined {
      if (!PAGE_SIZE_ARGUMENTS.has(node.name.value) || node.value.kind !== Kind.VARIABLE) return undefined;
      const value = values[node.value.name.value];
      if (typeof value !== 'number') return undefined;
      return { ...node, value: { kind: Kind.INT, value: String(value) } };
    },
  });
}

/**
 * `Variable "$f" got invalid value "XURRNT" at "f.sources[0]"; …` → `["f", "sources", 0]` (graphql-js puts
 * the path only into the message).
 */
function variablePath(error: GraphQLError): Array<string | number> | undefined {
  const name = /^Variable "\$([_A-Za-z][_0-9A-Za-z]*)"/.exec(error.message)?.[1];
  if (!name) return undefined;
  const at = / at "([^"]+)"/.exec(error.message)?.[1];
  const steps = at?.startsWith(name) ? (at.slice(name.length).match(/\.[_A-Za-z][_0-9A-Za-z]*|\[\d+\]/g) ?? []) : [];
  const path: Array<string | number> = [name, ...steps.map((s) => (s.startsWith('[') ? Number(s.slice(1, -1)) : s.slice(1)))];
  // An unknown input field is reported at its object: the path goes on to the field itself.
  const unknownField = /; Field "([_A-Za-z][_0-9A-Za-z]*)" is not defined by type/.exec(error.message)?.[1];
  return unknownField ? [...path, unknownField] : path;
}

function variableError(error: GraphQLError, production: boolean): GraphQLError {
  const variable = variablePath(error);
  return new GraphQLError(production ? withoutSuggestions(error.message) : error.message, {
    nodes: error.nodes,
    extensions: { code: 'BAD_USER_INPUT', ...(variable && { variable }), ...HTTP_400 },
  });
}

export function useVariableChecks(options: { production: boolean; costRule: ValidationRule }): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const operation = getOperationAST(args.document, args.operationName);
      if (!operation?.variableDefinitions?.length) return;
      const coerced = getVariableValues(args.schema, operation.variableDefinitions, (args.variableValues ?? {}) as Record<string, unknown>, { maxErrors: 25 });
      if (coerced.errors) {
        setResultAndStopExecution({ errors: coerced.errors.map((e) => variableError(e, options.production)) });
        return;
      }
      if (!hasVariablePageSize(args.document)) return;
      const errors = validate(args.schema, withPageSizes(args.document, coerced.coerced), [options.costRule]);
      if (errors.length > 0) {
        // The same errors, and so the same HTTP status, as a literal page size over the limit gets.
        setResultAndStopExecution({ errors: errors.map((e) => new GraphQLError(e.message, { extensions: e.extensions })) });
      }
    },
  };
}
