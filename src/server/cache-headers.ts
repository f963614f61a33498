/**
 * The HTTP caching headers of GraphQL answers. An answer is the data of the caller's own backend
 * credentials, so no cache outside the gateway may keep it (`Cache-Control: private, no-store`): the
 * gateway's read cache (`<SOURCE>_CACHE_TTL_MS`) is the only place where data waits, and the
 * staleness a user accepts is its TTL, not the TTL plus some proxy's. An answer that used cached
 * upstream reads says how old the oldest was in `Age` (seconds, as RFC 9111 counts it).
 */
import type { Plugin, YogaInitialContext } from 'graphql-yoga';
import type { GatewayContext } from '../core/context.js';

export function useCacheHeaders(now: () => number = Date.now): Plugin<GatewayContext> {
  const executed = new WeakMap<Request, GatewayContext['cacheUse']>();
  return {
    onExecute({ args }) {
      const ctx = args.contextValue as GatewayContext & YogaInitialContext;
      executed.set(ctx.request, ctx.cacheUse);
    },
    onResponse({ request, response }) {
      const use = executed.get(request);
      if (!use) return;
      response.headers.set('cache-control', 'private, no-store');
      if (use.oldestStoredAt !== undefined) response.headers.set('age', String(Math.max(0, Math.floor((now() - use.oldestStoredAt) / 1000))));
    },
  };
}
