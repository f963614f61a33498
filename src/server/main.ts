/**
 * `npm start`: serves the gateway on PORT (default 4000). With no backend configured it starts the
 * three simulators on free loopback ports and configures the gateway for them through the same
 * environment variables a real deployment uses.
 */
import { SOURCES } from '../sources/registry.js';
import { ConfigError } from '../sources/types.js';
import { noBackendConfigured } from './config.js';
import { createGateway, listen } from './gateway.js';
import { CLIENT_AUTH_VARIABLES, type SecurityConfig } from './security/config.js';

/** One start-up line on the mode and how clients authenticate; names methods, never values. */
function describeSecurity(security: SecurityConfig): string {
  const mode = security.production ? 'production mode (introspection and field suggestions off)' : 'development mode (introspection and GraphiQL on)';
  const auth = security.clientAuth;
  if (!auth) {
    return `TimeGraph ${mode}: client authentication is OFF, anyone who can reach this port may read and write; set ${CLIENT_AUTH_VARIABLES.join(' or ')} to require it.`;
  }
  const methods = [
    auth.apiKeys.length > 0 ? `${auth.apiKeys.length} API key(s)` : null,
    auth.jwtSecret ? 'HS256 JWTs' : null,
    auth.jwksUrl ? 'JWTs from a JWKS' : null,
  ].filter((m) => m !== null);
  return `TimeGraph ${mode}: clients authenticate with ${methods.join(', ')}.`;
}

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
  const gateway = createGateway({ env });
  const served = await listen(gateway, port, env.HOST ?? '127.0.0.1');
  closers.unshift(served.close);
  console.log(describeSecurity(gateway.security));
  console.log(`TimeGraph listening on ${served.url}${gateway.security.production ? '' : ' (GraphiQL in a browser at the same address)'}`);
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
