/**
 * Laurel's writes: override and soft delete behind the unified mutations, and its own actions
 * (unrelease, release-succeeded single and batch, release-failed, bulk-release). Every input is checked
 * as Laurel documents it before anything is sent; nothing is retried once sent; endpoints that answer
 * "No content" are followed by one fresh lookup of the entry.
 */
import { SourceError } from '../../core/errors.js';
import type { LaurelBulkReleaseInput, LaurelEntryOverrideInput } from '../../generated/graphql.js';
import type { EntryModel, SourceWrites, UserErrorModel, WriteResult } from '../../core/contract.js';
import { rejected, userError } from '../../writes/user-errors.js';
import type { LaurelClient } from './client.js';
import { mapEntry } from './mapping.js';
import type { RawFullEntry, RawListEntry } from './raw.js';
import { bulkReleaseBody, given, laurelWriteErrors, validateBulkRelease, validateOverride, type WriteContext } from './write-input.js';

/** Laurel's limit of entries per batch call. */
export const LAUREL_BATCH_SIZE = 20;

/** One entry of a batch release, its key already decoded from the global id. */
export interface BatchReleaseItem {
  key: string;
  externalId?: string | null;
  reReleaseFailedMessages?: string[] | null;
}

/**
 * Laurel's status of one batch entry (`SingleEntryResponse`); after a failed call, UNKNOWN for that
 * call's entries and NOT_SENT for later ones.
 */
export interface BatchReleaseResult {
  key: string;
  status: string;
  ok: boolean;
  errorMessage: string | null;
  errorCode: number | null;
}

export interface BatchReleaseOutcome {
  /** One per item, in input order. */
  results: BatchReleaseResult[];
  /** A call that failed after earlier calls went through: later items are NOT_SENT. */
  failure: SourceError | null;
  /** Upstream calls made. */
  calls: number;
}

export interface LaurelWrites extends SourceWrites {
  update(key: string, input: unknown, signal?: AbortSignal): Promise<WriteResult>;
  unrelease(key: string, signal?: AbortSignal): Promise<WriteResult>;
  releaseSucceeded(key: string, body: { externalId?: string | null; reReleaseFailedMessages?: string[] | null }, signal?: AbortSignal): Promise<WriteResult>;
  releaseFailed(key: string, errors: readonly string[], signal?: AbortSignal): Promise<WriteResult>;
  /** Sends the items in calls of at most 20, one after another. */
  releaseSucceededBatch(items: readonly BatchReleaseItem[], signal?: AbortSignal): Promise<BatchReleaseOutcome>;
  bulkRelease(input: LaurelBulkReleaseInput, signal?: AbortSignal): Promise<{ accepted: boolean; userErrors: UserErrorModel[] }>;
}

export interface LaurelWritesOptions {
  /** A fresh lookup of one entry, updated at or after `sinceMs` (the lookup scan, never a cache). */
  readBack(key: string, sinceMs: number, signal?: AbortSignal): Promise<EntryModel | null>;
  now?: () => number;
}

const splitKey = (key: string) => {
  const [userId, entryId] = key.split('/');
  return { userId, entryId };
};

export function createLaurelWrites(client: LaurelClient, options: LaurelWritesOptions): LaurelWrites {
  const w: Writer = { client, readBack: options.readBack, now: options.now ?? Date.now };
  const { paths } = client;
  return {
    update: (key, raw, signal) => override(w, key, raw as LaurelEntryOverrideInput, signal),
    delete: (key, { hard }, signal) => softDelete(w, key, hard, signal),
    unrelease(key, signal) {
      const { userId, entryId } = splitKey(key);
      return noContent(w, key, `${paths.publicEntry(userId, entryId)}/unrelease`, undefined, idCtx(key), signal);
    },
    releaseSucceeded(key, input, signal) {
      const body = given(input);
      const { userId, entryId } = splitKey(key);
      return noContent(w, key, `${paths.entry(userId, entryId)}/release-succeeded`, body, idCtx(key, body), signal);
    },
    releaseFailed: (key, errors, signal) => releaseFailed(w, key, errors, signal),
    releaseSucceededBatch: (items, signal) => releaseSucceededBatch(w, items, signal),
    bulkRelease: (input, signal) => bulkRelease(w, input, signal),
  };
}

/** What the write functions share. */
interface Writer {
  client: LaurelClient;
  readBack: LaurelWritesOptions['readBack'];
  now: () => number;
}

/** A write Laurel answers with "No content": on success, the entry is read back. */
async function noContent(w: Writer, key: string, path: string, json: unknown, ctx: WriteContext, signal?: AbortSignal): Promise<WriteResult> {
  const started = w.now();
  const res = await w.client.write('POST', path, json, signal);
  if (res.status >= 400) return rejected(...laurelWriteErrors(res, ctx));
  const entry = await w.readBack(key, started, signal);
  if (!entry) throw new SourceError('LAUREL', 'SOURCE_BAD_RESPONSE', 'LAUREL no longer lists the entry it just changed');
  return { entry, userErrors: [] };
}

function entryDto<T extends RawListEntry | RawFullEntry>(body: unknown, idField: 'entryId' | '_id'): T {
  if (!body || typeof body !== 'object' || typeof (body as Record<string, unknown>)[idField] !== 'string') {
    throw new SourceError('LAUREL', 'SOURCE_BAD_RESPONSE', 'LAUREL answered a write without the entry');
  }
  return body as T;
}

const idCtx = (key: string, input?: Record<string, unknown>): WriteContext => ({ idField: ['id'], id: splitKey(key).entryId, inputField: [], input });

async function override(w: Writer, key: string, input: LaurelEntryOverrideInput, signal?: AbortSignal): Promise<WriteResult> {
  const problems = validateOverride(input);
  if (problems.length > 0) return rejected(...problems);
  const body = given(input);
  const { userId, entryId } = splitKey(key);
  const res = await w.client.write('PATCH', `${w.client.paths.publicEntry(userId, entryId)}/override`, body, signal);
  if (res.status >= 400) return rejected(...laurelWriteErrors(res, { idField: ['id'], id: entryId, inputField: ['input', 'laurel'], input: body }));
  return { entry: mapEntry(entryDto<RawListEntry>(res.body, 'entryId')), userErrors: [] };
}

async function softDelete(w: Writer, key: string, hard: boolean, signal?: AbortSignal): Promise<WriteResult> {
  if (hard) return rejected(userError(['hard'], 'Laurel only soft-deletes entries; hard: true is not possible.', 'UNSUPPORTED'));
  const { userId, entryId } = splitKey(key);
  const res = await w.client.write('DELETE', w.client.paths.publicEntry(userId, entryId), undefined, signal);
  if (res.status >= 400) return rejected(...laurelWriteErrors(res, idCtx(key)));
  // Laurel answers the full entry with isDeleted: true, which is the read-back.
  return { entry: mapEntry(entryDto<RawFullEntry>(res.body, '_id')), userErrors: [] };
}

async function releaseFailed(w: Writer, key: string, errors: readonly string[], signal?: AbortSignal): Promise<WriteResult> {
  if (errors.length === 0) return rejected(userError(['errors'], 'Give at least one error message ([] given).', 'VALIDATION'));
  const empty = errors.findIndex((m) => m.length === 0);
  if (empty >= 0) return rejected(userError(['errors', String(empty)], 'An error message must not be empty ("" given).', 'VALIDATION'));
  const { userId, entryId } = splitKey(key);
  return noContent(w, key, `${w.client.paths.entry(userId, entryId)}/release-failed`, { errors }, idCtx(key, { errors }), signal);
}

async function releaseSucceededBatch(w: Writer, items: readonly BatchReleaseItem[], signal?: AbortSignal): Promise<BatchReleaseOutcome> {
  const results: BatchReleaseResult[] = [];
  let calls = 0;
  for (let start = 0; start < items.length; start += LAUREL_BATCH_SIZE) {
    const chunk = items.slice(start, start + LAUREL_BATCH_SIZE);
    try {
      calls++;
      results.push(...(await releaseChunk(w, chunk, signal)));
    } catch (error) {
      // Nothing went through yet: the whole request failed (SOURCE_OUTCOME_UNKNOWN keeps its
      // idempotency key). Otherwise keep what went through: this call's entries may or may not have
      // been released (UNKNOWN) unless the call provably never left (NOT_SENT); later ones were not sent.
      if (start === 0 || !(error instanceof SourceError)) throw error;
      results.push(...unsettled(chunk, items.slice(start + LAUREL_BATCH_SIZE), error));
      return { results, failure: error, calls };
    }
  }
  return { results, failure: null, calls };
}

type BatchAnswer = Map<string, { status: string; errorMessage?: string; errorCode?: number | null }>;

/** One batch call of at most 20 entries: each entry's status, in input order. */
async function releaseChunk(w: Writer, chunk: readonly BatchReleaseItem[], signal?: AbortSignal): Promise<BatchReleaseResult[]> {
  const request = chunk.map((item) => ({ ...splitKey(item.key), ...given({ externalId: item.externalId, reReleaseFailedMessages: item.reReleaseFailedMessages }) }));
  const res = await w.client.write('POST', w.client.paths.batchReleaseSucceeded, { request }, signal);
  let answer: BatchAnswer;
  if (res.status !== 207 && res.status !== 200) {
    // A refused call (400) names no entry: every entry of the call gets Laurel's message.
    const message = laurelWriteErrors(res, { idField: null, inputField: [] }).map((e) => e.message).join(' ');
    answer = new Map(chunk.map((item) => [splitKey(item.key).entryId.toLowerCase(), { status: 'BAD_REQUEST', errorMessage: message, errorCode: res.status }]));
  } else {
    answer = batchAnswer(res.body);
  }
  return chunk.map((item): BatchReleaseResult => {
    const a = answer.get(splitKey(item.key).entryId.toLowerCase());
    if (!a) throw new SourceError('LAUREL', 'SOURCE_BAD_RESPONSE', 'LAUREL answered a batch release without a status for every entry');
    const ok = a.status === 'OK' || a.status === '200';
    return { key: item.key, status: a.status, ok, errorMessage: ok ? null : (a.errorMessage ?? null), errorCode: ok ? null : (a.errorCode ?? null) };
  });
}

/** After a failed call: its entries UNKNOWN (or NOT_SENT when it never left), the later ones NOT_SENT. */
function unsettled(chunk: readonly BatchReleaseItem[], later: readonly BatchReleaseItem[], error: SourceError): BatchReleaseResult[] {
  const maybe = error.code === 'SOURCE_OUTCOME_UNKNOWN' || error.code === 'SOURCE_BAD_RESPONSE';
  const notSent = (item: BatchReleaseItem): BatchReleaseResult => ({ key: item.key, status: 'NOT_SENT', ok: false, errorMessage: `Not sent: ${error.message}.`, errorCode: null });
  return [
    ...chunk.map((item) => (maybe ? { key: item.key, status: 'UNKNOWN', ok: false, errorMessage: `Unknown: ${error.message}`, errorCode: null } : notSent(item))),
    ...later.map(notSent),
  ];
}

async function bulkRelease(w: Writer, input: LaurelBulkReleaseInput, signal?: AbortSignal): Promise<{ accepted: boolean; userErrors: UserErrorModel[] }> {
  const problems = validateBulkRelease(input);
  if (problems.length > 0) return { accepted: false, userErrors: problems };
  const body = bulkReleaseBody(input);
  const res = await w.client.write('POST', w.client.paths.bulkRelease, body, signal);
  if (res.status >= 400) return { accepted: false, userErrors: laurelWriteErrors(res, { idField: null, inputField: ['input'], input: { ...input } }) };
  return { accepted: true, userErrors: [] };
}

/** `BatchReleaseSucceededResponseDto` by entry id. */
function batchAnswer(body: unknown): BatchAnswer {
  const response = body && typeof body === 'object' ? (body as { response?: unknown }).response : undefined;
  if (!Array.isArray(response)) throw new SourceError('LAUREL', 'SOURCE_BAD_RESPONSE', 'LAUREL answered a batch release without a response array');
  const out = new Map<string, { status: string; errorMessage?: string; errorCode?: number | null }>();
  for (const r of response as Array<Record<string, unknown>>) {
    if (!r || typeof r.entryId !== 'string' || (typeof r.status !== 'string' && typeof r.status !== 'number')) {
      throw new SourceError('LAUREL', 'SOURCE_BAD_RESPONSE', 'LAUREL answered a batch release with a malformed entry status');
    }
    out.set(r.entryId.toLowerCase(), {
      status: String(r.status),
      errorMessage: typeof r.errorMessage === 'string' ? r.errorMessage : undefined,
      errorCode: typeof r.errorCode === 'number' ? r.errorCode : null,
    });
  }
  return out;
}
