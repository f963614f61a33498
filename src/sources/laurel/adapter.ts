/**
 * The Laurel SourceAdapter. Laurel filters only by an updated window and cannot sort, so `list`
 * narrows the window as far as the filter and seek position allow, filters the rest locally, and
 * promises no frontier until the stream is exhausted.
 */
import type { Dispatcher } from 'undici';
import type { LaurelEntryFilter } from '../../generated/graphql.js';
import type { EntryModel, ListRequest, PersonModel, SourceAdapter, EntryBatch } from '../../core/contract.js';
import { planList } from '../../core/list-plan.js';
import { createResilience } from '../../http/resilience.js';
import { createClientCredentialsProvider, createStaticTokenProvider, type TokenProvider } from './auth.js';
import { createLaurelClient, type LaurelWindow } from './client.js';
import type { LaurelConfig } from './config.js';
import { entryIdOf, entryKey, laurelPerson, mapLaurelEntry } from './mapping.js';
import { isObjectId, objectIdTimeMs } from './objectid.js';
import type { RawEntry, RawListEntry } from './raw.js';
import { createLaurelWrites, type LaurelWrites } from './writes.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/**
 * The upper end of an open window: a day ahead (clock skew), rounded up to the hour, so the same
 * read sends the same URL for an hour (coalesced, cached) instead of a new one every millisecond.
 */
const openEndMs = (nowMs: number) => Math.ceil((nowMs + DAY_MS) / HOUR_MS) * HOUR_MS;
/** Lookups start this long before the oldest requested entry's creation second (clock skew). */
const LOOKUP_SLACK_MS = 3_600_000;
const KEY_RE = /^[0-9a-fA-F]{24}\/[0-9a-fA-F]{24}$/;

export interface LaurelAdapter extends SourceAdapter {
  readonly writes: LaurelWrites;
  /** Entries released in (afterMs, onOrBeforeMs]: the v2 export where it pages, else v1. */
  exportEntries(releasedAfterMs: number, releasedOnOrBeforeMs: number, signal?: AbortSignal): Promise<Array<EntryModel<RawEntry>>>;
}

export interface LaurelAdapterOptions {
  dispatcher?: Dispatcher;
  /** Dispatcher for the identity service. */
  authDispatcher?: Dispatcher;
  now?: () => number;
}

const iso = (ms: number) => new Date(ms).toISOString();

export function createLaurelAdapter(config: LaurelConfig, options: LaurelAdapterOptions = {}): LaurelAdapter {
  const { now = Date.now } = options;
  const credential = config.auth.kind === 'token' ? config.auth.token : config.auth.clientId;
  const resilience = createResilience(config.resilience, Date.now, { backend: 'laurel', account: [config.baseUrl, config.customerId, credential] });
  const tokens: TokenProvider =
    config.auth.kind === 'token'
      ? createStaticTokenProvider(config.auth.token)
      : createClientCredentialsProvider({ ...config.auth, now, dispatcher: options.authDispatcher, resilience });
  const client = createLaurelClient({ baseUrl: config.baseUrl, customerId: config.customerId, tokens, dispatcher: options.dispatcher, resilience });
  // Remembered per instance: a deployment without v2 answers 404 once, then v1 is used directly.
  let listV2 = true;
  let exportV2 = true;

  /** Raw list pages of a window, v2 cursor pages or the single v1 answer; `last` marks the final one. */
  async function* listPages(window: LaurelWindow, signal?: AbortSignal): AsyncGenerator<{ items: RawListEntry[]; last: boolean }> {
    if (listV2) {
      let cursor: string | undefined;
      for (;;) {
        const page = await client.listPage(window, cursor, signal);
        if (page === null) {
          listV2 = false;
          break;
        }
        yield { items: page.items, last: !page.nextCursor };
        if (!page.nextCursor) return;
        cursor = page.nextCursor;
      }
    }
    yield { items: await client.listAll(window, signal), last: true };
  }

  async function* list(request: ListRequest): AsyncGenerator<EntryBatch> {
    const plan = planList(request);
    // Laurel's window is the one thing it filters by: the plan's updated window, seek included.
    const { afterMs = 0, atLeastMs, atMostMs } = plan.updated;
    const after = atLeastMs === undefined ? afterMs : Math.max(afterMs, atLeastMs - 1);
    const onOrBefore = atMostMs ?? openEndMs(now());
    if (plan.empty || after >= onOrBefore) {
      yield { entries: [], frontier: null };
      return;
    }
    const keep = laurelFilter(request.sourceFilter as LaurelEntryFilter | null | undefined);
    for await (const { items, last } of listPages({ after: iso(after), onOrBefore: iso(onOrBefore) }, request.signal)) {
      const entries: EntryModel[] = [];
      for (const raw of items) {
        const entry = mapLaurelEntry(raw);
        if (plan.accept(entry) && keep(entry)) entries.push(entry);
      }
      yield { entries, frontier: last ? null : undefined };
    }
  }

  /**
   * Laurel has no get-by-id. An ObjectId embeds its creation second and updatedAt >= createdAt, so one
   * scan of the v2 list from (oldest requested entry's creation − 1 h) to now finds every requested
   * entry; paging stops once all are found. Cost per DataLoader batch, whatever its size: one request
   * per 100 entries updated since the oldest requested entry was created (v1 fallback: one request).
   */
  async function getEntries(keys: readonly string[]): Promise<Array<EntryModel | null>> {
    const wanted = new Set(keys.filter((k) => KEY_RE.test(k)).map((k) => k.toLowerCase()));
    const found = new Map<string, EntryModel>();
    if (wanted.size > 0) {
      let oldest = Infinity;
      for (const k of wanted) oldest = Math.min(oldest, objectIdTimeMs(k.slice(25)));
      const afterMs = Math.max(0, oldest - LOOKUP_SLACK_MS);
      const beforeMs = openEndMs(now());
      if (afterMs < beforeMs) {
        for await (const { items } of listPages({ after: iso(afterMs), onOrBefore: iso(beforeMs) })) {
          for (const raw of items) {
            const key = entryKey(raw.userId, entryIdOf(raw)).toLowerCase();
            if (wanted.has(key)) found.set(key, mapLaurelEntry(raw));
          }
          if (found.size === wanted.size) break;
        }
      }
    }
    return keys.map((k) => found.get(k.toLowerCase()) ?? null);
  }

  /**
   * A fresh read of one entry after a write that answered "No content". The write moved its updatedAt
   * to Laurel's now, so the scan first covers only what changed since the write started (1 h slack for
   * clock skew): usually one request. Only if that misses does it scan from the entry's creation.
   */
  async function readBack(key: string, sinceMs: number, signal?: AbortSignal): Promise<EntryModel | null> {
    const wanted = key.toLowerCase();
    const created = objectIdTimeMs(wanted.slice(25)) - LOOKUP_SLACK_MS;
    const recent = Math.max(created, sinceMs - LOOKUP_SLACK_MS);
    const beforeMs = openEndMs(now());
    const windows = recent > created ? [[recent, beforeMs], [created, recent]] : [[created, beforeMs]];
    for (const [afterMs, onOrBeforeMs] of windows) {
      for await (const { items } of listPages({ after: iso(Math.max(0, afterMs)), onOrBefore: iso(onOrBeforeMs) }, signal)) {
        const raw = items.find((r) => entryKey(r.userId, entryIdOf(r)).toLowerCase() === wanted);
        if (raw) return mapLaurelEntry(raw);
      }
    }
    return null;
  }

  const writes = createLaurelWrites({ client, readBack, now });

  async function exportEntries(afterMs: number, beforeMs: number, signal?: AbortSignal): Promise<Array<EntryModel<RawEntry>>> {
    const window = { after: iso(afterMs), onOrBefore: iso(beforeMs) };
    const out: Array<EntryModel<RawEntry>> = [];
    if (exportV2) {
      let cursor: string | undefined;
      for (;;) {
        const page = await client.exportPage(window, cursor, signal);
        if (page === null) {
          exportV2 = false;
          break;
        }
        for (const raw of page.items) out.push(mapLaurelEntry(raw));
        if (!page.nextCursor) return out;
        cursor = page.nextCursor;
      }
    }
    for (const raw of await client.exportAll(window, signal)) out.push(mapLaurelEntry(raw));
    return out;
  }

  return {
    source: 'LAUREL',
    // Laurel filters by an updated window only, and cannot sort.
    pushdown: ['updated', 'seek'],
    list,
    getEntries,
    // Laurel's public API has no people endpoint: a person is their id, at no request.
    getPeople: (ids) => Promise.resolve(ids.map((id): PersonModel | null => (isObjectId(id) ? laurelPerson(id) : null))),
    isValidKey: (key) => KEY_RE.test(key),
    exportEntries,
    writes,
    status: () => resilience.breaker.status(),
    close: async () => {
      await client.close();
      await resilience.close();
    },
  };
}

/** The `laurel:` filter, which Laurel's window cannot express (the core's plan checks the rest). */
function laurelFilter(specific: LaurelEntryFilter | null | undefined): (entry: EntryModel) => boolean {
  if (!specific) return () => true;
  const userIds = specific.userIds ? new Set(specific.userIds.map((u) => u.toLowerCase())) : null;
  const initiatives = specific.initiativeExternalIds ? new Set(specific.initiativeExternalIds) : null;
  const clients = specific.clientExternalIds ? new Set(specific.clientExternalIds) : null;
  const methods = specific.creationMethods ? new Set<string>(specific.creationMethods) : null;
  return (e) => {
    const raw = e.raw as RawEntry;
    if (userIds && !userIds.has(raw.userId.toLowerCase())) return false;
    if (initiatives && !initiatives.has(initiativeExternalId(raw) ?? '')) return false;
    if (clients && !clients.has(clientExternalId(raw) ?? '')) return false;
    if (methods && !('creationMethod' in raw && methods.has(raw.creationMethod.toUpperCase()))) return false;
    return true;
  };
}

function initiativeExternalId(raw: RawEntry): string | undefined {
  if ('initiativeExternalId' in raw && raw.initiativeExternalId !== undefined) return raw.initiativeExternalId;
  return 'initiativeProps' in raw ? raw.initiativeProps?.initiative?.externalId : undefined;
}

function clientExternalId(raw: RawEntry): string | undefined {
  if ('clientExternalId' in raw && raw.clientExternalId !== undefined) return raw.clientExternalId;
  return 'initiativeProps' in raw ? raw.initiativeProps?.initiative?.client?.externalId : undefined;
}
