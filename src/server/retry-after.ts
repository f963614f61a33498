/**
 * When a whole response failed (no root field holds data: each is null or a page whose every backend
 * failed) and its errors say when to come back (`extensions.retryAfterMs`: a rate limit, an open
 * circuit), the HTTP answer carries `Retry-After` in whole seconds too, so plain HTTP clients and
 * proxies can wait without reading GraphQL errors. A partial answer gets none: its data is good.
 * In a batch, only when every operation failed so.
 */
import type { ExecutionResult } from 'graphql';
import type { Plugin, YogaInitialContext } from 'graphql-yoga';
import type { GatewayContext } from '../core/context.js';
import { isSourceError } from '../core/errors.js';

function retryAfterMsOf(result: ExecutionResult, ctx: GatewayContext): number | null {
  const data = result.data as Record<string, unknown> | null | undefined;
  if (data && Object.entries(data).some(([key, value]) => value !== null && !ctx.failedFields.includes(key))) return null;
  let max: number | null = null;
  for (const error of result.errors ?? []) {
    // A resolver's SourceError is only masked into `extensions` after this plugin has run.
    const ms = isSourceError(error.originalError) ? error.originalError.retryAfterMs : error.extensions?.retryAfterMs;
    if (typeof ms === 'number' && ms > 0) max = Math.max(max ?? 0, ms);
  }
  return max;
}

export function useRetryAfter(): Plugin<GatewayContext> {
  /** Per request: the longest wait of its failed operations, or null once one operation did not fail so. */
  const waits = new WeakMap<Request, number | null>();
  return {
    onExecute() {
      return {
        onExecuteDone({ args, result }) {
          if (!result || Symbol.asyncIterator in result) return;
          const ctx = args.contextValue as GatewayContext & YogaInitialContext;
          const ms = retryAfterMsOf(result, ctx);
          const before = waits.get(ctx.request);
          waits.set(ctx.request, ms === null || before === null ? null : Math.max(ms, before ?? 0));
        },
      };
    },
    onResponse({ request, response }) {
      const ms = waits.get(request);
      if (ms) response.headers.set('retry-after', String(Math.ceil(ms / 1000)));
    },
  };
}
