/**
 * Laurel's own mutations (`laurelEntry…`, `laurelEntries…`): decode the global ids, run the adapter's
 * write, keep the request's loaders truthful. Validation and Laurel's answers live in writes.ts.
 */
import { toGraphQLError } from '../../core/errors.js';
import type { LaurelEntryReleaseSucceededInput, MutationResolvers, ResolversTypes } from '../../generated/graphql.js';
import type { GatewayContext } from '../../core/context.js';
import type { UserErrorModel, WriteResult } from '../../core/contract.js';
import { runIdempotent } from '../../writes/idempotency.js';
import { writeTarget } from '../../writes/target.js';
import { userError } from '../../writes/user-errors.js';
import { entryMutation } from '../common/resolve.js';
import type { LaurelAdapter } from './adapter.js';
import type { LaurelEntryModel, LaurelEntryReleaseResultModel } from './model.js';
import type { BatchReleaseItem, BatchReleaseResult } from './writes.js';

/** The most entries one `laurelEntriesReleaseSucceeded` takes (25 calls of 20). */
export const MAX_BATCH_ENTRIES = 500;

const laurelOf = (ctx: GatewayContext) => ctx.sources.require('LAUREL') as LaurelAdapter;

type EntryPayload = { laurelEntry: LaurelEntryModel | null; userErrors: UserErrorModel[] };
const entryPayload = (result: WriteResult): EntryPayload => ({ laurelEntry: result.entry as LaurelEntryModel | null, userErrors: result.userErrors });

/** Runs a single-entry action on the Laurel entry `id` names. */
async function onEntry(ctx: GatewayContext, id: string, action: (adapter: LaurelAdapter, key: string) => Promise<WriteResult>): Promise<EntryPayload> {
  return entryPayload(await entryMutation(ctx, 'LAUREL', id, action));
}

interface BatchPayload {
  results: LaurelEntryReleaseResultModel[];
  userErrors: UserErrorModel[];
}

/** The input's problems (nothing is sent when there are any), or the items to send. */
function batchItems(ctx: GatewayContext, entries: readonly LaurelEntryReleaseSucceededInput[]): { items: BatchReleaseItem[] } | { errors: UserErrorModel[] } {
  if (entries.length === 0) return { errors: [userError(['entries'], 'Give at least one entry ([] given).', 'VALIDATION')] };
  if (entries.length > MAX_BATCH_ENTRIES) {
    return { errors: [userError(['entries'], `${entries.length} entries given; at most ${MAX_BATCH_ENTRIES} are taken at once.`, 'BATCH_TOO_LARGE')] };
  }
  const errors: UserErrorModel[] = [];
  const items: BatchReleaseItem[] = [];
  const seen = new Map<string, number>();
  entries.forEach((entry, i) => {
    const target = writeTarget(ctx, entry.id, ['entries', String(i), 'id'], 'LAUREL');
    if ('error' in target) return void errors.push(target.error);
    const key = target.key.toLowerCase();
    const first = seen.get(key);
    if (first !== undefined) {
      return void errors.push(userError(['entries', String(i), 'id'], `${JSON.stringify(entry.id)} is given twice (also entries[${first}]).`, 'VALIDATION'));
    }
    seen.set(key, i);
    items.push({ key: target.key, externalId: entry.externalId, reReleaseFailedMessages: entry.reReleaseFailedMessages });
  });
  return errors.length > 0 ? { errors } : { items };
}

function resultError(id: string, index: number, r: BatchReleaseResult): UserErrorModel {
  const code =
    r.status === 'NOT_SENT' ? 'NOT_SENT'
    : r.status === 'UNKNOWN' ? 'OUTCOME_UNKNOWN'
    : r.errorCode === 404 || r.status === 'NOT_FOUND' ? 'NOT_FOUND'
    : r.errorCode === 409 || r.errorCode === 423 ? 'LOCKED'
    : 'VALIDATION';
  const detail = r.errorMessage ? ` ${JSON.stringify(r.errorMessage)}` : '';
  return userError(['entries', String(index)], `Entry ${JSON.stringify(id)} was not released: ${r.status}${detail}.`, code);
}

export const laurelMutationResolvers: MutationResolvers = {
  laurelEntryUnrelease: (_root, { id }, ctx) => onEntry(ctx, id, (a, key) => a.writes.unrelease(key)),

  laurelEntryReleaseSucceeded: (_root, { id, externalId, reReleaseFailedMessages }, ctx) =>
    onEntry(ctx, id, (a, key) => a.writes.releaseSucceeded(key, { externalId, reReleaseFailedMessages })),

  laurelEntryReleaseFailed: (_root, { id, errors }, ctx) => onEntry(ctx, id, (a, key) => a.writes.releaseFailed(key, errors)),

  laurelEntriesReleaseSucceeded: async (_root, { entries, idempotencyKey }, ctx) => {
    const checked = batchItems(ctx, entries);
    if ('errors' in checked) return { results: [], userErrors: checked.errors };
    const { items } = checked;
    const run = async (): Promise<BatchPayload> => {
      const outcome = await laurelOf(ctx).writes.releaseSucceededBatch(items);
      // Some calls went through before one failed: the data says which, the error says why.
      if (outcome.failure) ctx.partialErrors.push(toGraphQLError(outcome.failure, ['laurelEntriesReleaseSucceeded']));
      const results = outcome.results.map((r, i): LaurelEntryReleaseResultModel => ({ ...r, id: entries[i].id }));
      return { results, userErrors: results.flatMap((r, i) => (r.ok ? [] : [resultError(r.id, i, r)])) };
    };
    const invalidate = (payload: BatchPayload) => {
      for (const item of items) ctx.loaders.entry('LAUREL').clear(item.key);
      return payload;
    };
    if (idempotencyKey === null || idempotencyKey === undefined) return invalidate(await run());
    const outcome = await runIdempotent({ store: ctx.idempotency, operation: 'laurelEntriesReleaseSucceeded', key: idempotencyKey, input: { entries } }, run);
    return 'refused' in outcome ? { results: [], userErrors: [outcome.refused] } : invalidate(outcome.result);
  },

  laurelEntriesBulkRelease: async (_root, { input }, ctx) => laurelOf(ctx).writes.bulkRelease(input),
};

/** `LaurelEntryReleaseResult.laurelEntry`: read on demand, one lookup batch for all results. */
export const laurelReleaseResultResolvers = {
  entryId: (p: LaurelEntryReleaseResultModel) => p.id,
  laurelEntry: (p: LaurelEntryReleaseResultModel, _args: unknown, ctx: GatewayContext) =>
    ctx.loaders.entry('LAUREL').load(p.key) as Promise<ResolversTypes['LaurelEntry'] | null>,
};
