/**
 * The three simulators once per file, and as many gateways over them as a suite needs (each with its
 * own security settings), plus a raw HTTP client: the hostile requests here are not all JSON.
 */
import type { Readable } from 'node:stream';
import { Agent, request } from 'undici';
import { createGateway, listen } from '../../src/server/gateway.js';
import { startLaurelSimulator, type LaurelSimulatorOptions } from '../../src/simulators/laurel/index.js';
import { startPrimaerpSimulator, type PrimaerpSimulatorOptions } from '../../src/simulators/primaerp/index.js';
import { startXurrentSimulator, type XurrentSimulatorOptions } from '../../src/simulators/xurrent/index.js';

export interface SimOptions {
  laurel?: LaurelSimulatorOptions;
  xurrent?: XurrentSimulatorOptions;
  primaerp?: PrimaerpSimulatorOptions;
}

export async function startSims(options: SimOptions = {}) {
  const [laurel, xurrent, primaerp] = await Promise.all([
    startLaurelSimulator(options.laurel),
    startXurrentSimulator({ rateLimit: { perHour: 1_000_000, burst: 1_000_000 }, ...options.xurrent }),
    startPrimaerpSimulator({ rateLimit: { limit: 1_000_000, windowMs: 10_000 }, ...options.primaerp }),
  ]);
  const all = { laurel, xurrent, primaerp };
  return {
    ...all,
    env: { ...laurel.env, ...xurrent.env, ...primaerp.env } as Record<string, string>,
    /** How many upstream requests the backends received since the last reset. */
    calls: () => Object.values(all).reduce((n, sim) => n + sim.requests.length, 0),
    reset: () => Object.values(all).forEach((sim) => (sim.requests.length = 0)),
    close: () => Promise.all(Object.values(all).map((sim) => sim.close())),
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
