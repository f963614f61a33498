/** Every backend TimeGraph knows. Adding a backend adds one line here. */
import { laurel } from './laurel/index.js';
import { primaerp } from './primaerp/index.js';
import type { SourceAdapter, SourceDefinition } from '../core/contract.js';
import { xurrent } from './xurrent/index.js';

/** A SourceDefinition with its configuration type hidden behind `adapterFromEnv`. */
export interface RegisteredSource extends Omit<SourceDefinition, 'configFromEnv' | 'create'> {
  /** Null when the backend is disabled; throws ConfigError when its configuration is incomplete. */
  adapterFromEnv(env: Readonly<Record<string, string | undefined>>): (() => SourceAdapter) | null;
}

function register<Config>(definition: SourceDefinition<Config>): RegisteredSource {
  const { configFromEnv, create, ...rest } = definition;
  return {
    ...rest,
    adapterFromEnv(env) {
      const config = configFromEnv(env);
      return config === null ? null : () => create(config);
    },
  };
}

export const SOURCES: readonly RegisteredSource[] = [register(laurel), register(xurrent), register(primaerp)];
