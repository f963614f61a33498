/**
 * Cross-origin access: only the origins of `TIMEGRAPH_CORS_ORIGINS` (default none) get CORS headers,
 * with credentials; any other origin gets none, so a browser lets no other site read an answer (the
 * same-origin GraphiQL page needs none). An unlisted origin is never reflected.
 */
import type { Plugin, YogaServerOptions } from 'graphql-yoga';

type CorsOption = NonNullable<YogaServerOptions<Record<string, never>, Record<string, never>>['cors']>;

/** Headers a listed origin's scripts may read: the request id and when to retry. */
const EXPOSED_HEADERS = ['x-request-id', 'retry-after'];

export function corsFor(origins: readonly string[]): CorsOption {
  if (origins.length === 0) return false;
  const allowed = new Set(origins);
  return (request: Request) => {
    const origin = request.headers.get('origin');
    if (!origin || !allowed.has(origin)) return false;
    return { origin: [origin], credentials: true, methods: ['GET', 'POST'], exposedHeaders: EXPOSED_HEADERS, maxAge: 600 };
  };
}

/** With an allow-list the answer depends on `Origin`, so caches must key on it (`Vary: Origin`). */
export function useVaryOnOrigin(origins: readonly string[]): Plugin {
  return {
    onResponse({ response }) {
      if (origins.length > 0 && !/\borigin\b/i.test(response.headers.get('vary') ?? '')) response.headers.append('vary', 'Origin');
    },
  };
}
