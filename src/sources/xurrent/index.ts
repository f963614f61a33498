/** Xurrent (formerly 4me) as a TimeGraph source: configuration, adapter, resolvers and simulator. */
import type { SourceDefinition } from '../types.js';
import { startXurrentSimulator } from '../../simulators/xurrent/index.js';
import { createXurrentAdapter } from './adapter.js';
import { xurrentConfigFromEnv, type XurrentConfig } from './config.js';
import { XURRENT_TYPENAME } from './mapping.js';
import { xurrentResolvers } from './resolvers.js';

export const xurrent: SourceDefinition<XurrentConfig> = {
  source: 'XURRENT',
  typename: XURRENT_TYPENAME,
  field: 'xurrent',
  configFromEnv: xurrentConfigFromEnv,
  create: (config) => createXurrentAdapter(config),
  resolvers: xurrentResolvers,
  async startSimulator(options = {}) {
    const sim = await startXurrentSimulator({ port: options.port });
    return { env: sim.env, close: () => sim.close() };
  },
};
