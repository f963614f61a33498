// Operators asked for traces: one span per operation with one child per upstream request (retries
// included), named by route template — and never a token, a credential, a query string or an origin.
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { SpanKind } from '@opentelemetry/api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createGateway, listen } from '../../src/server/gateway.js';
import { noFaults } from '../../src/simulators/common/server.js';
import { SOURCES } from '../../src/sources/registry.js';
import { send, startSims, type Sims } from '../security/support.js';

const TAG = 'TRACE-S3CR3T-9b41';
const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
let sims: Sims;
let url: string;
let close: () => Promise<void>;

beforeAll(async () => {
  sims = await startSims({ credentialTag: TAG });
  const fast = Object.fromEntries(SOURCES.flatMap(({ source }) => [[`${source}_MAX_RETRIES`, '1'], [`${source}_RETRY_BASE_MS`, '5'], [`${source}_RETRY_CAP_MS`, '20']]));
  const served = await listen(createGateway({ env: { ...sims.env, ...fast }, tracerProvider: provider }), 0);
  url = served.url;
  close = served.close;
}, 30_000);
afterAll(async () => {
  await close?.();
  await sims?.close();
  await provider.shutdown();
});
beforeEach(() => {
  for (const sim of sims.all) sim.faults = noFaults();
  sims.reset();
  exporter.reset();
});

async function post(query: string, variables?: Record<string, unknown>) {
  const res = await send(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  expect(res.status).toBe(200);
  return res.json;
}

/** The finished spans of the one operation traced since the last reset, and its upstream children. */
function operationTrace(): { operation: ReadableSpan; upstream: ReadableSpan[] } {
  const spans = exporter.getFinishedSpans();
  const operations = spans.filter((s) => s.kind === SpanKind.SERVER);
  expect(operations).toHaveLength(1);
  const operation = operations[0]!;
  const upstream = spans.filter((s) => s.kind === SpanKind.CLIENT);
  for (const span of upstream) {
    expect(span.spanContext().traceId).toBe(operation.spanContext().traceId);
    expect(span.parentSpanContext?.spanId).toBe(operation.spanContext().spanId);
  }
  expect(spans).toHaveLength(1 + upstream.length);
  return { operation, upstream };
}

const bySource = (spans: ReadableSpan[]) => {
  const counts: Record<string, number> = {};
  for (const s of spans) counts[String(s.attributes['timegraph.source'])] = (counts[String(s.attributes['timegraph.source'])] ?? 0) + 1;
  return counts;
};
const received = () => Object.fromEntries(sims.all.filter((s) => s.requests.length > 0).map((s) => [s.source, s.requests.length]));

describe('traces', () => {
  it('give an operation one span and each upstream request one child, as many as the backends received', async () => {
    const body = await post('query Entries { timeEntries(first: 30) { nodes { id source person { email } } } }');
    expect(body.errors).toBeUndefined();
    const { operation, upstream } = operationTrace();
    expect(operation.name).toBe('query Entries');
    expect(operation.attributes).toMatchObject({ 'graphql.operation.name': 'Entries', 'graphql.operation.type': 'query', 'timegraph.outcome': 'ok' });
    expect(upstream.length).toBeGreaterThanOrEqual(sims.all.length);
    expect(bySource(upstream)).toEqual(received());
    for (const span of upstream) {
      expect(span.attributes['http.request.method']).toMatch(/^(GET|POST)$/);
      expect(span.attributes['http.response.status_code']).toBe(200);
      expect(span.name).toBe(`${span.attributes['http.request.method']} ${span.attributes['url.template']}`);
    }
  });

  it('name an upstream call by its route template, not its concrete path', async () => {
    const list = await post('{ timeEntries(first: 1, filter: { sources: [XURRENT] }) { nodes { id } } }');
    const id = list.data.timeEntries.nodes[0].id;
    exporter.reset();
    sims.reset();
    const body = await post('mutation Edit($id: ID!) { timeEntryUpdate(id: $id, input: { xurrent: { description: "traced" } }) { userErrors { code } } }', { id });
    expect(body.data.timeEntryUpdate.userErrors).toEqual([]);
    const { operation, upstream } = operationTrace();
    expect(operation.name).toBe('mutation Edit');
    const patches = sims.by.xurrent.requests.filter((r) => r.method === 'PATCH').map((r) => r.path);
    expect(patches).toHaveLength(1);
    expect(patches[0]).toMatch(/^\/v1\/time_entries\/\d+$/);
    const templates = upstream.filter((s) => s.attributes['http.request.method'] === 'PATCH').map((s) => s.attributes['url.template']);
    expect(templates).toEqual(['/v1/time_entries/{id}']);
    expect(upstream).toHaveLength(sims.by.xurrent.requests.length);
  });

  it('count retries as requests of their own, with the attempt and the failing status', async () => {
    sims.by.xurrent.faults = { ...noFaults(), errorRate: 1, errorStatus: 503 };
    const body = await post('query Failing { timeEntries(first: 5) { nodes { id } } }');
    expect(body.errors?.[0]?.extensions?.code).toBe('SOURCE_UNAVAILABLE');
    const { operation, upstream } = operationTrace();
    // The other backends answered: data with Xurrent's error.
    expect(operation.attributes['timegraph.outcome']).toBe('partial');
    expect(upstream.filter((s) => s.attributes['timegraph.source'] === 'XURRENT').map((s) => [s.attributes['http.response.status_code'], s.attributes['http.request.resend_count']])).toEqual([
      [503, undefined],
      [503, 1],
    ]);
    expect(sims.by.xurrent.requests).toHaveLength(2);
    expect(bySource(upstream)).toEqual(received());
  });

  it('carry no credential, issued token, query string or backend address in any span', async () => {
    await post('{ timeEntries(first: 30) { nodes { id source person { email } } } }');
    for (const sim of sims.all) sim.faults = { ...noFaults(), errorRate: 1, errorStatus: 429 };
    await post('{ timeEntries(first: 5) { nodes { id } } }');
    const spans = exporter.getFinishedSpans();
    const secrets = [...sims.all.flatMap((sim) => [...sim.credentials, ...sim.issuedTokens()]), ...sims.all.map((s) => s.origin.replace('http://', ''))];
    expect(secrets.filter((s) => s.includes(TAG)).length).toBeGreaterThanOrEqual(sims.all.length);
    const text = JSON.stringify(spans.map((s) => ({ name: s.name, attributes: s.attributes, events: s.events, status: s.status })));
    expect(spans.filter((s) => s.kind === SpanKind.CLIENT).length).toBeGreaterThan(sims.all.length);
    for (const secret of secrets) expect(text, secret).not.toContain(secret);
    expect(text).not.toMatch(/[?&](token|apikey)=|https?:\/\//);
  });
});
