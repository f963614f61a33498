/**
 * OpenTelemetry traces: one span per GraphQL operation and one child span per upstream request that
 * left the gateway (retries included, so the spans equal what the backends received). Switched on by
 * the standard `OTEL_EXPORTER_OTLP_ENDPOINT` (or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`), off when unset
 * or `OTEL_SDK_DISABLED=true`: then the SDK is not even loaded. Tests and embedders pass their own
 * `TracerProvider`. Upstream spans carry the route template, never a URL, query string or credential.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { createRequire } from 'node:module';
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Span, type TracerProvider } from '@opentelemetry/api';
import { getOperationAST, type OperationTypeNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { UpstreamObserver } from '../http/operation-scope.js';

export interface GatewayTracing {
  plugin: Plugin;
  observer: UpstreamObserver;
  /** Flushes and stops the provider this module created; leaves an injected one alone. */
  close(): Promise<void>;
}

export interface TracingOptions {
  env: Readonly<Record<string, string | undefined>>;
  /** A provider of one's own (tests: an in-memory exporter); used whatever `env` says. */
  tracerProvider?: TracerProvider;
}

/** Whether `env` asks for traces to be exported (the OpenTelemetry SDK's own variables). */
export function tracingEnabled(env: Readonly<Record<string, string | undefined>>): boolean {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return false;
  return !!(env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim() || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim());
}

/** The tracing of a gateway, or null when traces are off (no plugin, no observer: nothing to pay). */
export function createTracing({ env, tracerProvider }: TracingOptions): GatewayTracing | null {
  let owned: { shutdown(): Promise<void> } | undefined;
  let provider = tracerProvider;
  if (!provider) {
    if (!tracingEnabled(env)) return null;
    const created = createOtlpProvider(env);
    provider = owned = created;
  }
  const tracer = provider.getTracer('timegraph');
  // The operation's span, for the upstream spans started below it (also without a global context manager).
  const current = new AsyncLocalStorage<Span>();

  const plugin: Plugin = {
    onExecute({ args, executeFn, setExecuteFn }) {
      const operation = getOperationAST(args.document, args.operationName);
      const type: OperationTypeNode | 'unknown' = operation?.operation ?? 'unknown';
      const name = args.operationName ?? operation?.name?.value;
      const request = (args.contextValue as { request?: Request }).request;
      // A caller's `traceparent` is honoured when a propagator is registered (the OTLP setup does).
      const parent = request ? propagation.extract(ROOT_CONTEXT, request.headers, headerGetter) : ROOT_CONTEXT;
      const span = tracer.startSpan(
        name ? `${type} ${name}` : type,
        { kind: SpanKind.SERVER, attributes: { 'graphql.operation.type': type, ...(name && { 'graphql.operation.name': name }) } },
        parent,
      );
      const active = trace.setSpan(parent, span);
      setExecuteFn((executionArgs) => current.run(span, () => context.with(active, () => executeFn(executionArgs))));
      return {
        onExecuteDone({ result }) {
          const outcome = !('errors' in result) && !('data' in result) ? 'stream' : !result.errors?.length ? 'ok' : result.data ? 'partial' : 'error';
          span.setAttribute('timegraph.outcome', outcome);
          if (outcome === 'error' || outcome === 'partial') span.setStatus({ code: SpanStatusCode.ERROR, message: outcome });
          span.end();
        },
      };
    },
  };

  const observer: UpstreamObserver = {
    attempt({ source, method, route, retry, status, outcome, seconds }) {
      const parent = current.getStore();
      const end = Date.now();
      const span = tracer.startSpan(
        `${method} ${route}`,
        {
          kind: SpanKind.CLIENT,
          startTime: end - seconds * 1000,
          attributes: {
            'timegraph.source': source,
            'http.request.method': method,
            'url.template': route,
            'timegraph.upstream.outcome': outcome,
            ...(status !== null && { 'http.response.status_code': status }),
            ...(retry > 0 && { 'http.request.resend_count': retry }),
            ...((status === null || status >= 400) && { 'error.type': status === null ? outcome : String(status) }),
          },
        },
        parent ? trace.setSpan(ROOT_CONTEXT, parent) : context.active(),
      );
      if (status === null || status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end(end);
    },
    queued: () => undefined,
  };

  return { plugin, observer, close: async () => owned?.shutdown() };
}

const headerGetter = {
  keys: (headers: Headers) => [...headers.keys()],
  get: (headers: Headers, key: string) => headers.get(key) ?? undefined,
};

/**
 * The SDK, loaded only when traces are on: a Node provider with the OTLP/HTTP exporter, which reads
 * the endpoint, headers and timeouts from the standard OTEL_EXPORTER_OTLP_* variables itself.
 */
function createOtlpProvider(env: Readonly<Record<string, string | undefined>>): TracerProvider & { shutdown(): Promise<void> } {
  const require = createRequire(import.meta.url);
  const { NodeTracerProvider, BatchSpanProcessor } = require('@opentelemetry/sdk-trace-node') as typeof import('@opentelemetry/sdk-trace-node');
  const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http');
  const { resourceFromAttributes } = require('@opentelemetry/resources') as typeof import('@opentelemetry/resources');
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': env.OTEL_SERVICE_NAME?.trim() || 'timegraph' }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: tracesUrl(env) }))],
  });
  // The global context manager and W3C propagator, so other instrumentation nests under these spans.
  provider.register();
  return provider;
}

/** The signal-specific endpoint as given, or the base endpoint with `/v1/traces` (the SDK's rule). */
function tracesUrl(env: Readonly<Record<string, string | undefined>>): string {
  const traces = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  if (traces) return traces;
  return `${env.OTEL_EXPORTER_OTLP_ENDPOINT!.trim().replace(/\/+$/, '')}/v1/traces`;
}

/** Several observers as one (metrics and traces). */
export function observers(...list: Array<UpstreamObserver | undefined>): UpstreamObserver {
  const present = list.filter((o): o is UpstreamObserver => o !== undefined);
  if (present.length === 1) return present[0]!;
  return {
    attempt: (event) => present.forEach((o) => o.attempt(event)),
    queued: (source, delta) => present.forEach((o) => o.queued(source, delta)),
    cacheHit: (source) => present.forEach((o) => o.cacheHit?.(source)),
  };
}
