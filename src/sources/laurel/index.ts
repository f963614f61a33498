/** Laurel as a TimeGraph source: configuration, adapter and resolvers. */
import type { SourceDefinition } from '../../core/contract.js';
import { createLaurelAdapter } from './adapter.js';
import { laurelConfigFromEnv, type LaurelConfig } from './config.js';
import { LAUREL_TYPENAME } from './mapping.js';
import { laurelResolvers } from './resolvers.js';

export type { LaurelAdapter } from './adapter.js';
export type { LaurelConfig } from './config.js';

export const laurel: SourceDefinition<LaurelConfig> = {
  source: 'LAUREL',
  title: 'Laurel',
  typename: LAUREL_TYPENAME,
  field: 'laurel',
  configFromEnv: laurelConfigFromEnv,
  create: (config) => createLaurelAdapter(config),
  resolvers: laurelResolvers,
};
