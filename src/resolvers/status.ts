import type { SourceSet } from '../core/context.js';
import type { CircuitState, Resolvers, SourceStatus } from '../generated/graphql.js';

/** Each configured backend's circuit state, as `Query.sourceStatus` and `GET /health` show it. */
export function sourceStatuses(sources: SourceSet): SourceStatus[] {
  return sources.enabled.map((adapter) => {
    const s = adapter.status?.() ?? { state: 'CLOSED' as CircuitState, consecutiveFailures: 0, openedAt: null };
    return {
      source: adapter.source,
      circuit: s.state,
      consecutiveFailures: s.consecutiveFailures,
      openedAt: s.openedAt === null ? null : new Date(s.openedAt).toISOString(),
    };
  });
}

/** `Query.sourceStatus`: the backends' circuit breakers, read without any upstream call. */
export const statusResolvers: Resolvers = {
  Query: { sourceStatus: (_root, _args, ctx) => sourceStatuses(ctx.sources) },
};
