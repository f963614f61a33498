import { asSourceFailure } from '../core/errors.js';
import { encodeId } from '../core/ids.js';
import { unreadableCreate } from '../http/write-outcome.js';
import type { MutationResolvers, TimeEntryCreateInput, TimeEntryUpdateInput } from '../generated/graphql.js';
import type { GatewayContext } from '../core/context.js';
import { SOURCES, type RegisteredSource } from '../sources/registry.js';
import type { UserErrorModel, WriteResult } from '../core/contract.js';
import { runIdempotent, type Reconciled } from '../writes/idempotency.js';
import { afterWrite, writeTarget } from '../writes/target.js';
import { userError } from '../writes/user-errors.js';

/** The one member a `@oneOf` input has set (GraphQL validation guarantees there is exactly one). */
function memberOf(input: TimeEntryCreateInput | TimeEntryUpdateInput): { def: RegisteredSource; value: unknown } {
  const record = input as Record<string, unknown>;
  const def = SOURCES.find((s) => record[s.field] !== undefined && record[s.field] !== null);
  if (!def) throw new Error('a @oneOf input arrived without a member');
  return { def, value: record[def.field] };
}

const payload = (result: WriteResult) => ({ timeEntry: result.entry, userErrors: result.userErrors });
const failed = (error: UserErrorModel) => ({ timeEntry: null, userErrors: [error] });

/** A create; with a `stamp` (keyed creates) it carries the stamp where the backend can keep one. */
async function create(ctx: GatewayContext, input: TimeEntryCreateInput, stamp?: string): Promise<WriteResult> {
  const { def, value } = memberOf(input);
  const adapter = ctx.sources.require(def.source);
  if (!adapter.writes?.create) return { entry: null, userErrors: [userError(['input', def.field], `${def.source} does not create entries.`, 'UNSUPPORTED')] };
  if (stamp === undefined) return afterWrite(ctx, def.source, null, await adapter.writes.create(value));
  try {
    const stamped = adapter.writes.stamped;
    return afterWrite(ctx, def.source, null, stamped ? await stamped.create(value, stamp) : await adapter.writes.create(value));
  } catch (error) {
    // Under a key an unreadable answer keeps the key claimed, so the retry looks the entry up.
    throw unreadableCreate(def.source, asSourceFailure(def.source, error));
  }
}

/** After a keyed create's lost answer: the entry its attempt `stamp` wrote, looked up once. */
async function reconcileCreate(ctx: GatewayContext, input: TimeEntryCreateInput, stamp: string): Promise<Reconciled<WriteResult>> {
  const { def, value } = memberOf(input);
  const stamped = ctx.sources.require(def.source).writes?.stamped;
  if (!stamped) return 'unknowable';
  const found = await stamped.find(value, stamp);
  if (found === 'absent' || found === 'unknowable') return found;
  return { result: afterWrite(ctx, def.source, null, { entry: found.entry, userErrors: [] }) };
}

export const mutationResolvers: MutationResolvers = {
  timeEntryCreate: async (_root, { input, idempotencyKey }, ctx) => {
    if (idempotencyKey === null || idempotencyKey === undefined) return payload(await create(ctx, input));
    const outcome = await runIdempotent(
      { store: ctx.idempotency, operation: 'timeEntryCreate', key: idempotencyKey, input, reconcile: (stamp) => reconcileCreate(ctx, input, stamp) },
      (stamp) => create(ctx, input, stamp),
    );
    return 'refused' in outcome ? failed(outcome.refused) : payload(outcome.result);
  },

  timeEntryUpdate: async (_root, { id, input }, ctx) => {
    const target = writeTarget(ctx, id);
    if ('error' in target) return failed(target.error);
    const { def, value } = memberOf(input);
    if (def.source !== target.source) {
      const field = SOURCES.find((s) => s.source === target.source)?.field;
      return failed(userError(['input', def.field], `The id is a ${target.source} entry; give its changes as input.${field}.`, 'SOURCE_MISMATCH'));
    }
    if (!target.adapter.writes?.update) return failed(userError(['input', def.field], `${def.source} does not update entries.`, 'UNSUPPORTED'));
    return payload(afterWrite(ctx, target.source, target.key, await target.adapter.writes.update(target.key, value)));
  },

  timeEntryDelete: async (_root, { id, hard }, ctx) => {
    const target = writeTarget(ctx, id);
    if ('error' in target) return { deletedId: null, timeEntry: null, userErrors: [target.error] };
    if (!target.adapter.writes) return { deletedId: null, timeEntry: null, userErrors: [userError(['id'], `${target.source} does not delete entries.`, 'UNSUPPORTED')] };
    const result = afterWrite(ctx, target.source, target.key, await target.adapter.writes.delete(target.key, { hard: hard === true }));
    return {
      deletedId: result.userErrors.length === 0 ? encodeId('TimeEntry', target.source, target.key) : null,
      timeEntry: result.entry,
      userErrors: result.userErrors,
    };
  },
};
