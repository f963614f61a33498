/**
 * What the backends' own root fields and mutations do alike: decode a global id to one backend's
 * entry, run the write, keep the request's loaders truthful; and turn backend failures of a root
 * field into the one client-facing error shape.
 */
import type { GatewayContext } from '../../core/context.js';
import type { SourceAdapter, TimeSource, WriteResult } from '../../core/contract.js';
import { badInput, isSourceError, toGraphQLError } from '../../core/errors.js';
import { parseInstant } from '../../units/dates.js';
import { afterWrite, writeTarget } from '../../writes/target.js';

/**
 * A backend-only mutation on one entry: `id` must name an entry of `source` (else a userError on
 * `['id']` and nothing sent); `run` gets the adapter and the entry's key.
 */
export async function entryMutation<Adapter extends SourceAdapter>(
  ctx: GatewayContext,
  source: TimeSource,
  id: string,
  run: (adapter: Adapter, key: string) => Promise<WriteResult>,
): Promise<WriteResult> {
  const target = writeTarget(ctx, id, ['id'], source);
  if ('error' in target) return { entry: null, userErrors: [target.error] };
  return afterWrite(ctx, source, target.key, await run(target.adapter as Adapter, target.key));
}

/** Runs a backend call of a root field; a SourceError becomes the client-facing GraphQLError. */
export async function sourceCall<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (isSourceError(error)) throw toGraphQLError(error);
    throw error;
  }
}

/** An ISO 8601 date-time argument with a zone, as epoch ms; BAD_USER_INPUT quoting it otherwise. */
export function instantArgument(argument: string, value: string, reason?: string): number;
/** Absent (null or undefined) stays undefined. */
export function instantArgument(argument: string, value: string | null | undefined, reason?: string): number | undefined;
export function instantArgument(argument: string, value: string | null | undefined, reason = 'not an ISO 8601 date-time with a zone'): number | undefined {
  if (value === null || value === undefined) return undefined;
  const ms = parseInstant(value);
  if (ms === null) throw badInput(argument, value, reason);
  return ms;
}
