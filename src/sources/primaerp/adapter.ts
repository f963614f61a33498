/**
 * The primaERP SourceAdapter: OData lists paged with `$top`/`$skip`, filters and the seek position
 * pushed down as `$filter`, batched lookups with `id eq … or …` (100 ids a request).
 */
import { GraphQLError } from 'graphql';
import type { Dispatcher } from 'undici';
import type { HttpResponse } from '../../http/client.js';
import { createResilience } from '../../http/resilience.js';
import type { EntryBatch, EntryModel, ListRequest, PersonModel, SortKey, SourceAdapter } from '../../core/contract.js';
import { createPrimaerpClient, unexpectedAnswer, type PrimaerpClient } from './client.js';
import type { PrimaerpConfig } from './config.js';
import { mapTimeRecord, mapUser, msDate } from './mapping.js';
import type { PrimaerpTimeRecordModel } from './model.js';
import { planList, type ListPlan } from '../../core/list-plan.js';
import {
  and,
  commonConditions,
  matchesFlags,
  maxDayFrom,
  minDayFrom,
  recordsPath,
  startConditions,
  UUID_RE,
  type PrimaerpFilterInput,
} from './query.js';
import { createPrimaerpWrites, type PrimaerpWrites } from './writes.js';
import type { RawConstraintViolation, RawError, RawTimeRecord, RawUnbilledSummary, RawUser } from './raw.js';

export const PAGE_MAX = 1000;
export const LOOKUP_CHUNK = 100;

/** A write or calculation primaERP refused with constraint violations (400 PE01-…). */
export class PrimaerpValidationError extends Error {
  override readonly name = 'PrimaerpValidationError';
  constructor(
    readonly code: string | null,
    readonly violations: RawConstraintViolation[],
  ) {
    super(`primaERP refused the record: ${violations.map((v) => `${v.field ?? '?'} ${v.message ?? v.constraint ?? ''}`.trim()).join('; ') || code || 'invalid'}`);
  }
}

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

export interface PrimaerpAdapterOptions {
  dispatcher?: Dispatcher;
  now?: () => number;
}

/** One part of a list: a path, a $filter, an order, and what it may promise when it ends. */
interface ListPart {
  filter: string | undefined;
  orderby: string;
  /** Frontier after a page of this part (from the page's last raw record). */
  frontierOf(last: RawTimeRecord | undefined): SortKey | undefined;
  /** Frontier when this part ends but another follows. */
  endFrontier: SortKey;
}

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;
const idsFilter = (ids: readonly string[]) => ids.map((id) => `id eq ${quote(id)}`).join(' or ');

/**
 * The core's plan in OData, one part per run (see `ListPlan.runs`): updated sorts order by
 * `updatedAt`; work-date sorts read dated records ordered by `start` and, as their own run, the
 * records without a start (workDate null, key '').
 */
function listParts(plan: ListPlan, input: PrimaerpFilterInput | null | undefined): ListPart[] {
  const asc = !plan.descending;
  const common = commonConditions(plan, input);
  const { from: low, to: high } = plan.workDates;
  return plan.runs.map((run): ListPart => {
    if (run === 'all') {
      return {
        filter: and([...common, ...startConditions(low, high)]),
        orderby: `updatedAt ${asc ? 'asc' : 'desc'},id asc`,
        frontierOf: (last) => msDate(last?.updatedAt) ?? msDate(last?.createdAt) ?? undefined,
        endFrontier: asc ? Number.MAX_SAFE_INTEGER : 0,
      };
    }
    if (run === 'undated') {
      return { filter: and([...common, 'start eq null']), orderby: 'id asc', frontierOf: () => '', endFrontier: low ?? '' };
    }
    return {
      filter: and([...common, 'start ne null', ...startConditions(low, high)]),
      orderby: `start ${asc ? 'asc' : 'desc'},id asc`,
      frontierOf: (last) => {
        const s = msDate(last?.start);
        if (s === null) return undefined;
        if (asc) {
          const d = minDayFrom(s);
          return low !== undefined && low > d ? low : d;
        }
        const d = maxDayFrom(s);
        return high !== undefined && high < d ? high : d;
      },
      endFrontier: asc ? '9999-12-31' : '',
    };
  });
}

export function createPrimaerpAdapter(config: PrimaerpConfig, options: PrimaerpAdapterOptions = {}): PrimaerpAdapter {
  const resilience = createResilience(config.resilience, Date.now, { backend: 'primaerp', account: [config.baseUrl, config.apiKey] });
  const client: PrimaerpClient = createPrimaerpClient({ ...config, dispatcher: options.dispatcher, now: options.now, resilience });

  async function getArray<T>(path: string, query: Record<string, string | number | undefined>, signal?: AbortSignal): Promise<T[] | null> {
    const res = await client.send({ method: 'GET', path, query, signal });
    if (res.status === 404) return null;
    if (res.status !== 200 || !Array.isArray(res.body)) throw unexpectedAnswer(res);
    return res.body as T[];
  }

  async function* list(request: ListRequest): AsyncGenerator<EntryBatch> {
    const input = (request.sourceFilter ?? null) as PrimaerpFilterInput | null;
    const path = recordsPath(input, 'filter.primaerp');
    const plan = planList(request);
    const parts = listParts(plan, input);
    const top = Math.min(PAGE_MAX, Math.max(100, request.limit + 1));
    for (let p = 0; p < parts.length; p++) {
      const part = parts[p];
      const lastPart = p === parts.length - 1;
      for (let skip = 0; ; ) {
        const page = await getArray<RawTimeRecord>(path, { $filter: part.filter, $orderby: part.orderby, $top: top, $skip: skip }, request.signal);
        // An unknown scope entity has no records.
        if (page === null) {
          yield { entries: [], frontier: null };
          return;
        }
        skip += page.length;
        const entries: EntryModel[] = [];
        for (const raw of page) {
          const entry = mapTimeRecord(raw);
          if (plan.accept(entry) && matchesFlags(entry, input)) entries.push(entry);
        }
        const done = page.length < top;
        const frontier = done ? (lastPart ? null : part.endFrontier) : part.frontierOf(page[page.length - 1]);
        yield { entries, frontier };
        if (done) break;
      }
    }
    if (parts.length === 0) yield { entries: [], frontier: null };
  }

  /** Runs `fetch` per chunk of valid, distinct ids and matches the results back by id. */
  async function lookup<T>(
    keys: readonly string[],
    fetchChunk: (ids: string[]) => Promise<Map<string, T>>,
  ): Promise<Array<T | null | Error>> {
    const unique = [...new Set(keys.filter((k) => UUID_RE.test(k)))];
    const chunks: string[][] = [];
    for (let i = 0; i < unique.length; i += LOOKUP_CHUNK) chunks.push(unique.slice(i, i + LOOKUP_CHUNK));
    const found = new Map<string, T | Error>();
    await Promise.all(
      chunks.map(async (ids) => {
        try {
          const got = await fetchChunk(ids);
          got.forEach((v, k) => found.set(k, v));
        } catch (error) {
          for (const id of ids) found.set(id, error as Error);
        }
      }),
    );
    return keys.map((k) => found.get(k) ?? null);
  }

  async function getEntries(keys: readonly string[]): Promise<Array<EntryModel | null | Error>> {
    return lookup(keys, async (ids) => {
      const page = (await getArray<RawTimeRecord>('/v1/time/timerecords', { $filter: idsFilter(ids), $top: ids.length })) ?? [];
      return new Map(page.map((raw) => [raw.id, mapTimeRecord(raw) as EntryModel]));
    });
  }

  async function getPeople(ids: readonly string[]): Promise<Array<PersonModel | null | Error>> {
    return lookup(ids, async (chunk) => {
      const page = (await getArray<RawUser>('/v1/users', { $filter: idsFilter(chunk), $top: chunk.length })) ?? [];
      return new Map(page.map((raw) => [raw.id, { ...mapUser(raw), email: raw.email ?? null }]));
    });
  }

  async function getTimeRecord(id: string, signal?: AbortSignal): Promise<PrimaerpTimeRecordModel | null> {
    if (!UUID_RE.test(id)) return null;
    const res = await client.send({ method: 'GET', path: `/v1/time/timerecords/${id}`, signal });
    if (res.status === 404) return null;
    if (res.status !== 200 || typeof res.body !== 'object' || res.body === null) throw unexpectedAnswer(res);
    return mapTimeRecord(res.body as RawTimeRecord);
  }

  async function unbilled(scope: PrimaerpFilterInput | null | undefined, signal?: AbortSignal): Promise<PrimaerpTimeRecordModel[]> {
    const path = `${recordsPath(scope, 'scope')}/$unbilled`;
    const out: PrimaerpTimeRecordModel[] = [];
    for (let skip = 0; ; ) {
      const page = await getArray<RawTimeRecord>(path, { $orderby: 'start desc,id asc', $top: PAGE_MAX, $skip: skip }, signal);
      if (page === null) return out;
      for (const raw of page) out.push(mapTimeRecord(raw));
      skip += page.length;
      if (page.length < PAGE_MAX) return out;
    }
  }

  async function unbilledSummary(scope: PrimaerpFilterInput | null | undefined, signal?: AbortSignal): Promise<RawUnbilledSummary> {
    const res = await client.send({ method: 'GET', path: `${recordsPath(scope, 'scope')}/$unbilledsummary`, signal });
    if (res.status === 404) return { count: 0, duration: 0, price: 0, projects: [] };
    const body = res.body as RawUnbilledSummary | null;
    if (res.status !== 200 || typeof body?.count !== 'number') throw unexpectedAnswer(res);
    return body;
  }

  async function calculatePrice(record: Record<string, unknown>, scope: PrimaerpFilterInput | null | undefined, signal?: AbortSignal): Promise<RawTimeRecord> {
    const res = await client.send({ method: 'POST', path: `${recordsPath(scope, 'input.scope')}/$calculateprice`, json: record, signal, read: true });
    if (res.status === 400) throw validationError(res);
    if (res.status === 404) throw new GraphQLError('primaERP does not know the scope of "input.scope".', { extensions: { code: 'BAD_USER_INPUT', argument: 'input.scope' } });
    if (res.status !== 200 || typeof res.body !== 'object' || res.body === null) throw unexpectedAnswer(res);
    return res.body as RawTimeRecord;
  }

  return {
    source: 'PRIMAERP',
    pushdown: ['sort', 'workDates', 'updated', 'deleted', 'seek'],
    list,
    getEntries,
    getPeople,
    isValidKey: (key) => UUID_RE.test(key),
    getTimeRecord,
    unbilled,
    unbilledSummary,
    calculatePrice,
    writes: createPrimaerpWrites(client),
    status: () => resilience.breaker.status(),
    close: async () => {
      await client.close();
      await resilience.close();
    },
  };
}

function validationError(res: HttpResponse): Error {
  const body = res.body as Partial<RawError> | null;
  if (Array.isArray(body?.constraintViolations)) return new PrimaerpValidationError(body.code ?? null, body.constraintViolations);
  return unexpectedAnswer(res);
}

