/**
 * A circuit breaker per backend. CLOSED: calls pass; `failureThreshold` consecutive failed attempts
 * open it. OPEN: calls fail fast without an upstream call until `cooldownMs` has passed; then one
 * HALF_OPEN probe is let through: success closes it, failure opens it again for another cooldown.
 */
import type { CircuitState, CircuitStatus } from '../core/contract.js';

export type { CircuitState, CircuitStatus } from '../core/contract.js';

export interface CircuitBreakerOptions {
  failureThreshold: number;
  cooldownMs: number;
  now?: () => number;
}

export interface CircuitBreaker {
  /** True when a call may go upstream now (in HALF_OPEN: true once, for the probe). */
  tryAcquire(): boolean;
  /** Milliseconds until an open circuit lets a probe through (0 unless OPEN). */
  remainingCooldownMs(): number;
  onSuccess(): void;
  onFailure(): void;
  /** The acquired call ended without telling anything about the backend (e.g. the client left). */
  onIgnored(): void;
  status(): CircuitStatus;
}

export function createCircuitBreaker({ failureThreshold, cooldownMs, now = Date.now }: CircuitBreakerOptions): CircuitBreaker {
  let state: CircuitState = 'CLOSED';
  let failures = 0;
  let openedAt: number | null = null;
  let probing = false;

  function open(): void {
    state = 'OPEN';
    openedAt = now();
    probing = false;
  }

  return {
    tryAcquire() {
      if (state === 'OPEN' && openedAt !== null && now() - openedAt >= cooldownMs) {
        state = 'HALF_OPEN';
        probing = false;
      }
      if (state === 'CLOSED') return true;
      if (state === 'HALF_OPEN' && !probing) {
        probing = true;
        return true;
      }
      return false;
    },
    remainingCooldownMs: () => (state === 'OPEN' && openedAt !== null ? Math.max(0, openedAt + cooldownMs - now()) : 0),
    onSuccess() {
      state = 'CLOSED';
      failures = 0;
      openedAt = null;
      probing = false;
    },
    onFailure() {
      failures += 1;
      if (state === 'HALF_OPEN' || (state === 'CLOSED' && failures >= failureThreshold)) open();
    },
    onIgnored() {
      if (state === 'HALF_OPEN') probing = false;
    },
    status: () => ({ state, consecutiveFailures: failures, openedAt }),
  };
}
