import type { Resolvers } from '../generated/graphql.js';
import { sourceStatuses } from '../server/source-health.js';

/** `Query.sourceStatus`: the backends' circuit breakers, read without any upstream call. */
export const statusResolvers: Resolvers = {
  Query: { sourceStatus: (_root, _args, ctx) => sourceStatuses(ctx.sources) },
};
