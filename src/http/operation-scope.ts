/**
 * The ambient scope of one GraphQL operation: its deadline and an AbortSignal that fires when the
 * deadline passes, the client goes away or the operation ends. The operation-deadline plugin runs
 * execution inside it (AsyncLocalStorage), so every upstream call made on the operation's behalf —
 * DataLoader batches, merged streams, writes — is bounded without passing a signal around.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export interface UpstreamAttempt {
  source: string;
  method: string;
  /** The path's route template (`route-template.ts`): never a concrete id, query string or origin. */
  route: string;
  /** 0 for the first attempt of a call, 1 for its first retry, … */
  retry: number;
  status: number | null;
  outcome: string;
  seconds: number;
}

/** What the HTTP path reports about upstream calls made for an operation (metrics, traces). */
export interface UpstreamObserver {
  /** One attempt that left the gateway, with its answer's status or how it failed. */
  attempt(event: UpstreamAttempt): void;
  /** A call starts (+1) or stops (-1) waiting for the client-side rate limiter. */
  queued(source: string, delta: 1 | -1): void;
  /** A read was answered from a cache instead of a backend (counted by `timegraph_cache_hits_total`). */
  cacheHit?(source: string): void;
}

export interface OperationScope {
  /** Aborted when the deadline passes, the client goes away or the operation ends. */
  readonly signal: AbortSignal;
  /** Epoch milliseconds. */
  readonly deadlineAt: number;
  /** The gateway's observer of upstream calls, if it has one. */
  readonly observer?: UpstreamObserver;
  /** Filled in when a read is answered from the read cache: when the oldest answer used was fetched. */
  readonly cacheUse?: { oldestStoredAt?: number };
}

/** The deadline of an operation unless OPERATION_TIMEOUT_MS says otherwise; also bounds calls made outside one. */
export const DEFAULT_OPERATION_TIMEOUT_MS = 10_000;

const storage = new AsyncLocalStorage<OperationScope>();

/** The scope of the operation being executed, or undefined outside one (start-up, direct adapter use). */
export function currentOperation(): OperationScope | undefined {
  return storage.getStore();
}

export function runInOperation<T>(scope: OperationScope, fn: () => T): T {
  return storage.run(scope, fn);
}

/** Why an operation's signal fired; the reason is an instance of this, so the HTTP client can tell. */
export class OperationAborted extends Error {
  override readonly name = 'OperationAborted';
  constructor(readonly why: 'deadline' | 'client-gone' | 'finished') {
    super(`operation ${why}`);
  }
}

/**
 * The reason given when an operation (or a shared read) ends: one instance, because every operation
 * ends so and building an Error captures a stack trace.
 */
export const OPERATION_FINISHED = new OperationAborted('finished');

/**
 * For a cache of upstream reads: reports a hit to the current operation's observer (metrics) and
 * records how old the answer is (the response's `Age`).
 */
export function reportCacheHit(source: string, storedAt?: number): void {
  const scope = currentOperation();
  scope?.observer?.cacheHit?.(source);
  const use = scope?.cacheUse;
  if (use && storedAt !== undefined) use.oldestStoredAt = Math.min(use.oldestStoredAt ?? storedAt, storedAt);
}
