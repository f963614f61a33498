/**
 * The Xurrent simulator plus a gateway configured for Xurrent alone, served over loopback HTTP: what
 * the write tests drive end to end.
 */
import { startXurrentSimulator, type XurrentSimulatorOptions } from '../../../src/simulators/xurrent/index.js';
import { serveGateway } from '../../support/stack.js';

export async function startXurrentStack(options: XurrentSimulatorOptions = {}) {
  const sim = await startXurrentSimulator({ rateLimit: { perHour: 1_000_000, burst: 1_000_000 }, ...options });
  const served = await serveGateway(sim.env);

  return {
    sim,
    gql: served.gql,
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
