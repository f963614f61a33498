// Regression: under vitest our code and graphql-yoga loaded two copies of graphql, so error masking
// mistook our own GraphQLErrors for unexpected ones (vitest.config.ts aliases graphql to one file).
import { GraphQLError } from 'graphql';
import { createGraphQLError } from 'graphql-yoga';
import { expect, it } from 'vitest';

it('uses the same graphql module as graphql-yoga', () => {
  expect(createGraphQLError('x')).toBeInstanceOf(GraphQLError);
});
