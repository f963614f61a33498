/**
 * Starts every registered backend's simulator and a gateway configured for them over loopback, the
 * way `npm start` does in demo mode, and gives tests a GraphQL client and the simulators' request logs.
 */
import { request } from 'undici';
import { createGateway, listen } from '../../src/server/gateway.js';
import { startSimulators, type RunningSimulator } from '../../src/simulators/registry.js';
import { SOURCES } from '../../src/sources/registry.js';

export interface GraphQLResponse<T = any> {
  data?: T;
  errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, unknown> }>;
}

/** A gateway configured by `env`, served on a free loopback port, with a small GraphQL client. */
export async function serveGateway(env: Record<string, string>) {
  const served = await listen(createGateway({ env }), 0);
  async function gql<T = any>(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>> {
    const res = await request(served.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.body.json()) as GraphQLResponse<T>;
  }
  return { url: served.url, gql, close: served.close };
}

/**
 * The vendors' rate limits (Xurrent 20 requests per 2 s) are tested in the simulators' own tests;
 * suites that walk hundreds of pages raise them so they test what they name.
 */
export async function startStack(options: { env?: Record<string, string>; vendorLimits?: boolean } = {}) {
  // `vendorLimits`: the simulators answer over the vendors' documented limits as the vendors do.
  const simulators = await startSimulators({ unlimited: !options.vendorLimits });
  // The gateway's own client-side limits (Xurrent's 20 per 2 s) would only slow these walks down;
  // the limiter is tested in test/resilience/.
  const limitsOff = Object.fromEntries(SOURCES.map(({ source }) => [`${source}_RATE_LIMIT`, 'off']));
  const env = { ...simulators.env, ...limitsOff, ...options.env };
  const served = await serveGateway(env);
  /** The simulators by the backends' field names (`sims.xurrent`). */
  const sims: Record<string, RunningSimulator> = Object.fromEntries(
    SOURCES.map(({ source, field }) => [field, simulators.get(source)]),
  );

  /** Clears the simulators' request logs, so a test counts only its own upstream calls. */
  function resetRequests(): void {
    for (const sim of Object.values(sims)) sim.requests.length = 0;
  }

  return {
    url: served.url,
    env,
    sims,
    simulators,
    gql: served.gql,
    resetRequests,
    close: async () => {
      await served.close();
      await simulators.close();
    },
  };
}

export type Stack = Awaited<ReturnType<typeof startStack>>;
