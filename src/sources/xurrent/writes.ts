/**
 * Xurrent's writes over HTTP: create, update (`PATCH` of the fields given), soft delete, and the
 * archive / trash / restore actions. Inputs are validated first (write-input.ts), so a rejected input
 * makes no upstream call; each write is sent once and answered with the record as Xurrent saved it.
 *
 * Upstream cost: create 1 · update 1 · delete 2 (DELETE, GET) · archive, trash, restore 1.
 */
import type { SourceWrites, WriteResult } from '../../core/contract.js';
import { userError } from '../../writes/user-errors.js';
import type { XurrentClient, XurrentEntryAction, XurrentWriteAnswer } from './client.js';
import { FIELDS } from './list-plan.js';
import { mapEntry } from './mapping.js';
import { buildBody, userErrorsOf } from './write-input.js';

/** The `source` of the entries TimeGraph creates with an idempotency key (`sourceID` is the stamp). */
export const STAMP_SOURCE = 'TimeGraph';

export interface XurrentWrites extends SourceWrites {
  /**
   * Archive, trash or restore (`POST /time_entries/:id/<action>`): one upstream call; the answer holds
   * every field, so it is the read-back. NOT_FOUND userError for an unknown id.
   */
  act(id: string, action: XurrentEntryAction, signal?: AbortSignal): Promise<WriteResult>;
}

export function createXurrentWrites(client: XurrentClient): XurrentWrites {
  return {
    create: (input, signal) => create(client, input, {}, signal),
    // Xurrent keeps `source` and `sourceID` on every entry and filters on both: the stamp goes there.
    stamped: {
      create: (input, stamp, signal) => create(client, input, { source: STAMP_SOURCE, sourceID: stamp }, signal),
      async find(_input, stamp, signal) {
        const page = await client.listTimeEntries('/time_entries', { source: STAMP_SOURCE, sourceID: stamp, fields: FIELDS }, signal);
        return page.items[0] ? { entry: mapEntry(page.items[0]) } : 'absent';
      },
    },
    update: (key, input, signal) => update(client, key, input, signal),
    delete: (key, { hard }, signal) => softDelete(client, key, hard, signal),
    act: async (id, action, signal) => resultOf(id, await client.actOnTimeEntry(id, action, signal)),
  };
}

const notFound = (id: string, field: string[] = ['id']): WriteResult => ({
  entry: null,
  userErrors: [userError(field, `Xurrent has no time entry ${JSON.stringify(id)} (or it can no longer be read).`, 'NOT_FOUND')],
});

/** The write's answer as a WriteResult; 422 becomes userErrors on the input's fields. */
function resultOf(id: string | null, answer: XurrentWriteAnswer, input: object = {}): WriteResult {
  if ('entry' in answer) return { entry: mapEntry(answer.entry), userErrors: [] };
  if ('notFound' in answer) return notFound(id ?? '');
  return { entry: null, userErrors: userErrorsOf(answer.invalid, input) };
}

/** `extra` carries a keyed create's stamp. */
async function create(client: XurrentClient, input: unknown, extra: Record<string, string>, signal?: AbortSignal): Promise<WriteResult> {
  const built = buildBody(input as object, true);
  if ('errors' in built) return { entry: null, userErrors: built.errors };
  return resultOf(null, await client.createTimeEntry({ ...built.body, ...extra }, signal), input as object);
}

async function update(client: XurrentClient, key: string, input: unknown, signal?: AbortSignal): Promise<WriteResult> {
  const built = buildBody(input as object, false);
  if ('errors' in built) return { entry: null, userErrors: built.errors };
  return resultOf(key, await client.updateTimeEntry(key, built.body, signal), input as object);
}

async function softDelete(client: XurrentClient, key: string, hard: boolean, signal?: AbortSignal): Promise<WriteResult> {
  if (hard) return { entry: null, userErrors: [userError(['hard'], 'Xurrent has no permanent delete (got hard: true); a deleted entry stays readable for 3 months.', 'UNSUPPORTED')] };
  if (!(await client.deleteTimeEntry(key, signal))) return notFound(key);
  // 204 carries no body: read the entry back (it is now `deleted: true`); null if unreadable.
  const raw = await client.getTimeEntry(key, signal);
  return { entry: raw ? mapEntry(raw) : null, userErrors: [] };
}
