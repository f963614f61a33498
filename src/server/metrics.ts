/**
 * Prometheus metrics (prom-client), one registry per gateway: tests and embedders may run several in
 * one process. Served at `GET /metrics`; in production behind the same client authentication as
 * /graphql. Upstream counts are attempts that left the gateway, so they equal what the backends received.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { SourceSet } from '../core/context.js';
import type { UpstreamObserver } from '../http/operation-scope.js';
import { sourceStatuses } from '../resolvers/status.js';

/** Operation names come from clients: only sane ones, and at most this many, become label values. */
const MAX_OPERATION_LABELS = 200;
const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

const CIRCUIT_VALUE = { CLOSED: 0, HALF_OPEN: 1, OPEN: 2 } as const;

export interface GatewayMetrics {
  registry: Registry;
  observer: UpstreamObserver;
  /** Counts operations and their duration; serves `GET /metrics`. */
  plugin: Plugin;
}

/** `path`: where the gateway's own port serves the metrics; null: not there (TIMEGRAPH_METRICS_PORT serves them). */
export function createMetrics(sources: SourceSet, path: string | null = '/metrics'): GatewayMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const operations = new Counter({
    name: 'timegraph_operations_total',
    help: 'GraphQL operations executed, by operation name and outcome (ok, partial: data with errors, error: no data).',
    labelNames: ['operation', 'outcome'],
    registers: [registry],
  });
  const operationSeconds = new Histogram({
    name: 'timegraph_operation_duration_seconds',
    help: 'Execution time of GraphQL operations.',
    labelNames: ['operation'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const upstream = new Counter({
    name: 'timegraph_upstream_requests_total',
    help: 'Requests sent to a backend (retries included), by status class (2xx, 4xx, 5xx) or failure (network, timeout, deadline, aborted).',
    labelNames: ['source', 'outcome'],
    registers: [registry],
  });
  const upstreamSeconds = new Histogram({
    name: 'timegraph_upstream_request_duration_seconds',
    help: 'Time from sending a request to a backend to its whole answer.',
    labelNames: ['source'],
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const queueDepth = new Gauge({
    name: 'timegraph_rate_limit_queue_depth',
    help: 'Calls waiting for the client-side rate limiter of a backend.',
    labelNames: ['source'],
    registers: [registry],
  });
  new Gauge({
    name: 'timegraph_circuit_state',
    help: 'Circuit breaker state of each configured backend: 0 closed, 1 half-open, 2 open.',
    labelNames: ['source'],
    registers: [registry],
    collect() {
      for (const s of sourceStatuses(sources)) this.set({ source: s.source }, CIRCUIT_VALUE[s.circuit]);
    },
  });
  const cacheHits = new Counter({
    name: 'timegraph_cache_hits_total',
    help: 'Reads answered from the read cache (<SOURCE>_CACHE_TTL_MS) instead of the backend.',
    labelNames: ['source'],
    registers: [registry],
  });
  for (const adapter of sources.enabled) {
    queueDepth.set({ source: adapter.source }, 0);
    cacheHits.inc({ source: adapter.source }, 0);
  }

  const observer: UpstreamObserver = {
    attempt({ source, outcome, seconds }) {
      upstream.inc({ source, outcome });
      upstreamSeconds.observe({ source }, seconds);
    },
    queued: (source, delta) => queueDepth.inc({ source }, delta),
    cacheHit: (source) => cacheHits.inc({ source }),
  };

  const seen = new Set<string>();
  const operationLabel = (name: string | undefined): string => {
    if (!name) return 'anonymous';
    if (!OPERATION_NAME.test(name)) return 'other';
    if (!seen.has(name) && seen.size >= MAX_OPERATION_LABELS) return 'other';
    seen.add(name);
    return name;
  };

  const plugin: Plugin = {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      if (path === null || url.pathname !== path || request.method !== 'GET') return;
      endResponse(new fetchAPI.Response(await registry.metrics(), { headers: { 'content-type': registry.contentType, 'cache-control': 'no-store' } }));
    },
    onExecute({ args }) {
      const operation = operationLabel(args.operationName ?? getOperationAST(args.document)?.name?.value);
      const end = operationSeconds.startTimer({ operation });
      return {
        onExecuteDone({ result }) {
          end();
          if (!('errors' in result) && !('data' in result)) return; // a stream: counted nowhere else either
          const outcome = !result.errors?.length ? 'ok' : result.data ? 'partial' : 'error';
          operations.inc({ operation, outcome });
        },
      };
    },
  };
  return { registry, observer, plugin };
}
