import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { useGraphQlJit } from '@envelop/graphql-jit';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import { SourceError } from '../core/errors.js';
import type { SourceAdapter, TimeSource } from '../core/contract.js';
import { loadConfig, type GatewayConfig } from './config.js';
import type { GatewayContext, SourceSet } from '../core/context.js';
import { useClientAssets } from './client-assets.js';
import { exampleTabs } from './graphiql.js';
import { createLoaders } from './loaders.js';
import { maskError } from './mask-errors.js';
import { createGatewayLogger } from './logger.js';
import { usePartialErrors } from './partial-errors.js';
import { useCacheHeaders } from './cache-headers.js';
import { useOperationDeadline } from './operation-deadline.js';
import { createMetrics, type GatewayMetrics } from './metrics.js';
import { createTracing, observers } from './tracing.js';
import type { TracerProvider } from '@opentelemetry/api';
import { REQUEST_ID_HEADER, requestIdOf, runWithRequestId, useRequestId } from './request-id.js';
import type { DestinationStream } from 'pino';
import { sourceHealth, sourceReadiness } from './source-health.js';
import { getSchema } from './schema.js';
import { createMemoryIdempotencyStore, type IdempotencyStore } from '../writes/idempotency.js';
import { createRedisIdempotencyStore } from '../writes/redis-store.js';
import { useRetryAfter } from './retry-after.js';
import { useClientAuth } from './security/client-auth.js';
import { corsFor, useVaryOnOrigin } from './security/cors.js';
import { useBodyLimit } from './security/body-limit.js';
import { useCsrfPrevention } from './security/csrf.js';
import { loadSecurityConfig, type SecurityConfig } from './security/config.js';
import { queryLimitPlugins } from './security/query-limits.js';

export interface GatewayOptions {
  /** The configuration environment (process.env, or the simulators' env in demo mode and tests). */
  env: Readonly<Record<string, string | undefined>>;
  /**
   * Traces go to this provider (tests: an in-memory exporter); without one, to the OTLP endpoint
   * when OTEL_EXPORTER_OTLP_ENDPOINT is set, and nowhere otherwise (see `tracing.ts`).
   */
  tracerProvider?: TracerProvider;
  /** Where JSON log lines go (tests capture them); standard output by default. */
  logDestination?: DestinationStream;
}

export interface Gateway {
  /** The server's configuration, read once from `env`. */
  config: GatewayConfig;
  yoga: YogaServerInstance<Record<string, never>, GatewayContext>;
  sources: SourceSet;
  idempotency: IdempotencyStore;
  /** Limits, production mode and client authentication (see `security/config.ts`). */
  security: SecurityConfig;
  /** The Prometheus registry, for `listen` to serve on TIMEGRAPH_METRICS_PORT. */
  metrics: GatewayMetrics['registry'];
  close(): Promise<void>;
}

function createSourceSet(adapters: SourceAdapter[]): SourceSet {
  const bySource = new Map(adapters.map((a) => [a.source, a] as const));
  return {
    enabled: adapters,
    get: (source) => bySource.get(source),
    require(source: TimeSource) {
      const adapter = bySource.get(source);
      if (!adapter) throw new SourceError(source, 'SOURCE_NOT_CONFIGURED', `${source} is not configured on this gateway`);
      return adapter;
    },
  };
}

export function createGateway({ env, tracerProvider, logDestination }: GatewayOptions): Gateway {
  const config = loadConfig(env);
  const security = loadSecurityConfig(env);
  const sources = createSourceSet(config.adapters.map((create) => create()));
  const metrics = createMetrics(sources, config.metricsPort === undefined ? '/metrics' : null);
  const tracing = createTracing({ env, tracerProvider });
  const idempotency: IdempotencyStore = config.redisUrl ? createRedisIdempotencyStore(config.redisUrl) : createMemoryIdempotencyStore();
  const yoga = createYoga<Record<string, never>, GatewayContext>({
    schema: getSchema(),
    graphqlEndpoint: '/graphql',
    context: () => ({ sources, loaders: createLoaders(sources), partialErrors: [], failedFields: [], idempotency, cacheUse: {} }),
    plugins: [
      // First, so every answer carries the id, also those that end early (/metrics, auth refusals).
      useRequestId(),
      // GraphiQL needs introspection, which production mode turns off; possibleTypes replaces it for clients.
      useClientAssets({ endpoint: '/graphql', graphiql: security.production ? false : { title: 'TimeGraph', defaultTabs: exampleTabs } }),
      ...(security.clientAuth ? [useClientAuth(security.clientAuth, ['/graphql', '/metrics'])] : []),
      useVaryOnOrigin(security.corsOrigins),
      useCsrfPrevention(),
      useBodyLimit(security.maxBodyBytes),
      ...queryLimitPlugins(security),
      usePartialErrors(),
      useRetryAfter(),
      useCacheHeaders(),
      // Compiled execution (graphql-jit, cached per document); before the deadline plugin, which wraps
      // the execute function it sets in the operation's scope.
      useGraphQlJit(),
      useOperationDeadline({ timeoutMs: config.operationTimeoutMs, observer: observers(metrics.observer, tracing?.observer) }),
      // After usePartialErrors, so an operation's outcome counts the backend errors it adds.
      metrics.plugin,
      ...(tracing ? [tracing.plugin] : []),
    ],
    cors: corsFor(security.corsOrigins),
    // Checked by useBodyLimit instead, which costs nothing for a body with a Content-Length.
    maxRequestBodySize: false,
    batching: security.batchLimit > 0 ? { limit: security.batchLimit } : false,
    maskedErrors: { maskError },
    // Served compressed and cacheable by useClientAssets instead of yoga's uncompressed page.
    graphiql: false,
    logging: createGatewayLogger(config.logLevel, { format: config.logFormat, destination: logDestination }),
  });
  return {
    config,
    yoga,
    sources,
    idempotency,
    security,
    metrics: metrics.registry,
    close: async () => {
      await Promise.all([...sources.enabled.map((a) => a.close()), idempotency.close(), tracing?.close()]);
    },
  };
}

async function serve(server: Server, port: number, host: string): Promise<number> {
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  return (server.address() as AddressInfo).port;
}

async function stop(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/**
 * Serves a gateway over HTTP; resolves once it listens. With TIMEGRAPH_METRICS_PORT, `/metrics` is
 * served on that port too (and only there): `metricsUrl`.
 */
export async function listen(gateway: Gateway, port: number, host = '127.0.0.1'): Promise<{ url: string; metricsUrl?: string; server: Server; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/health') return sourceHealth(gateway.sources, res);
    if (req.method === 'GET' && req.url === '/ready') return sourceReadiness(gateway.sources, res);
    // The id is settled here, so log lines written while the request is handled carry the one echoed.
    const id = requestIdOf(req.headers[REQUEST_ID_HEADER] as string | undefined);
    req.headers[REQUEST_ID_HEADER] = id;
    return runWithRequestId(id, () => gateway.yoga(req, res));
  });
  const { metricsPort } = gateway.config;
  const metricsServer =
    metricsPort === undefined
      ? undefined
      : createServer((req, res) => {
          if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') {
            res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('only GET /metrics is served on this port\n');
            return;
          }
          gateway.metrics.metrics().then(
            (text) => res.writeHead(200, { 'content-type': gateway.metrics.contentType, 'cache-control': 'no-store' }).end(text),
            () => res.writeHead(500).end(),
          );
        });
  const [gatewayPort, scrapePort] = await Promise.all([serve(server, port, host), metricsServer && serve(metricsServer, metricsPort!, host)]);
  return {
    url: `http://${host}:${gatewayPort}/graphql`,
    ...(scrapePort !== undefined && { metricsUrl: `http://${host}:${scrapePort}/metrics` }),
    server,
    close: async () => {
      await Promise.all([stop(server), metricsServer && stop(metricsServer)]);
      await gateway.close();
    },
  };
}
