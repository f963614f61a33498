/** The primaERP backend: configuration, adapter, resolvers and simulator, as the registry sees it. */
import { startPrimaerpSimulator } from '../../simulators/primaerp/index.js';
import type { SourceDefinition } from '../types.js';
import { createPrimaerpAdapter } from './adapter.js';
import { primaerpConfigFromEnv, type PrimaerpConfig } from './config.js';
import { TYPENAME } from './mapping.js';
import { primaerpResolvers } from './resolvers.js';

export type { PrimaerpAdapter } from './adapter.js';
export type { PrimaerpConfig } from './config.js';

export const primaerp: SourceDefinition<PrimaerpConfig> = {
  source: 'PRIMAERP',
  typename: TYPENAME,
  field: 'primaerp',
  configFromEnv: primaerpConfigFromEnv,
  create: (config) => createPrimaerpAdapter(config),
  resolvers: primaerpResolvers,
  async startSimulator(options = {}) {
    const sim = await startPrimaerpSimulator({ port: options.port });
    return { env: sim.env, close: () => sim.close() };
  },
};
