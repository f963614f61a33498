/**
 * Xurrent's own mutations (`xurrentTimeEntryArchive`, `…Trash`, `…Restore`): decode the global id
 * (Xurrent entries only), run the action, keep the request's loaders truthful. The actions live in
 * writes.ts.
 */
import type { MutationResolvers } from '../../generated/graphql.js';
import type { GatewayContext } from '../../core/context.js';
import { entryMutation } from '../common/resolve.js';
import type { XurrentAdapter } from './adapter.js';
import type { XurrentEntryAction } from './client.js';
import type { XurrentEntryModel } from './model.js';

async function act(ctx: GatewayContext, id: string, action: XurrentEntryAction) {
  const result = await entryMutation(ctx, 'XURRENT', id, (adapter: XurrentAdapter, key) => adapter.writes.act(key, action));
  return { xurrentTimeEntry: result.entry as XurrentEntryModel | null, userErrors: result.userErrors };
}

export const xurrentMutationResolvers: MutationResolvers = {
  xurrentTimeEntryArchive: (_root, { id }, ctx) => act(ctx, id, 'archive'),
  xurrentTimeEntryTrash: (_root, { id }, ctx) => act(ctx, id, 'trash'),
  xurrentTimeEntryRestore: (_root, { id }, ctx) => act(ctx, id, 'restore'),
};
