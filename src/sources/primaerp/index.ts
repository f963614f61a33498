/** The primaERP backend: configuration, adapter and resolvers, as the registry sees it. */
import type { SourceDefinition } from '../../core/contract.js';
import { createPrimaerpAdapter } from './adapter.js';
import { primaerpConfigFromEnv, type PrimaerpConfig } from './config.js';
import { PRIMAERP_TYPENAME } from './mapping.js';
import { primaerpResolvers } from './resolvers.js';

export type { PrimaerpAdapter } from './adapter.js';
export type { PrimaerpConfig } from './config.js';

export const primaerp: SourceDefinition<PrimaerpConfig> = {
  source: 'PRIMAERP',
  title: 'primaERP',
  typename: PRIMAERP_TYPENAME,
  field: 'primaerp',
  configFromEnv: primaerpConfigFromEnv,
  create: (config) => createPrimaerpAdapter(config),
  resolvers: primaerpResolvers,
};
