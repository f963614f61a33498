/**
 * A client-side rate limiter that keeps one backend inside the vendor's documented limits. Each limit
 * is a sliding window ("at most N calls in any W ms"), which is stricter than the vendors' fixed
 * windows, so it holds however their windows are aligned. Calls reserve the earliest slot every
 * window allows, in arrival order; a caller that cannot wait that long takes no slot.
 */
import { ConfigError } from '../core/errors.js';

export interface RateLimit {
  limit: number;
  windowMs: number;
}

export interface RateLimiter {
  /**
   * Reserves the next slot and returns how long to wait for it (0: go now); null when the slot is
   * further away than `maxWaitMs` (nothing is reserved then).
   */
  reserve(maxWaitMs?: number): number | null;
  /**
   * The backend said to wait (`Retry-After`, a 429, primaERP's PE01-9002): no call starts before then,
   * whoever makes it. Without a stated time, pauses for the shortest window (primaERP: 10 s).
   */
  pause(ms?: number): void;
  /** How long calls are still paused (0 when not). */
  pausedMs(): number;
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

export function createRateLimiter(limits: readonly RateLimit[], now: () => number = Date.now): RateLimiter {
  let pausedUntil = 0;
  const shortest = limits.length > 0 ? Math.min(...limits.map((l) => l.windowMs)) : 0;
  const pause = (ms?: number) => {
    pausedUntil = Math.max(pausedUntil, now() + (ms ?? shortest));
  };
  const pausedMs = () => Math.max(0, pausedUntil - now());
  if (limits.length === 0) return { reserve: (maxWaitMs = Infinity) => (pausedMs() > maxWaitMs ? null : pausedMs()), pause, pausedMs };
  const longest = Math.max(...limits.map((l) => l.windowMs));
  // Start times of the calls of the last `longest` ms and of reserved future slots, ascending.
  const log: number[] = [];

  return {
    reserve(maxWaitMs = Infinity) {
      const t = now();
      while (log.length > 0 && log[0] <= t - longest) log.shift();
      let slot = Math.max(t, log.at(-1) ?? t, pausedUntil);
      for (const { limit, windowMs } of limits) {
        // The call `limit` places back must have left the window before this one starts.
        if (log.length >= limit) slot = Math.max(slot, log[log.length - limit] + windowMs);
      }
      const wait = slot - t;
      if (wait > maxWaitMs) return null;
      log.push(slot);
      return wait;
    },
    pause,
    pausedMs,
  };
}
