// Operators had no /metrics and /health said 200 with every backend down: the metrics must equal what
// the backends received, and /ready must go 503 when no backend is usable and back when one is.
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway, listen } from '../../src/server/gateway.js';
import { SOURCES } from '../../src/sources/registry.js';
import { startStack, type Stack } from '../support/stack.js';
import { send, startGateway, startSims } from '../security/support.js';

let stack: Stack;
const COOLDOWN_MS = 600;
const base = () => stack.url.replace(/\/graphql$/, '');

beforeAll(async () => {
  // One failed attempt opens a circuit, so the test can open them all quickly.
  const fast = Object.fromEntries(SOURCES.flatMap(({ source }) => [[`${source}_BREAKER_FAILURES`, '2'], [`${source}_BREAKER_COOLDOWN_MS`, String(COOLDOWN_MS)], [`${source}_MAX_RETRIES`, '0']]));
  stack = await startStack({ env: fast });
}, 60_000);
afterAll(async () => {
  await stack?.close();
});

async function metrics(): Promise<Map<string, number>> {
  const res = await request(`${base()}/metrics`);
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toContain('text/plain');
  const values = new Map<string, number>();
  for (const line of (await res.body.text()).split('\n')) {
    const match = /^(timegraph_\w+(?:\{[^}]*\})?) (\S+)$/.exec(line);
    if (match) values.set(match[1]!, Number(match[2]));
  }
  return values;
}
const upstreamOf = (values: Map<string, number>, source: string) =>
  [...values].filter(([k]) => k.startsWith('timegraph_upstream_requests_total{') && k.includes(`source="${source}"`)).reduce((n, [, v]) => n + v, 0);

async function ready() {
  const res = await request(`${base()}/ready`);
  return { status: res.statusCode, body: (await res.body.json()) as { status: string; sources: Array<{ source: string; circuit: string }> } };
}

describe('GET /metrics', () => {
  it('counts upstream requests exactly as the simulators received them, and operations by name and outcome', async () => {
    await stack.gql('query MetricsList { timeEntries(first: 120) { nodes { id person { name } } } }');
    stack.sims.xurrent.faults.failNext = 1;
    const partial = await stack.gql('query MetricsPartial { timeEntries(first: 5) { nodes { id } } }');
    expect(partial.errors?.length).toBeGreaterThan(0);
    const values = await metrics();
    for (const { source, field } of SOURCES) {
      expect(stack.sims[field].requests.length).toBeGreaterThan(0);
      expect(upstreamOf(values, source)).toBe(stack.sims[field].requests.length);
      expect(values.get(`timegraph_circuit_state{source="${source}"}`)).toBe(0);
      expect(values.has(`timegraph_rate_limit_queue_depth{source="${source}"}`)).toBe(true);
    }
    expect(values.get('timegraph_upstream_requests_total{source="XURRENT",outcome="5xx"}')).toBe(1);
    expect(values.get('timegraph_operations_total{operation="MetricsList",outcome="ok"}')).toBe(1);
    expect(values.get('timegraph_operations_total{operation="MetricsPartial",outcome="partial"}')).toBe(1);
    expect(values.get('timegraph_operation_duration_seconds_count{operation="MetricsList"}')).toBe(1);
    expect([...values.keys()].some((k) => k.startsWith('timegraph_upstream_request_duration_seconds_bucket{'))).toBe(true);
  });

  it('also serves Node\'s default process metrics', async () => {
    const text = await (await request(`${base()}/metrics`)).body.text();
    expect(text).toMatch(/^process_cpu_user_seconds_total /m);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds /m);
  });

  it('is behind the client authentication in production', async () => {
    const sims = await startSims();
    const prod = await startGateway(sims, { NODE_ENV: 'production', TIMEGRAPH_API_KEYS: 'metrics-key' });
    try {
      const url = prod.url.replace(/\/graphql$/, '/metrics');
      expect((await send(url)).status).toBe(401);
      const ok = await send(url, { headers: { 'x-api-key': 'metrics-key' } });
      expect(ok.status).toBe(200);
      expect(ok.text).toContain('timegraph_circuit_state');
    } finally {
      await prod.close();
      await sims.close();
    }
  });
});

describe('TIMEGRAPH_METRICS_PORT', () => {
  it('serves /metrics on that port only, without client authentication, and no longer on the client port', async () => {
    const sims = await startSims();
    const served = await listen(createGateway({ env: { ...sims.env, NODE_ENV: 'production', TIMEGRAPH_API_KEYS: 'client-key', TIMEGRAPH_METRICS_PORT: '0' } }), 0);
    try {
      expect(served.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
      const scraped = await send(served.metricsUrl!);
      expect(scraped.status).toBe(200);
      expect(scraped.text).toContain('timegraph_circuit_state');
      // With a key, the client port answers as for any unknown GET path: no metrics there.
      const onClientPort = await send(served.url.replace(/\/graphql$/, '/metrics'), { headers: { 'x-api-key': 'client-key' } });
      expect(onClientPort.text).not.toContain('timegraph_circuit_state');
      expect((await send(served.metricsUrl!.replace(/\/metrics$/, '/graphql'))).status).toBe(404);
    } finally {
      await served.close();
      await sims.close();
    }
  });

  it('refuses a port that is not one, naming the variable and the value', () => {
    expect(() => createGateway({ env: { TIMEGRAPH_METRICS_PORT: '90000' } })).toThrow(/TIMEGRAPH_METRICS_PORT.*"90000"/);
  });
});

describe('GET /ready', () => {
  it('answers 503 naming each backend when every circuit is open, and 200 again once one recovers', async () => {
    expect((await ready()).status).toBe(200);
    for (const sim of Object.values(stack.sims)) sim.faults.failNext = 1000;
    for (let i = 0; i < 3; i++) await stack.gql('{ timeEntries(first: 5) { nodes { id } } }');
    const down = await ready();
    expect(down.status).toBe(503);
    expect(down.body.status).toBe('unavailable');
    expect(down.body.sources.map((s) => [s.source, s.circuit]).sort()).toEqual(SOURCES.map(({ source }) => [source, 'OPEN']).sort());
    // Liveness is unaffected: the process still runs.
    expect((await request(`${base()}/health`)).statusCode).toBe(200);
    expect((await metrics()).get('timegraph_circuit_state{source="XURRENT"}')).toBe(2);

    for (const sim of Object.values(stack.sims)) sim.faults.failNext = 0;
    await new Promise((resolve) => setTimeout(resolve, COOLDOWN_MS + 100));
    await stack.gql('{ timeEntries(first: 5) { nodes { id } } }');
    const up = await ready();
    expect(up.status).toBe(200);
    expect(up.body.status).toBe('ready');
  });
});
