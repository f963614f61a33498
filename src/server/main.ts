/**
 * `npm start`: serves the gateway on PORT (default 4000). With no backend configured it starts every
 * registered backend's simulator on a free loopback port and configures the gateway for them through
 * the same environment variables a real deployment uses. The simulators are demo code: they are
 * imported only then, so a configured deployment never loads them.
 */
import { ConfigError } from '../core/errors.js';
import { SOURCES } from '../sources/registry.js';
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

/** `Laurel, Xurrent and primaERP`: the registered titles of these sources. */
function titles(sources: readonly string[]): string {
  const names = sources.map((source) => SOURCES.find((def) => def.source === source)?.title ?? source);
  return names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

async function main(): Promise<void> {
  let env: Record<string, string | undefined> = { ...process.env };
  const closers: Array<() => Promise<void>> = [];
  if (noBackendConfigured(env)) {
    const { startSimulators } = await import('../simulators/registry.js');
    const sims = await startSimulators();
    env = { ...env, ...sims.env };
    closers.push(sims.close);
    console.log(`TimeGraph demo mode: no backend configured, serving the built-in simulators of ${titles(sims.all.map((s) => s.source))} on loopback.`);
  }
  const gateway = createGateway({ env });
  const served = await listen(gateway, gateway.config.port, gateway.config.host);
  closers.unshift(served.close);
  console.log(describeSecurity(gateway.security));
  console.log(`TimeGraph backends: ${titles(gateway.sources.enabled.map((a) => a.source))}.`);
  console.log(`TimeGraph listening on ${served.url}${gateway.security.production ? '' : ' (GraphiQL in a browser at the same address)'}`);
  if (served.metricsUrl) console.log(`TimeGraph metrics on ${served.metricsUrl} (this port serves nothing else)`);
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
