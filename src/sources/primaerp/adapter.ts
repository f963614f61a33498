/**
 * The primaERP SourceAdapter: OData lists paged with `$top`/`$skip`, filters and the seek position
 * pushed down as `$filter` (list-plan.ts), batched lookups with `id eq … or …` (100 ids a request).
 */
import type { EntryBatch, EntryModel, ListRequest, PersonModel, SourceAdapter } from '../../core/contract.js';
import { adapterResources, type AdapterOptions } from '../common/adapter-options.js';
import { lookupInChunks } from '../common/lookup.js';
import { createPrimaerpClient, type PrimaerpClient } from './client.js';
import type { PrimaerpConfig } from './config.js';
import { mapEntry, mapPerson } from './mapping.js';
import type { PrimaerpTimeRecordModel } from './model.js';
import { PAGE_MAX, planPrimaerpList, recordsPath, UUID_RE, type ListPart, type PrimaerpFilterInput } from './list-plan.js';
import { createPrimaerpWrites, type PrimaerpWrites } from './writes.js';
import type { RawTimeRecord, RawUnbilledSummary, RawUser } from './raw.js';

export const LOOKUP_CHUNK = 100;

export interface PrimaerpAdapter extends SourceAdapter {
  readonly source: 'PRIMAERP';
  /** `GET /v1/time/timerecords/{id}`; null when unknown. */
  getTimeRecord(id: string, signal?: AbortSignal): Promise<PrimaerpTimeRecordModel | null>;
  /** Every unbilled record of a scope (`$unbilled`), paged through. */
  unbilled(scope: PrimaerpFilterInput | null | undefined, signal?: AbortSignal): Promise<PrimaerpTimeRecordModel[]>;
  /** `$unbilledsummary` of a scope. */
  unbilledSummary(scope: PrimaerpFilterInput | null | undefined, signal?: AbortSignal): Promise<RawUnbilledSummary>;
  /** `$calculateprice`: the record with its price, not saved. Throws PrimaerpValidationError on 400. */
  calculatePrice(record: Record<string, unknown>, scope: PrimaerpFilterInput | null | undefined, signal?: AbortSignal): Promise<RawTimeRecord>;
  /** The unified writes plus restore and update price (writes.ts). */
  readonly writes: PrimaerpWrites;
}

export type PrimaerpAdapterOptions = AdapterOptions<PrimaerpClient>;

export function createPrimaerpAdapter(config: PrimaerpConfig, options: PrimaerpAdapterOptions = {}): PrimaerpAdapter {
  const owner = { backend: 'primaerp', account: [config.baseUrl, config.apiKey] };
  const resources = adapterResources(options, config.resilience, owner, (resilience) =>
    createPrimaerpClient(config, { dispatcher: options.dispatcher, now: options.now, resilience }),
  );
  const { client } = resources;
  return {
    source: 'PRIMAERP',
    pushdown: ['sort', 'workDates', 'updated', 'deleted', 'seek'],
    list: (request) => listEntries(client, request),
    getEntries: (keys) => getEntries(client, keys),
    getPeople: (ids) => getPeople(client, ids),
    isValidKey: (key) => UUID_RE.test(key),
    getTimeRecord: async (id, signal) => {
      const raw = UUID_RE.test(id) ? await client.getTimeRecord(id, signal) : null;
      return raw ? mapEntry(raw) : null;
    },
    unbilled: (scope, signal) => unbilled(client, scope, signal),
    unbilledSummary: (scope, signal) => client.unbilledSummary(recordsPath(scope, 'scope'), signal),
    calculatePrice: (record, scope, signal) => client.calculatePrice(recordsPath(scope, 'input.scope'), record, signal),
    writes: createPrimaerpWrites(client),
    status: resources.status,
    close: resources.close,
  };
}

async function* listEntries(client: PrimaerpClient, request: ListRequest): AsyncGenerator<EntryBatch> {
  const plan = planPrimaerpList(request);
  for (let p = 0; p < plan.parts.length; p++) {
    const done = yield* listPart(client, plan.path, plan.parts[p], plan.top, plan.accept, p === plan.parts.length - 1, request.signal);
    // An unknown scope entity has no records.
    if (done === 'unknown scope') return;
  }
  if (plan.parts.length === 0) yield { entries: [], frontier: null };
}

/** The pages of one part; 'unknown scope' when primaERP does not know the scoped path (404). */
async function* listPart(
  client: PrimaerpClient,
  path: string,
  part: ListPart,
  top: number,
  accept: (entry: EntryModel<RawTimeRecord>) => boolean,
  lastPart: boolean,
  signal: AbortSignal | undefined,
): AsyncGenerator<EntryBatch, 'unknown scope' | 'read'> {
  for (let skip = 0; ; ) {
    const page = await client.getArray<RawTimeRecord>(path, { $filter: part.filter, $orderby: part.orderby, $top: top, $skip: skip }, signal);
    if (page === null) {
      yield { entries: [], frontier: null };
      return 'unknown scope';
    }
    skip += page.length;
    const entries: EntryModel[] = [];
    for (const raw of page) {
      const entry = mapEntry(raw);
      if (accept(entry)) entries.push(entry);
    }
    const done = page.length < top;
    const frontier = done ? (lastPart ? null : part.endFrontier) : part.frontierOf(page[page.length - 1]);
    yield { entries, frontier };
    if (done) return 'read';
  }
}

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;
const idsFilter = (ids: readonly string[]) => ids.map((id) => `id eq ${quote(id)}`).join(' or ');
const isUuid = (key: string) => UUID_RE.test(key);

function getEntries(client: PrimaerpClient, keys: readonly string[]): Promise<Array<EntryModel | null | Error>> {
  return lookupInChunks(keys, isUuid, LOOKUP_CHUNK, async (ids) => {
    const page = (await client.getArray<RawTimeRecord>('/v1/time/timerecords', { $filter: idsFilter(ids), $top: ids.length })) ?? [];
    return page.map((raw) => [raw.id, mapEntry(raw) as EntryModel] as const);
  });
}

function getPeople(client: PrimaerpClient, ids: readonly string[]): Promise<Array<PersonModel | null | Error>> {
  return lookupInChunks(ids, isUuid, LOOKUP_CHUNK, async (chunk) => {
    const page = (await client.getArray<RawUser>('/v1/users', { $filter: idsFilter(chunk), $top: chunk.length })) ?? [];
    return page.map((raw) => [raw.id, { ...mapPerson(raw), email: raw.email ?? null }] as const);
  });
}

async function unbilled(client: PrimaerpClient, scope: PrimaerpFilterInput | null | undefined, signal?: AbortSignal): Promise<PrimaerpTimeRecordModel[]> {
  const path = `${recordsPath(scope, 'scope')}/$unbilled`;
  const out: PrimaerpTimeRecordModel[] = [];
  for (let skip = 0; ; ) {
    const page = await client.getArray<RawTimeRecord>(path, { $orderby: 'start desc,id asc', $top: PAGE_MAX, $skip: skip }, signal);
    if (page === null) return out;
    for (const raw of page) out.push(mapEntry(raw));
    skip += page.length;
    if (page.length < PAGE_MAX) return out;
  }
}
