/** Laurel as a TimeGraph source: configuration, adapter, resolvers and simulator. */
import type { SourceDefinition } from '../types.js';
import { startLaurelSimulator } from '../../simulators/laurel/index.js';
import { createLaurelAdapter } from './adapter.js';
import { laurelConfigFromEnv, type LaurelConfig } from './config.js';
import { LAUREL_TYPENAME } from './mapping.js';
import { laurelResolvers } from './resolvers.js';

export const laurel: SourceDefinition<LaurelConfig> = {
  source: 'LAUREL',
  typename: LAUREL_TYPENAME,
  field: 'laurel',
  configFromEnv: laurelConfigFromEnv,
  create: (config) => createLaurelAdapter(config),
  resolvers: laurelResolvers,
  async startSimulator(options = {}) {
    const sim = await startLaurelSimulator({ port: options.port });
    return { env: sim.env, close: () => sim.close() };
  },
};
