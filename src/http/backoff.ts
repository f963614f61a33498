/** Retry pacing: jittered exponential backoff and the `Retry-After` header in both of its forms. */

export interface BackoffOptions {
  baseMs: number;
  capMs: number;
  /** A number in [0, 1); tests pass their own. */
  random?: () => number;
}

/**
 * The wait before retry number `attempt` (0 for the first retry): "equal jitter", half of
 * min(cap, base·2^attempt) plus a random share of the other half, so retries of many callers spread
 * out but never come back sooner than half the exponential step.
 */
export function backoffDelay(attempt: number, { baseMs, capMs, random = Math.random }: BackoffOptions): number {
  const step = Math.min(capMs, baseMs * 2 ** attempt);
  return Math.round(step / 2 + random() * (step / 2));
}

/**
 * `Retry-After` as milliseconds from `now`: delta seconds (`"120"`) or an HTTP-date
 * (`"Wed, 21 Oct 2026 07:28:00 GMT"`, 0 when already past). Null when absent or unreadable.
 */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | null {
  if (value === undefined) return null;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  if (!/[a-z]/i.test(v)) return null;
  const at = Date.parse(v);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - now);
}
