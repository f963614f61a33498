import { GraphQLError } from 'graphql';
import { createGraphQLError } from 'graphql-yoga';
import { isSourceError, toGraphQLError } from '../core/errors.js';

/**
 * What a client may see of an error: GraphQL errors we made on purpose (bad input, not found) and
 * backend failures as `{ code, source }`; anything else becomes a generic message with no stack,
 * path, upstream URL or token.
 */
export function maskError(error: unknown, message: string): Error {
  if (error instanceof GraphQLError) {
    const original = error.originalError;
    if (isSourceError(original)) {
      const mapped = toGraphQLError(original, error.path);
      return new GraphQLError(mapped.message, { nodes: error.nodes, path: error.path, extensions: mapped.extensions });
    }
    if (!original || original instanceof GraphQLError) return error;
    return createGraphQLError(message, { nodes: error.nodes, path: error.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  }
  if (isSourceError(error)) return toGraphQLError(error);
  return createGraphQLError(message, { extensions: { code: 'INTERNAL_SERVER_ERROR' } });
}
