/**
 * Production mode names nothing the client did not already know: graphql-js appends "Did you mean …?"
 * to unknown fields, arguments, types and enum values (in the document and in variables), which maps
 * the schema for anyone without introspection. GraphQL Armor's block-field-suggestions misses the
 * enum form ("Did you mean the enum value …?"), so the one pattern of graphql-js's `didYouMean` is
 * removed here, from validation errors and (see `variables.ts`) from variable errors.
 */
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

const SUGGESTION = /\s*Did you mean [^?]*\?/g;

export function withoutSuggestions(message: string): string {
  return message.replace(SUGGESTION, '');
}

/** Validation errors without suggestions. */
export function useNoSuggestions(): Plugin {
  return {
    onValidate: () => ({ valid, result, setResult }) => {
      if (valid) return;
      setResult(
        result.map((e) =>
          e.message.includes('Did you mean') ? new GraphQLError(withoutSuggestions(e.message), { nodes: e.nodes, source: e.source, positions: e.positions, path: e.path, extensions: e.extensions }) : e,
        ),
      );
    },
  };
}
