/** Xurrent (formerly 4me) as a TimeGraph source: configuration, adapter and resolvers. */
import type { SourceDefinition } from '../../core/contract.js';
import { createXurrentAdapter } from './adapter.js';
import { xurrentConfigFromEnv, type XurrentConfig } from './config.js';
import { XURRENT_TYPENAME } from './mapping.js';
import { xurrentResolvers } from './resolvers.js';

export type { XurrentAdapter } from './adapter.js';
export type { XurrentConfig } from './config.js';

export const xurrent: SourceDefinition<XurrentConfig> = {
  source: 'XURRENT',
  title: 'Xurrent',
  typename: XURRENT_TYPENAME,
  field: 'xurrent',
  configFromEnv: xurrentConfigFromEnv,
  create: (config) => createXurrentAdapter(config),
  resolvers: xurrentResolvers,
};
