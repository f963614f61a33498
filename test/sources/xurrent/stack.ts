/**
 * The Xurrent simulator plus a gateway configured for Xurrent alone, served over loopback HTTP: what
 * the write tests drive end to end.
 */
import { request } from 'undici';
import { createGateway, listen } from '../../../src/server/gateway.js';
import { startXurrentSimulator, type XurrentSimulatorOptions } from '../../../src/simulators/xurrent/index.js';
import type { GraphQLResponse } from '../../support/stack.js';

export async function startXurrentStack(options: XurrentSimulatorOptions = {}) {
  const sim = await startXurrentSimulator({ rateLimit: { perHour: 1_000_000, burst: 1_000_000 }, ...options });
  const served = await listen(createGateway({ env: sim.env }), 0);

  async function gql<T = any>(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>> {
    const res = await request(served.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.body.json()) as GraphQLResponse<T>;
  }

  return {
    sim,
    gql,
    /** The upstream calls made since the last `mark()`. */
    mark() {
      const from = sim.requests.length;
      return () => sim.requests.slice(from).map((r) => `${r.method} ${r.path}`);
    },
    close: async () => {
      await served.close();
      await sim.close();
    },
  };
}

export type XurrentStack = Awaited<ReturnType<typeof startXurrentStack>>;
