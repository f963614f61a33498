/** The Xurrent SourceAdapter: streams sorted pages, batches lookups of entries and people by id. */
import type { EntryBatch, EntryModel, ListRequest, PersonModel, SortKey, SourceAdapter } from '../../core/contract.js';
import { adapterResources, type AdapterOptions } from '../common/adapter-options.js';
import { lookupInChunks } from '../common/lookup.js';
import { createXurrentClient, type XurrentClient } from './client.js';
import type { XurrentConfig } from './config.js';
import { FIELDS, MAX_PER_PAGE, planXurrentList } from './list-plan.js';
import { mapEntry, mapPerson } from './mapping.js';
import type { XurrentEntryModel } from './model.js';
import type { XurrentTimeEntryRaw } from './raw.js';
import { createXurrentWrites, type XurrentWrites } from './writes.js';

export interface XurrentAdapter extends SourceAdapter {
  /** One entry by Xurrent id through `GET /time_entries/:id`; null when it is unknown or unreadable. */
  getEntry(id: string, signal?: AbortSignal): Promise<XurrentEntryModel | null>;
  /** The unified writes plus archive, trash and restore (`act`, writes.ts). */
  readonly writes: XurrentWrites;
}

export type XurrentAdapterOptions = AdapterOptions<XurrentClient>;

export function isXurrentAdapter(adapter: SourceAdapter | undefined): adapter is XurrentAdapter {
  return adapter?.source === 'XURRENT' && typeof (adapter as Partial<XurrentAdapter>).getEntry === 'function';
}

const isValidKey = (key: string) => /^[1-9]\d{0,14}$/.test(key);

export function createXurrentAdapter(config: XurrentConfig, options: XurrentAdapterOptions = {}): XurrentAdapter {
  // Xurrent counts per token: the budget is the token's.
  const owner = { backend: 'xurrent', account: [config.baseUrl, config.account, config.token] };
  const resources = adapterResources(options, config.resilience, owner, (resilience) =>
    createXurrentClient(config, { dispatcher: options.dispatcher, resilience }),
  );
  const { client } = resources;
  return {
    source: 'XURRENT',
    // Xurrent breaks ties of its sort by id ascending, the gateway's tie order: 'ties'.
    pushdown: ['sort', 'workDates', 'updated', 'deleted', 'seek', 'ties'],
    writes: createXurrentWrites(client),
    list: (request) => listEntries(client, request),
    isValidKey,
    getEntries: (keys) => getEntries(client, keys),
    getPeople: (ids) => getPeople(client, ids),
    async getEntry(id, signal) {
      const raw = isValidKey(id) ? await client.getTimeEntry(id, signal) : null;
      return raw ? mapEntry(raw) : null;
    },
    status: resources.status,
    close: resources.close,
  };
}

/** The pages of `/time_entries` with `query`, following each `Link` rel="next" (it carries every parameter). */
async function* entryPages(client: XurrentClient, query: Record<string, string>, signal?: AbortSignal): AsyncGenerator<{ items: XurrentTimeEntryRaw[]; last: boolean }> {
  let next: string | null = '/time_entries';
  let first: Record<string, string> | undefined = query;
  while (next) {
    const page = await client.listTimeEntries(next, first, signal);
    first = undefined;
    next = page.next;
    yield { items: page.items, last: next === null };
  }
}

async function* listEntries(client: XurrentClient, request: ListRequest): AsyncGenerator<EntryBatch> {
  const plan = planXurrentList(request);
  if (!plan.query) {
    yield { entries: [], frontier: null };
    return;
  }
  let frontier: SortKey | undefined;
  for await (const { items, last } of entryPages(client, plan.query, request.signal)) {
    const entries: EntryModel[] = [];
    for (const raw of items) {
      const entry = mapEntry(raw);
      // The backend sorted the page: everything after it sorts at or after its last key.
      frontier = plan.keyOf(entry);
      if (plan.accept(entry)) entries.push(entry);
    }
    // Sorted with ties by id (pushdown 'ties'), a next page holds entries after all of these.
    yield last ? { entries, frontier: null } : { entries, frontier, more: plan.exact };
  }
}

/** `?id=1,2,3&per_page=100`, one request (and its next pages) per 100 distinct valid ids, in parallel. */
function getEntries(client: XurrentClient, keys: readonly string[]): Promise<Array<EntryModel | null | Error>> {
  return lookupInChunks(keys, isValidKey, MAX_PER_PAGE, async (ids) => {
    const found: Array<[string, EntryModel]> = [];
    for await (const { items } of entryPages(client, { id: ids.join(','), per_page: String(MAX_PER_PAGE), fields: FIELDS })) {
      for (const raw of items) found.push([String(raw.id), mapEntry(raw)]);
    }
    return found;
  });
}

function getPeople(client: XurrentClient, ids: readonly string[]): Promise<Array<PersonModel | null | Error>> {
  return lookupInChunks(ids, isValidKey, MAX_PER_PAGE, async (chunk) => {
    const page = await client.listPeople('/people', { id: chunk.join(','), per_page: String(MAX_PER_PAGE) });
    return page.items.map((raw) => [String(raw.id), mapPerson(raw)] as const);
  });
}
