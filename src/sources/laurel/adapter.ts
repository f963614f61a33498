/**
 * The Laurel SourceAdapter. Laurel filters only by an updated window and cannot sort, so `list`
 * narrows the window as far as the filter and seek position allow (list-plan.ts), filters the rest
 * locally, and promises no frontier until the stream is exhausted.
 */
import type { EntryModel, ListRequest, PersonModel, SourceAdapter, EntryBatch } from '../../core/contract.js';
import { adapterResources, type AdapterOptions } from '../common/adapter-options.js';
import { createLaurelTokens } from './auth.js';
import { createLaurelClient, type LaurelClient, type LaurelWindow } from './client.js';
import type { LaurelConfig } from './config.js';
import { planLaurelList, openEndMs, windowOf } from './list-plan.js';
import { entryIdOf, entryKey, mapEntry, mapPerson } from './mapping.js';
import { isObjectId, objectIdTimeMs } from './objectid.js';
import type { RawEntry, RawPage } from './raw.js';
import { createLaurelWrites, type LaurelWrites } from './writes.js';

/** Lookups start this long before the oldest requested entry's creation second (clock skew). */
const LOOKUP_SLACK_MS = 3_600_000;
const KEY_RE = /^[0-9a-fA-F]{24}\/[0-9a-fA-F]{24}$/;

export interface LaurelAdapter extends SourceAdapter {
  readonly writes: LaurelWrites;
  /** Entries released in (afterMs, onOrBeforeMs]: the v2 export where it pages, else v1. */
  exportEntries(releasedAfterMs: number, releasedOnOrBeforeMs: number, signal?: AbortSignal): Promise<Array<EntryModel<RawEntry>>>;
}

/** `authDispatcher` is the identity service's. */
export type LaurelAdapterOptions = AdapterOptions<LaurelClient>;

/** What the adapter's functions share: the client, the clock and what it learnt of the deployment. */
interface LaurelSession {
  client: LaurelClient;
  now: () => number;
  /** Remembered per instance: a deployment without v2 answers 404 once, then v1 is used directly. */
  v2: { list: boolean; export: boolean };
}

export function createLaurelAdapter(config: LaurelConfig, options: LaurelAdapterOptions = {}): LaurelAdapter {
  const { now = Date.now } = options;
  const credential = config.auth.kind === 'token' ? config.auth.token : config.auth.clientId;
  const owner = { backend: 'laurel', account: [config.baseUrl, config.customerId, credential] };
  const resources = adapterResources(options, config.resilience, owner, (resilience) => {
    const tokens = createLaurelTokens(config.auth, { now, dispatcher: options.authDispatcher, resilience });
    return createLaurelClient(config, { tokens, dispatcher: options.dispatcher, resilience });
  });
  const session: LaurelSession = { client: resources.client, now, v2: { list: true, export: true } };
  return {
    source: 'LAUREL',
    // Laurel filters by an updated window only, and cannot sort.
    pushdown: ['updated', 'seek'],
    list: (request) => listEntries(session, request),
    getEntries: (keys) => getEntries(session, keys),
    // Laurel's public API has no people endpoint: a person is their id, at no request.
    getPeople: (ids) => Promise.resolve(ids.map((id): PersonModel | null => (isObjectId(id) ? mapPerson(id) : null))),
    isValidKey: (key) => KEY_RE.test(key),
    exportEntries: (afterMs, beforeMs, signal) => exportEntries(session, afterMs, beforeMs, signal),
    writes: createLaurelWrites(session.client, { readBack: (key, sinceMs, signal) => readBack(session, key, sinceMs, signal), now }),
    status: resources.status,
    close: resources.close,
  };
}

/**
 * Raw pages of a v2 cursor endpoint, or the single v1 answer where the deployment has no v2 (`page`
 * answers null: remembered in `session.v2[which]`); `last` marks the final one.
 */
async function* versionedPages<T>(
  session: LaurelSession,
  which: keyof LaurelSession['v2'],
  page: (cursor: string | undefined) => Promise<RawPage<T> | null>,
  all: () => Promise<T[]>,
): AsyncGenerator<{ items: T[]; last: boolean }> {
  if (session.v2[which]) {
    let cursor: string | undefined;
    for (;;) {
      const answer = await page(cursor);
      if (answer === null) {
        session.v2[which] = false;
        break;
      }
      yield { items: answer.items, last: !answer.nextCursor };
      if (!answer.nextCursor) return;
      cursor = answer.nextCursor;
    }
  }
  yield { items: await all(), last: true };
}

/** The list pages of a window. */
function listPages(session: LaurelSession, window: LaurelWindow, signal?: AbortSignal) {
  const { client } = session;
  return versionedPages(session, 'list', (cursor) => client.listPage(window, cursor, signal), () => client.listAll(window, signal));
}

async function* listEntries(session: LaurelSession, request: ListRequest): AsyncGenerator<EntryBatch> {
  const plan = planLaurelList(request, session.now);
  if (plan.window === null) {
    yield { entries: [], frontier: null };
    return;
  }
  for await (const { items, last } of listPages(session, plan.window, request.signal)) {
    const entries: EntryModel[] = [];
    for (const raw of items) {
      const entry = mapEntry(raw);
      if (plan.accept(entry)) entries.push(entry);
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
async function getEntries(session: LaurelSession, keys: readonly string[]): Promise<Array<EntryModel | null>> {
  const wanted = new Set(keys.filter((k) => KEY_RE.test(k)).map((k) => k.toLowerCase()));
  const found = new Map<string, EntryModel>();
  if (wanted.size > 0) {
    let oldest = Infinity;
    for (const k of wanted) oldest = Math.min(oldest, objectIdTimeMs(k.slice(25)));
    const afterMs = Math.max(0, oldest - LOOKUP_SLACK_MS);
    const beforeMs = openEndMs(session.now());
    if (afterMs < beforeMs) {
      for await (const { items } of listPages(session, windowOf(afterMs, beforeMs))) {
        for (const raw of items) {
          const key = entryKey(raw.userId, entryIdOf(raw)).toLowerCase();
          if (wanted.has(key)) found.set(key, mapEntry(raw));
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
async function readBack(session: LaurelSession, key: string, sinceMs: number, signal?: AbortSignal): Promise<EntryModel | null> {
  const wanted = key.toLowerCase();
  const created = objectIdTimeMs(wanted.slice(25)) - LOOKUP_SLACK_MS;
  const recent = Math.max(created, sinceMs - LOOKUP_SLACK_MS);
  const beforeMs = openEndMs(session.now());
  const windows = recent > created ? [[recent, beforeMs], [created, recent]] : [[created, beforeMs]];
  for (const [afterMs, onOrBeforeMs] of windows) {
    for await (const { items } of listPages(session, windowOf(Math.max(0, afterMs), onOrBeforeMs), signal)) {
      const raw = items.find((r) => entryKey(r.userId, entryIdOf(r)).toLowerCase() === wanted);
      if (raw) return mapEntry(raw);
    }
  }
  return null;
}

async function exportEntries(session: LaurelSession, afterMs: number, beforeMs: number, signal?: AbortSignal): Promise<Array<EntryModel<RawEntry>>> {
  const { client } = session;
  const window = windowOf(afterMs, beforeMs);
  const out: Array<EntryModel<RawEntry>> = [];
  const pages = versionedPages(session, 'export', (cursor) => client.exportPage(window, cursor, signal), () => client.exportAll(window, signal));
  for await (const { items } of pages) for (const raw of items) out.push(mapEntry(raw));
  return out;
}
