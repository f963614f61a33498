import { describe, expect, it } from 'vitest';
import { createRateLimiter, parseRateLimits } from '../../src/http/rate-limiter.js';
import { ConfigError } from '../../src/core/errors.js';

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

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

describe('client-side rate limiter', () => {
  it('lets a burst through, then queues each call for the slot its window frees', () => {
    const c = clock();
    const limiter = createRateLimiter([{ limit: 3, windowMs: 1000 }], c.now);
    expect([limiter.reserve(), limiter.reserve(), limiter.reserve()]).toEqual([0, 0, 0]);
    expect(limiter.reserve()).toBe(1000);
    c.advance(400);
    // the fourth call took the slot at 1000; the fifth waits for the second's slot to leave the window
    expect(limiter.reserve()).toBe(600);
    expect(limiter.reserve()).toBe(600);
    expect(limiter.reserve()).toBe(1600);
  });

  it('keeps inside every window at once (Xurrent: 20 per 2 s and 3600 an hour)', () => {
    const c = clock();
    const limiter = createRateLimiter(parseRateLimits('20/2s,3600/1h'), c.now);
    const starts: number[] = [];
    for (let i = 0; i < 3700; i++) {
      const wait = limiter.reserve()!;
      starts.push(c.now() + wait);
      if (i % 7 === 0) c.advance(13);
    }
    const inWindow = (w: number) => Math.max(...starts.map((s, i) => starts.slice(i).filter((x) => x < s + w).length));
    expect(inWindow(2000)).toBe(20);
    // 3600 calls at 20 per 2 s take exactly an hour; the 3601st starts an hour after the first
    expect(starts[3600] - starts[0]).toBeGreaterThanOrEqual(3_600_000);
    expect(starts.filter((s) => s < starts[0] + 3_600_000)).toHaveLength(3600);
  });

  it('refuses without reserving when the slot is further away than the caller can wait', () => {
    const c = clock();
    const limiter = createRateLimiter([{ limit: 1, windowMs: 10_000 }], c.now);
    expect(limiter.reserve(500)).toBe(0);
    expect(limiter.reserve(500)).toBeNull();
    expect(limiter.reserve(9_999)).toBeNull();
    // nothing was reserved by the refusals: the next slot is still at 10 s
    expect(limiter.reserve(10_000)).toBe(10_000);
  });

  it('forgets calls that left the window', () => {
    const c = clock();
    const limiter = createRateLimiter([{ limit: 2, windowMs: 1000 }], c.now);
    limiter.reserve();
    limiter.reserve();
    c.advance(1000);
    expect([limiter.reserve(), limiter.reserve(), limiter.reserve()]).toEqual([0, 0, 1000]);
  });

  it('does nothing when off', () => {
    const limiter = createRateLimiter([]);
    for (let i = 0; i < 1000; i++) expect(limiter.reserve(0)).toBe(0);
  });
});
