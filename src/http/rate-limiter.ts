/**
 * A client-side rate limiter that keeps one backend inside the vendor's documented limits. Each limit
 * is a sliding window ("at most N sends in any W ms"), which is stricter than the vendors' fixed
 * windows, so it holds however their windows are aligned. A slot is taken at the moment a request is
 * sent (retries included), never when it starts waiting: callers queue in arrival order and the head
 * of the queue takes the next slot the windows allow, so a call that waited late, or left, takes none.
 * The sends are counted by a `SlotStore`: in memory for one instance, or in Redis for every instance
 * that shares the vendor account (`redis-slots.ts`).
 */
import { ConfigError } from '../core/errors.js';

export interface RateLimit {
  limit: number;
  windowMs: number;
}

/** The sends of one backend account, in one process or shared. */
export interface SlotStore {
  /**
   * Takes a slot now when every window and any pause allow it (returns 0), else returns the ms until
   * one may be free and takes nothing.
   */
  take(): number | Promise<number>;
  /** The wait of a call with `ahead` calls queued before it; undefined when the store cannot tell. */
  estimate?(ahead: number): number;
  /** No send before `ms` from now, whoever makes it. */
  pause(ms: number): void;
  pausedMs(): number;
  close?(): Promise<void>;
}

/** Thrown by `acquire` when the slot is further away than the caller's deadline. */
export class RateLimitRefused extends Error {
  override readonly name = 'RateLimitRefused';
  constructor(readonly retryAfterMs: number) {
    super(`the rate limit leaves no slot for ${retryAfterMs} ms`);
  }
}

export interface RateLimiter {
  /**
   * Resolves when the caller may send now (its slot is taken); rejects with `RateLimitRefused` when
   * no slot comes before `deadlineAt` (at once when the store can tell), or with the signal's reason.
   */
  acquire(options: { deadlineAt: number; signal?: AbortSignal }): Promise<void>;
  /**
   * The backend said to wait (`Retry-After`, a 429, primaERP's PE01-9002): no call is sent before
   * then, whoever makes it. Without a stated time, pauses for the shortest window (primaERP: 10 s).
   */
  pause(ms?: number): void;
  /** How long calls are still paused (0 when not). */
  pausedMs(): number;
  /** Calls waiting for a slot. */
  queued(): number;
  close(): Promise<void>;
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000 };

/**
 * `"20/2s,3600/1h"` → limits; `""`, `"off"` or `"none"` → no limit. Units: ms, s, m (or min), h;
 * the number before the unit may be omitted (`"500/s"`).
 */
export function parseRateLimits(spec: string, variable = 'rate limit'): RateLimit[] {
  const s = spec.trim().toLowerCase();
  if (s === '' || s === 'off' || s === 'none') return [];
  return s.split(',').map((part) => {
    const m = /^\s*(\d+)\s*\/\s*(\d*)\s*(ms|s|min|m|h)\s*$/.exec(part);
    const limit = m ? Number(m[1]) : NaN;
    const windowMs = m ? Number(m[2] || 1) * UNITS[m[3]] : NaN;
    if (!m || limit < 1 || windowMs < 1) {
      throw new ConfigError(`${variable} has an invalid limit ${JSON.stringify(part.trim())}: write it like "20/2s,3600/1h" or "off"`);
    }
    return { limit, windowMs };
  });
}

/**
 * The send log of one process: the send times of the last `longest` ms. Each window is widened by
 * `marginMs`, so that a request that reaches the vendor a little later than it left (connect, network
 * jitter) still counts inside the vendor's window.
 */
export function createMemorySlots(limits: readonly RateLimit[], options: { marginMs?: number; now?: () => number } = {}): SlotStore & { record(at: number): void } {
  const { marginMs = 0, now = Date.now } = options;
  const windows = limits.map((l) => ({ limit: l.limit, windowMs: l.windowMs + marginMs }));
  const longest = Math.max(0, ...windows.map((w) => w.windowMs));
  const widest = Math.max(0, ...windows.map((w) => w.limit));
  const log: number[] = [];
  let pausedUntil = 0;

  /** The earliest send after `sends` (ascending, the last ones known) that every window allows. */
  const earliest = (sends: readonly number[], t: number): number => {
    let slot = Math.max(t, pausedUntil);
    for (const { limit, windowMs } of windows) {
      // The send `limit` places back must have left the window before this one goes.
      if (sends.length >= limit) slot = Math.max(slot, sends[sends.length - limit] + windowMs);
    }
    return slot;
  };
  const forget = (t: number) => {
    while (log.length > 0 && log[0] <= t - longest) log.shift();
  };

  return {
    take() {
      const t = now();
      forget(t);
      const slot = earliest(log, t);
      if (slot > t) return slot - t;
      log.push(t);
      return 0;
    },
    estimate(ahead) {
      const t = now();
      forget(t);
      // Those ahead go at their earliest slots, one after another.
      const sends = log.slice(-widest);
      let slot = t;
      for (let i = 0; i <= ahead; i++) {
        slot = Math.max(slot, earliest(sends, t));
        sends.push(slot);
      }
      return slot - t;
    },
    record(at) {
      log.push(at);
    },
    pause(ms) {
      pausedUntil = Math.max(pausedUntil, now() + ms);
    },
    pausedMs: () => Math.max(0, pausedUntil - now()),
  };
}

/** setTimeout's largest delay; a later deadline needs no timer. */
const MAX_TIMER_MS = 2 ** 31 - 1;

interface Waiter {
  deadlineAt: number;
  resolve(): void;
  reject(error: unknown): void;
}

export interface RateLimiterOptions {
  now?: () => number;
  /** Where sends are counted; defaults to the memory of this process. */
  store?: SlotStore;
  /** Added to every window (see `createMemorySlots`). */
  marginMs?: number;
}

export function createRateLimiter(limits: readonly RateLimit[], options: RateLimiterOptions = {}): RateLimiter {
  const { now = Date.now, marginMs = 0 } = options;
  const store = options.store ?? createMemorySlots(limits, { marginMs, now });
  const shortest = limits.length > 0 ? Math.min(...limits.map((l) => l.windowMs)) : 0;
  const queue: Waiter[] = [];
  let pumping = false;

  const refuse = (waiter: Waiter, retryAfterMs: number) => {
    const i = queue.indexOf(waiter);
    if (i >= 0) queue.splice(i, 1);
    waiter.reject(new RateLimitRefused(Math.max(1, Math.round(retryAfterMs))));
  };

  /** Hands slots to the queue's head, one at a time, sleeping while the windows are full. */
  async function pump(): Promise<void> {
    if (pumping) return;
    pumping = true;
    try {
      while (queue.length > 0) {
        let wait: number;
        try {
          wait = await store.take();
        } catch (error) {
          for (const waiter of queue.splice(0)) waiter.reject(error);
          break;
        }
        if (wait <= 0) {
          // The slot is taken: it goes to whoever is first now (a waiter that left took none).
          queue.shift()?.resolve();
          continue;
        }
        // Everyone queued waits at least that long; those whose deadline comes first cannot make it.
        const at = now() + wait;
        for (const waiter of [...queue]) if (waiter.deadlineAt < at) refuse(waiter, wait);
        if (queue.length === 0) break;
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    } finally {
      pumping = false;
    }
  }

  return {
    acquire({ deadlineAt, signal }) {
      if (signal?.aborted) return Promise.reject(signal.reason);
      // Nobody waits and the memory says go: the slot is taken, no queue needed.
      if (!options.store && queue.length === 0 && !pumping && store.take() === 0) return Promise.resolve();
      const estimate = store.estimate?.(queue.length);
      if (estimate !== undefined && now() + estimate > deadlineAt) return Promise.reject(new RateLimitRefused(Math.max(1, estimate)));
      return new Promise<void>((resolve, reject) => {
        const done = () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
        };
        const waiter: Waiter = {
          deadlineAt,
          resolve: () => (done(), resolve()),
          reject: (error) => (done(), reject(error)),
        };
        const onAbort = () => {
          const i = queue.indexOf(waiter);
          if (i >= 0) queue.splice(i, 1);
          waiter.reject(signal?.reason);
        };
        // A store that cannot estimate (shared) may keep a caller past its deadline: refuse it then
        // (a slot exactly at the deadline still goes).
        const left = deadlineAt - now();
        const timer = left < MAX_TIMER_MS ? setTimeout(() => refuse(waiter, store.estimate?.(queue.length) ?? store.pausedMs()), Math.max(0, left) + 1) : undefined;
        signal?.addEventListener('abort', onAbort, { once: true });
        queue.push(waiter);
        void pump();
      });
    },
    pause: (ms?: number) => store.pause(ms ?? shortest),
    pausedMs: () => store.pausedMs(),
    queued: () => queue.length,
    close: async () => {
      await store.close?.();
    },
  };
}
