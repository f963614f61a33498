/**
 * The primaERP simulator plus a gateway with only primaERP configured, over loopback: what the write
 * tests drive end to end. `upstream()` lists the requests after the login, so tests count calls.
 */
import { startPrimaerpSimulator, type PrimaerpSimulatorHandle } from '../../../src/simulators/primaerp/index.js';
import { serveGateway, type GraphQLResponse } from '../../support/stack.js';

export interface PrimaerpStack {
  sim: PrimaerpSimulatorHandle;
  gql<T = any>(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>>;
  /** Upstream requests other than logins, as `METHOD path?query`. */
  upstream(): string[];
  resetRequests(): void;
  close(): Promise<void>;
}

export async function startPrimaerpStack(): Promise<PrimaerpStack> {
  const sim = await startPrimaerpSimulator();
  const served = await serveGateway(sim.env);
  return {
    sim,
    gql: served.gql,
    upstream: () =>
      sim.requests
        .filter((r) => !r.path.endsWith('/v1/auth/login'))
        .map((r) => {
          const q = new URLSearchParams(r.query);
          q.delete('token');
          const qs = q.toString();
          return `${r.method} ${r.path}${qs ? `?${decodeURIComponent(qs)}` : ''}`;
        }),
    resetRequests: () => {
      sim.requests.length = 0;
    },
    close: async () => {
      await served.close();
      await sim.close();
    },
  };
}
