/**
 * primaERP's own mutations (`primaerpTimeRecord…`): decode the global id (userError when it is not a
 * primaERP entry), run the adapter's write, keep the request's loaders truthful. The writes live in
 * writes.ts.
 */
import type { MutationResolvers } from '../../generated/graphql.js';
import type { GatewayContext } from '../../core/context.js';
import type { WriteResult } from '../../core/contract.js';
import { entryMutation } from '../common/resolve.js';
import type { PrimaerpAdapter } from './adapter.js';
import type { PrimaerpTimeRecordModel } from './model.js';

async function onRecord(ctx: GatewayContext, id: string, run: (adapter: PrimaerpAdapter, key: string) => Promise<WriteResult>) {
  const result = await entryMutation(ctx, 'PRIMAERP', id, run);
  return { primaerpTimeRecord: result.entry as PrimaerpTimeRecordModel | null, userErrors: result.userErrors };
}

export const primaerpMutationResolvers: MutationResolvers = {
  primaerpTimeRecordRestore: (_root, { id }, ctx) => onRecord(ctx, id, (adapter, key) => adapter.writes.restore(key)),
  primaerpTimeRecordUpdatePrice: (_root, { id }, ctx) => onRecord(ctx, id, (adapter, key) => adapter.writes.updatePrice(key)),
};
