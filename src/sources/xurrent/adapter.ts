/** The Xurrent SourceAdapter: streams sorted pages, batches lookups of entries and people by id. */
import { createResilience } from '../../http/resilience.js';
import type { EntryBatch, EntryModel, ListRequest, PersonModel, SortKey, SourceAdapter, SourceWrites, WriteResult } from '../../core/contract.js';
import { userError } from '../../writes/user-errors.js';
import {
  createXurrentClient, type XurrentClient, type XurrentClientOptions, type XurrentEntryAction, type XurrentWriteAnswer,
} from './client.js';
import { buildBody, userErrorsOf } from './write-input.js';
import type { XurrentConfig } from './config.js';
import { FIELDS, MAX_PER_PAGE, planXurrentList } from './list-plan.js';
import { mapPerson, mapTimeEntry } from './mapping.js';
import type { XurrentEntryModel } from './model.js';

export interface XurrentAdapter extends SourceAdapter {
  /** One entry by Xurrent id through `GET /time_entries/:id`; null when it is unknown or unreadable. */
  getEntry(id: string, signal?: AbortSignal): Promise<XurrentEntryModel | null>;
  readonly writes: SourceWrites;
  /**
   * Archive, trash or restore (`POST /time_entries/:id/<action>`): one upstream call; the answer holds
   * every field, so it is the read-back. NOT_FOUND userError for an unknown id.
   */
  act(id: string, action: XurrentEntryAction, signal?: AbortSignal): Promise<WriteResult>;
}

export function isXurrentAdapter(adapter: SourceAdapter | undefined): adapter is XurrentAdapter {
  return adapter?.source === 'XURRENT' && typeof (adapter as Partial<XurrentAdapter>).getEntry === 'function';
}

const isValidKey = (key: string) => /^[1-9]\d{0,14}$/.test(key);

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Looks ids up with `?id=1,2,3&per_page=100`, one request per 100 distinct valid ids, in parallel;
 * results are matched by id. A failed chunk yields its Error for each of its keys.
 */
async function lookup<T>(
  keys: readonly string[],
  fetchChunk: (ids: string[]) => Promise<Array<[string, T]>>,
): Promise<Array<T | null | Error>> {
  const distinct = [...new Set(keys.filter(isValidKey))];
  const found = new Map<string, T | Error>();
  await Promise.all(
    chunks(distinct, MAX_PER_PAGE).map(async (ids) => {
      try {
        for (const [id, value] of await fetchChunk(ids)) found.set(id, value);
      } catch (error) {
        const e = error instanceof Error ? error : new Error(String(error));
        for (const id of ids) found.set(id, e);
      }
    }),
  );
  return keys.map((k) => found.get(k) ?? null);
}

/** The `source` of the entries TimeGraph creates with an idempotency key (`sourceID` is the stamp). */
export const STAMP_SOURCE = 'TimeGraph';

export function createXurrentAdapter(config: XurrentConfig, options: XurrentClientOptions & { client?: XurrentClient } = {}): XurrentAdapter {
  // Xurrent counts per token: the budget is the token's.
  const resilience = options.resilience ?? createResilience(config.resilience, Date.now, { backend: 'xurrent', account: [config.baseUrl, config.account, config.token] });
  const client = options.client ?? createXurrentClient(config, { ...options, resilience });

  async function* list(request: ListRequest): AsyncGenerator<EntryBatch> {
    const plan = planXurrentList(request);
    if (!plan.query) {
      yield { entries: [], frontier: null };
      return;
    }
    let next: string | null = '/time_entries';
    let query: Record<string, string> | undefined = plan.query;
    let frontier: SortKey | undefined;
    while (next) {
      const page = await client.listTimeEntries(next, query, request.signal);
      query = undefined; // the Link URL carries every parameter
      const entries: EntryModel[] = [];
      for (const raw of page.items) {
        const entry = mapTimeEntry(raw);
        // The backend sorted the page: everything after it sorts at or after its last key.
        frontier = plan.keyOf(entry);
        if (plan.accept(entry)) entries.push(entry);
      }
      next = page.next;
      // Sorted with ties by id (pushdown 'ties'), a next page holds entries after all of these.
      yield next ? { entries, frontier, more: plan.exact } : { entries, frontier: null };
    }
  }

  const notFound = (id: string, field: string[] = ['id']): WriteResult => ({
    entry: null,
    userErrors: [userError(field, `Xurrent has no time entry ${JSON.stringify(id)} (or it can no longer be read).`, 'NOT_FOUND')],
  });

  /** The write's answer as a WriteResult; 422 becomes userErrors on the input's fields. */
  const resultOf = (id: string | null, answer: XurrentWriteAnswer, input: object = {}): WriteResult => {
    if ('entry' in answer) return { entry: mapTimeEntry(answer.entry), userErrors: [] };
    if ('notFound' in answer) return notFound(id ?? '');
    return { entry: null, userErrors: userErrorsOf(answer.invalid, input) };
  };

  /** `extra` carries a keyed create's stamp. */
  async function create(input: unknown, extra: Record<string, string>, signal?: AbortSignal): Promise<WriteResult> {
    const built = buildBody(input as object, true);
    if ('errors' in built) return { entry: null, userErrors: built.errors };
    return resultOf(null, await client.createTimeEntry({ ...built.body, ...extra }, signal), input as object);
  }

  const writes: SourceWrites = {
    create: (input, signal) => create(input, {}, signal),
    // Xurrent keeps `source` and `sourceID` on every entry and filters on both: the stamp goes there.
    stamped: {
      create: (input, stamp, signal) => create(input, { source: STAMP_SOURCE, sourceID: stamp }, signal),
      async find(_input, stamp, signal) {
        const page = await client.listTimeEntries('/time_entries', { source: STAMP_SOURCE, sourceID: stamp, fields: FIELDS }, signal);
        return page.items[0] ? { entry: mapTimeEntry(page.items[0]) } : 'absent';
      },
    },
    async update(key, input, signal) {
      const built = buildBody(input as object, false);
      if ('errors' in built) return { entry: null, userErrors: built.errors };
      return resultOf(key, await client.updateTimeEntry(key, built.body, signal), input as object);
    },
    async delete(key, { hard }, signal) {
      if (hard) return { entry: null, userErrors: [userError(['hard'], 'Xurrent has no permanent delete (got hard: true); a deleted entry stays readable for 3 months.', 'UNSUPPORTED')] };
      if (!(await client.deleteTimeEntry(key, signal))) return notFound(key);
      // 204 carries no body: read the entry back (it is now `deleted: true`); null if unreadable.
      const raw = await client.getTimeEntry(key, signal);
      return { entry: raw ? mapTimeEntry(raw) : null, userErrors: [] };
    },
  };

  return {
    source: 'XURRENT',
    // Xurrent breaks ties of its sort by id ascending, the gateway's tie order: 'ties'.
    pushdown: ['sort', 'workDates', 'updated', 'deleted', 'seek', 'ties'],
    writes,
    act: async (id, action, signal) => resultOf(id, await client.actOnTimeEntry(id, action, signal)),
    list,
    isValidKey,
    getEntries: (keys) =>
      lookup(keys, async (ids) => {
        const found: Array<[string, EntryModel]> = [];
        let next: string | null = '/time_entries';
        let query: Record<string, string> | undefined = { id: ids.join(','), per_page: String(MAX_PER_PAGE), fields: FIELDS };
        while (next) {
          const page = await client.listTimeEntries(next, query);
          query = undefined;
          for (const raw of page.items) found.push([String(raw.id), mapTimeEntry(raw)]);
          next = page.next;
        }
        return found;
      }),
    getPeople: (ids) =>
      lookup<PersonModel>(ids, async (chunk) => {
        const page = await client.listPeople('/people', { id: chunk.join(','), per_page: String(MAX_PER_PAGE) });
        return page.items.map((raw) => [String(raw.id), mapPerson(raw)] as [string, PersonModel]);
      }),
    async getEntry(id, signal) {
      if (!isValidKey(id)) return null;
      const raw = await client.getTimeEntry(id, signal);
      return raw ? mapTimeEntry(raw) : null;
    },
    status: () => resilience.breaker.status(),
    close: async () => {
      await client.close();
      if (!options.resilience) await resilience.close();
    },
  };
}
