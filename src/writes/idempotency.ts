/**
 * Idempotency keys for creates and batch releases: the same key with the same input within 24 hours
 * returns the first result without a second upstream call; the same key with another input is a
 * userError `IDEMPOTENCY_MISMATCH`; concurrent requests with one key make one upstream call (the
 * others wait for its result). Keys live in memory, or in Redis when REDIS_URL is set so that several
 * gateway instances share them (redis-store.ts).
 */
import { createHash } from 'node:crypto';
import { userError } from './user-errors.js';
import type { UserErrorModel } from '../core/contract.js';
import type { ClaimResult, IdempotencyStore } from '../core/idempotency-store.js';

export const IDEMPOTENCY_TTL_MS = 24 * 3_600_000;

export type { ClaimResult, IdempotencyStore } from '../core/idempotency-store.js';

export function createMemoryIdempotencyStore(now: () => number = Date.now): IdempotencyStore {
  const entries = new Map<string, { fingerprint: string; result?: string; expiresAt: number }>();
  return {
    async claim(key, fingerprint, ttlMs) {
      const held = entries.get(key);
      if (held && held.expiresAt > now()) {
        return held.result === undefined
          ? { status: 'pending', fingerprint: held.fingerprint }
          : { status: 'done', fingerprint: held.fingerprint, result: held.result };
      }
      entries.set(key, { fingerprint, expiresAt: now() + ttlMs });
      return { status: 'claimed' };
    },
    async complete(key, fingerprint, result, ttlMs) {
      entries.set(key, { fingerprint, result, expiresAt: now() + ttlMs });
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

export interface IdempotentOptions {
  store: IdempotencyStore;
  /** Namespaces keys per operation (`timeEntryCreate`, `laurelEntriesReleaseSucceeded`). */
  operation: string;
  key: string;
  input: unknown;
  /** How long a waiting request polls for a concurrent one's result. */
  waitMs?: number;
  ttlMs?: number;
}

/**
 * Runs `operation` once per key. Results must be JSON-serializable (they are what a repeat returns).
 * A mismatch returns `{ mismatch }` without running anything.
 */
export async function runIdempotent<T>(
  options: IdempotentOptions,
  operation: () => Promise<T>,
): Promise<{ result: T } | { mismatch: UserErrorModel }> {
  const { store, key, waitMs = 30_000, ttlMs = IDEMPOTENCY_TTL_MS } = options;
  const storeKey = `timegraph:idempotency:${options.operation}:${key}`;
  const fingerprint = fingerprintOf(options.operation, options.input);
  const deadline = Date.now() + waitMs;
  for (let delay = 10; ; delay = Math.min(delay * 2, 200)) {
    const claim = await store.claim(storeKey, fingerprint, ttlMs);
    if (claim.status !== 'claimed' && claim.fingerprint !== fingerprint) {
      return {
        mismatch: userError(
          ['idempotencyKey'],
          `Idempotency key ${JSON.stringify(key)} was already used with a different input.`,
          'IDEMPOTENCY_MISMATCH',
        ),
      };
    }
    if (claim.status === 'done') return { result: JSON.parse(claim.result) as T };
    if (claim.status === 'claimed') {
      let result: T;
      try {
        result = await operation();
      } catch (error) {
        await store.release(storeKey);
        throw error;
      }
      await store.complete(storeKey, fingerprint, JSON.stringify(result), ttlMs);
      return { result };
    }
    if (Date.now() > deadline) {
      return {
        mismatch: userError(['idempotencyKey'], `Idempotency key ${JSON.stringify(key)} is still in use by a request in progress.`, 'IDEMPOTENCY_IN_PROGRESS'),
      };
    }
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}
