/**
 * Idempotency keys for creates and batch releases: the same key with the same input within 24 hours
 * returns the first result without a second upstream call; the same key with another input is a
 * userError `IDEMPOTENCY_MISMATCH`; concurrent requests with one key make one upstream call (the
 * others wait for its result). A write whose answer was lost keeps its key: a retry reconciles
 * (looks up what the first attempt wrote) or answers `OUTCOME_UNKNOWN`, and never writes twice. Keys live in memory, or in Redis when REDIS_URL is set so that several
 * gateway instances share them (redis-store.ts).
 */
import { createHash, randomBytes } from 'node:crypto';
import { isOutcomeUnknown } from '../core/errors.js';
import { userError } from './user-errors.js';
import type { UserErrorModel } from '../core/contract.js';
import type { ClaimResult, IdempotencyStore } from '../core/idempotency-store.js';

export const IDEMPOTENCY_TTL_MS = 24 * 3_600_000;

export type { ClaimResult, IdempotencyStore } from '../core/idempotency-store.js';

export function createMemoryIdempotencyStore(now: () => number = Date.now): IdempotencyStore {
  const entries = new Map<string, { fingerprint: string; result?: string; unknown?: string; held?: boolean; expiresAt: number }>();
  return {
    async claim(key, fingerprint, ttlMs) {
      const held = entries.get(key);
      if (held && held.expiresAt > now()) {
        if (held.result !== undefined) return { status: 'done', fingerprint: held.fingerprint, result: held.result };
        if (held.unknown !== undefined && !held.held) {
          // The same input takes the key over to reconcile; another input only learns it is taken.
          if (held.fingerprint === fingerprint) held.held = true;
          return { status: 'unknown', fingerprint: held.fingerprint, detail: held.unknown };
        }
        return { status: 'pending', fingerprint: held.fingerprint };
      }
      entries.set(key, { fingerprint, expiresAt: now() + ttlMs });
      return { status: 'claimed' };
    },
    async complete(key, fingerprint, result, ttlMs) {
      entries.set(key, { fingerprint, result, expiresAt: now() + ttlMs });
    },
    async markUnknown(key, fingerprint, detail, ttlMs) {
      entries.set(key, { fingerprint, unknown: detail, expiresAt: now() + ttlMs });
    },
    async release(key) {
      entries.delete(key);
    },
    async close() {
      entries.clear();
    },
  };
}

/** Canonical JSON (object keys sorted), so equal inputs fingerprint equally whatever their key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export function fingerprintOf(operation: string, input: unknown): string {
  return createHash('sha256').update(`${operation}\n${canonical(input)}`).digest('base64url');
}

/** What a key whose write may have happened keeps (the store's `markUnknown` detail). */
interface UnknownDetail {
  /** Names the attempt in the backend, where the write can carry it (`reconcile`). */
  stamp: string;
  source: string;
}

/** What `reconcile` found about an attempt whose outcome was unknown. */
export type Reconciled<T> = { result: T } | 'absent' | 'unknowable';

export interface IdempotentOptions<T> {
  store: IdempotencyStore;
  /** Namespaces keys per operation (`timeEntryCreate`, `laurelEntriesReleaseSucceeded`). */
  operation: string;
  key: string;
  input: unknown;
  /** How long a waiting request polls for a concurrent one's result. */
  waitMs?: number;
  ttlMs?: number;
  /**
   * After an attempt whose outcome was unknown (`SOURCE_OUTCOME_UNKNOWN`), looks once for what the
   * attempt named `stamp` wrote: its result (kept as the first result), `'absent'` when it provably
   * wrote nothing (the write then runs again), `'unknowable'` when the backend offers no lookup.
   * Without it a retry is always answered `OUTCOME_UNKNOWN`, never sent again.
   */
  reconcile?: (stamp: string) => Promise<Reconciled<T>>;
}

/** A fresh name for one attempt, short enough for the vendors' external-id fields. */
const newStamp = () => `tg-${randomBytes(12).toString('base64url')}`;

/**
 * Runs `operation` once per key. Results must be JSON-serializable (they are what a repeat returns).
 * A mismatch, a request still in progress or an outcome that cannot be found out return
 * `{ refused }` without running anything. `operation` gets the attempt's stamp: a write that can
 * carry it into the backend lets `reconcile` find it after a lost answer.
 *
 * A failure with `SOURCE_OUTCOME_UNKNOWN` keeps the key (the write may have happened); any other
 * failure proves nothing was written and frees it, so the client may try again.
 */
export async function runIdempotent<T>(
  options: IdempotentOptions<T>,
  operation: (stamp: string) => Promise<T>,
): Promise<{ result: T } | { refused: UserErrorModel }> {
  const { store, key, waitMs = 30_000, ttlMs = IDEMPOTENCY_TTL_MS } = options;
  const storeKey = `timegraph:idempotency:${options.operation}:${key}`;
  const fingerprint = fingerprintOf(options.operation, options.input);
  const deadline = Date.now() + waitMs;

  const attempt = async (stamp: string): Promise<{ result: T }> => {
    let result: T;
    try {
      result = await operation(stamp);
    } catch (error) {
      if (isOutcomeUnknown(error)) {
        const detail: UnknownDetail = { stamp, source: error.source };
        await store.markUnknown(storeKey, fingerprint, JSON.stringify(detail), ttlMs);
      } else await store.release(storeKey);
      throw error;
    }
    await store.complete(storeKey, fingerprint, JSON.stringify(result), ttlMs);
    return { result };
  };

  for (let delay = 10; ; delay = Math.min(delay * 2, 200)) {
    const claim = await store.claim(storeKey, fingerprint, ttlMs);
    if (claim.status !== 'claimed' && claim.fingerprint !== fingerprint) {
      return {
        refused: userError(
          ['idempotencyKey'],
          `Idempotency key ${JSON.stringify(key)} was already used with a different input.`,
          'IDEMPOTENCY_MISMATCH',
        ),
      };
    }
    if (claim.status === 'done') return { result: JSON.parse(claim.result) as T };
    if (claim.status === 'claimed') return attempt(newStamp());
    if (claim.status === 'unknown') {
      const detail = JSON.parse(claim.detail) as UnknownDetail;
      let found: Reconciled<T> = 'unknowable';
      try {
        if (options.reconcile) found = await options.reconcile(detail.stamp);
      } catch (error) {
        // The lookup failed: the first attempt's outcome is as unknown as before.
        await store.markUnknown(storeKey, fingerprint, claim.detail, ttlMs);
        throw error;
      }
      if (found === 'absent') return attempt(detail.stamp);
      if (found === 'unknowable') {
        await store.markUnknown(storeKey, fingerprint, claim.detail, ttlMs);
        return { refused: unknownOutcome(key, detail.source) };
      }
      await store.complete(storeKey, fingerprint, JSON.stringify(found.result), ttlMs);
      return found;
    }
    if (Date.now() > deadline) {
      return {
        refused: userError(['idempotencyKey'], `Idempotency key ${JSON.stringify(key)} is still in use by a request in progress.`, 'IDEMPOTENCY_IN_PROGRESS'),
      };
    }
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}

function unknownOutcome(key: string, source: string): UserErrorModel {
  return userError(
    ['idempotencyKey'],
    `The first request with idempotency key ${JSON.stringify(key)} may have been carried out by ${source} (its answer was lost), and ${source} offers no way to look it up, so TimeGraph does not send it again. Check ${source} itself; send the request with a new key only if it did not happen.`,
    'OUTCOME_UNKNOWN',
  );
}
