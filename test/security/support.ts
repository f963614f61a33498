/**
 * Every registered backend's simulator once per file, and as many gateways over them as a suite needs
 * (each with its own security settings), plus a raw HTTP client: the hostile requests here are not all JSON.
 */
import type { Readable } from 'node:stream';
import { Agent, request } from 'undici';
import type { TimeSource } from '../../src/core/contract.js';
import { createGateway, listen } from '../../src/server/gateway.js';
import { startSimulators, type RunningSimulator, type SimulatorStartOptions } from '../../src/simulators/registry.js';
import { SOURCES } from '../../src/sources/registry.js';

export interface SimOptions {
  /** Distinctive credentials for every backend, containing this tag (see `SimulatorStartOptions`). */
  credentialTag?: string;
  /** Options for single backends. */
  perSource?: Partial<Record<TimeSource, SimulatorStartOptions>>;
}

export async function startSims(options: SimOptions = {}) {
  const simulators = await startSimulators({ unlimited: true, credentialTag: options.credentialTag }, options.perSource);
  /** The simulators by the backends' field names (`sims.xurrent`). */
  const byField: Record<string, RunningSimulator> = Object.fromEntries(SOURCES.map(({ source, field }) => [field, simulators.get(source)]));
  const all = simulators.all;
  return {
    by: byField,
    all,
    env: simulators.env,
    /** How many upstream requests the backends received since the last reset. */
    calls: () => all.reduce((n, sim) => n + sim.requests.length, 0),
    reset: () => all.forEach((sim) => (sim.requests.length = 0)),
    close: () => simulators.close(),
  };
}
export type Sims = Awaited<ReturnType<typeof startSims>>;

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: any;
}

export async function send(url: string, init: { method?: string; headers?: Record<string, string>; body?: string | Readable } = {}): Promise<RawResponse> {
  // A connection of its own: a server that answers 413 early may close it with the body unread.
  const dispatcher = new Agent({ pipelining: 0 });
  let status: number;
  let headers: RawResponse['headers'];
  let text: string;
  try {
    const res = await request(url, {
      method: (init.method ?? (init.body === undefined ? 'GET' : 'POST')) as 'GET',
      headers: init.headers,
      body: init.body,
      dispatcher,
    });
    status = res.statusCode;
    headers = res.headers;
    text = await res.body.text();
  } finally {
    await dispatcher.destroy();
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status, headers, text, json };
}

/** A gateway over the simulators with extra settings; `post` sends a JSON GraphQL request. */
export async function startGateway(sims: Sims, env: Record<string, string> = {}) {
  const served = await listen(createGateway({ env: { ...sims.env, ...env } }), 0);
  return {
    url: served.url,
    post: (body: unknown, headers: Record<string, string> = {}) =>
      send(served.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) }),
    close: () => served.close(),
  };
}
export type TestGateway = Awaited<ReturnType<typeof startGateway>>;
