/**
 * `npm start`: serves the gateway on PORT (default 4000). With no backend configured it starts the
 * three simulators on free loopback ports and configures the gateway for them through the same
 * environment variables a real deployment uses.
 */
import { SOURCES } from '../sources/registry.js';
import { ConfigError } from '../sources/types.js';
import { noBackendConfigured } from './config.js';
import { createGateway, listen } from './gateway.js';

async function main(): Promise<void> {
  let env: Record<string, string | undefined> = { ...process.env };
  const closers: Array<() => Promise<void>> = [];
  if (noBackendConfigured(env)) {
    for (const def of SOURCES) {
      const sim = await def.startSimulator();
      env = { ...env, ...sim.env };
      closers.push(sim.close);
    }
    console.log('TimeGraph demo mode: no backend configured, serving the built-in simulators of Laurel, Xurrent and primaERP on loopback.');
  }
  const port = Number(env.PORT ?? 4000);
  const served = await listen(createGateway({ env }), port, env.HOST ?? '127.0.0.1');
  closers.unshift(served.close);
  console.log(`TimeGraph listening on ${served.url} (GraphiQL in a browser at the same address)`);
  const stop = async () => {
    for (const close of closers) await close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(`TimeGraph cannot start: ${error.message}`);
  } else {
    console.error('TimeGraph failed to start:', error instanceof Error ? error.message : 'unknown error');
  }
  process.exit(1);
});
