import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createRateLimiter, parseRateLimits, RateLimitRefused, type RateLimiter } from '../../src/http/rate-limiter.js';
import { ConfigError } from '../../src/core/errors.js';

describe('rate limit settings', () => {
  it('reads the vendors\' limits and "off"', () => {
    expect(parseRateLimits('20/2s,3600/1h')).toEqual([{ limit: 20, windowMs: 2000 }, { limit: 3600, windowMs: 3_600_000 }]);
    expect(parseRateLimits('500/10s')).toEqual([{ limit: 500, windowMs: 10_000 }]);
    expect(parseRateLimits('5/s, 100/250ms , 9/2m')).toEqual([{ limit: 5, windowMs: 1000 }, { limit: 100, windowMs: 250 }, { limit: 9, windowMs: 120_000 }]);
    expect(parseRateLimits('off')).toEqual([]);
    expect(parseRateLimits('')).toEqual([]);
  });

  it('names the variable and the part it cannot read', () => {
    expect(() => parseRateLimits('20 per 2s', 'XURRENT_RATE_LIMIT')).toThrow(ConfigError);
    expect(() => parseRateLimits('20/2s,0/1h', 'XURRENT_RATE_LIMIT')).toThrow(/XURRENT_RATE_LIMIT.*"0\/1h"/);
  });
});

/** Starts `n` acquires now and records, for each, the fake-clock time it was let go (or its refusal). */
function start(limiter: RateLimiter, n: number, options: { deadlineAt?: number; signal?: AbortSignal } = {}) {
  const out: Array<number | string | undefined> = [];
  for (let i = 0; i < n; i++) {
    const k = out.push(undefined) - 1;
    limiter.acquire({ deadlineAt: options.deadlineAt ?? Infinity, signal: options.signal }).then(
      () => (out[k] = Date.now() - T0),
      (e: unknown) => (out[k] = e instanceof RateLimitRefused ? `refused ${e.retryAfterMs}` : 'aborted'),
    );
  }
  return out;
}

const T0 = 1_000_000_000_000;
beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('client-side rate limiter', () => {
  it('lets a burst through, then lets each queued call go when its window frees a slot', async () => {
    const limiter = createRateLimiter([{ limit: 3, windowMs: 1000 }]);
    const first = start(limiter, 4);
    await vi.advanceTimersByTimeAsync(400);
    expect(first).toEqual([0, 0, 0, undefined]);
    const later = start(limiter, 3);
    await vi.advanceTimersByTimeAsync(3000);
    expect(first).toEqual([0, 0, 0, 1000]);
    // the fourth went at 1000 with the next two; the seventh waits for the fourth to leave the window
    expect(later).toEqual([1000, 1000, 2000]);
  });

  it('keeps inside every window at once (Xurrent: 20 per 2 s and 3600 an hour)', async () => {
    const limiter = createRateLimiter(parseRateLimits('20/2s,3600/1h'));
    const starts = start(limiter, 3700) as number[];
    await vi.advanceTimersByTimeAsync(3_700_000);
    const inWindow = (w: number) => Math.max(...starts.map((s, i) => starts.slice(i).filter((x) => x < s + w).length));
    expect(inWindow(2000)).toBe(20);
    // 3600 calls at 20 per 2 s take exactly an hour; the 3601st starts an hour after the first
    expect(starts[3600] - starts[0]).toBeGreaterThanOrEqual(3_600_000);
    expect(starts.filter((s) => s < starts[0] + 3_600_000)).toHaveLength(3600);
  });

  it('widens every window by the margin', async () => {
    const limiter = createRateLimiter([{ limit: 2, windowMs: 1000 }], { marginMs: 100 });
    const at = start(limiter, 3);
    await vi.advanceTimersByTimeAsync(2000);
    expect(at).toEqual([0, 0, 1100]);
  });

  it('refuses at once, taking no slot, when the slot is further away than the caller can wait', async () => {
    const limiter = createRateLimiter([{ limit: 1, windowMs: 10_000 }]);
    const at = start(limiter, 1, { deadlineAt: T0 + 500 });
    const refused = start(limiter, 1, { deadlineAt: T0 + 500 });
    const refusedToo = start(limiter, 1, { deadlineAt: T0 + 9_999 });
    await vi.advanceTimersByTimeAsync(0);
    expect(at).toEqual([0]);
    expect([...refused, ...refusedToo]).toEqual(['refused 10000', 'refused 10000']);
    // nothing was taken by the refusals: the next slot is still at 10 s
    const next = start(limiter, 1, { deadlineAt: T0 + 10_000 });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(next).toEqual([10_000]);
  });

  // Regression: slots used to be stamped when reserved, so a caller that waited and then left kept its
  // slot, and one let go late was counted at the time it was meant to go. A slot is taken at send time.
  it('a caller that leaves the queue takes no slot; the slot goes to the next one', async () => {
    const limiter = createRateLimiter([{ limit: 2, windowMs: 1000 }]);
    const leaving = new AbortController();
    const sent = start(limiter, 2);
    const gone = start(limiter, 1, { signal: leaving.signal });
    await vi.advanceTimersByTimeAsync(500);
    leaving.abort();
    const next = start(limiter, 2);
    await vi.advanceTimersByTimeAsync(2000);
    expect(sent).toEqual([0, 0]);
    expect(gone).toEqual(['aborted']);
    expect(next).toEqual([1000, 1000]);
  });

  it('counts when a call is let go, however late its timer fires', async () => {
    const limiter = createRateLimiter([{ limit: 2, windowMs: 1000 }]);
    const at = start(limiter, 4);
    await vi.advanceTimersByTimeAsync(0);
    // the event loop is 300 ms late: the timer the queue waits on fires at 1300, not at 1000
    vi.setSystemTime(T0 + 300);
    await vi.advanceTimersByTimeAsync(1000);
    // the third and fourth went at 1300 (not at the 1000 they queued for), so a fifth waits until 2300
    expect(at).toEqual([0, 0, 1300, 1300]);
    const fifth = start(limiter, 1);
    await vi.advanceTimersByTimeAsync(2000);
    expect(fifth).toEqual([2300]);
  });

  it('a pause holds every queued call, whoever asks for it', async () => {
    const limiter = createRateLimiter([{ limit: 10, windowMs: 1000 }]);
    limiter.pause(2000);
    const at = start(limiter, 2);
    expect(limiter.queued()).toBe(2);
    await vi.advanceTimersByTimeAsync(3000);
    expect(at).toEqual([2000, 2000]);
    // without a stated time, the pause is the shortest window
    limiter.pause();
    expect(limiter.pausedMs()).toBe(1000);
  });

  it('a queued caller is refused as soon as a pause puts its slot past its deadline', async () => {
    const limiter = createRateLimiter([{ limit: 1, windowMs: 1000 }]);
    const first = start(limiter, 1);
    const queued = start(limiter, 1, { deadlineAt: T0 + 1500 });
    await vi.advanceTimersByTimeAsync(500);
    limiter.pause(5000);
    await vi.advanceTimersByTimeAsync(600);
    expect([...first, ...queued]).toEqual([0, 'refused 4500']);
  });

  it('forgets calls that left the window', async () => {
    const limiter = createRateLimiter([{ limit: 2, windowMs: 1000 }]);
    start(limiter, 2);
    await vi.advanceTimersByTimeAsync(1000);
    const at = start(limiter, 3);
    await vi.advanceTimersByTimeAsync(3000);
    expect(at).toEqual([1000, 1000, 2000]);
  });

  it('does nothing when off', async () => {
    const limiter = createRateLimiter([]);
    const at = start(limiter, 1000, { deadlineAt: T0 });
    await vi.advanceTimersByTimeAsync(0);
    expect(at).toEqual(Array(1000).fill(0));
  });
});
