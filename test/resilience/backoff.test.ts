import { describe, expect, it } from 'vitest';
import { backoffDelay, parseRetryAfter } from '../../src/http/backoff.js';

describe('jittered exponential backoff', () => {
  const opts = { baseMs: 100, capMs: 2000 };

  it('doubles per retry between half and all of the step, and stops growing at the cap', () => {
    expect([0, 1, 2, 3, 4, 5].map((n) => backoffDelay(n, { ...opts, random: () => 0 }))).toEqual([50, 100, 200, 400, 800, 1000]);
    expect([0, 1, 2, 3, 4, 5].map((n) => backoffDelay(n, { ...opts, random: () => 0.999999 }))).toEqual([100, 200, 400, 800, 1600, 2000]);
  });

  it('spreads the waits of many callers', () => {
    const waits = new Set(Array.from({ length: 50 }, () => backoffDelay(3, opts)));
    expect(waits.size).toBeGreaterThan(10);
    for (const w of waits) expect(w).toBeGreaterThanOrEqual(400), expect(w).toBeLessThanOrEqual(800);
  });
});

describe('Retry-After', () => {
  const now = Date.parse('2026-10-21T07:28:00Z');

  it('reads delta seconds', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
  });

  it('reads an HTTP-date as the time left until it, and 0 once it has passed', () => {
    expect(parseRetryAfter('Wed, 21 Oct 2026 07:28:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Wed, 21 Oct 2026 07:27:00 GMT', now)).toBe(0);
  });

  it('ignores what it cannot read', () => {
    for (const bad of [undefined, '', '-5', '1.5', 'soon', '2026-10-21']) expect(parseRetryAfter(bad, now)).toBeNull();
  });
});
