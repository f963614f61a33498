import { describe, expect, it } from 'vitest';
import { createCircuitBreaker } from '../../src/http/circuit-breaker.js';

function setup() {
  let t = 5_000;
  const breaker = createCircuitBreaker({ failureThreshold: 3, cooldownMs: 1000, now: () => t });
  return { breaker, advance: (ms: number) => (t += ms), now: () => t };
}

function fail(breaker: ReturnType<typeof setup>['breaker'], times: number) {
  for (let i = 0; i < times; i++) {
    expect(breaker.tryAcquire()).toBe(true);
    breaker.onFailure();
  }
}

describe('circuit breaker', () => {
  it('opens after the threshold of consecutive failures and then refuses calls', () => {
    const { breaker, now } = setup();
    fail(breaker, 2);
    expect(breaker.status()).toEqual({ state: 'CLOSED', consecutiveFailures: 2, openedAt: null });
    fail(breaker, 1);
    expect(breaker.status()).toEqual({ state: 'OPEN', consecutiveFailures: 3, openedAt: now() });
    expect(breaker.tryAcquire()).toBe(false);
    expect(breaker.remainingCooldownMs()).toBe(1000);
  });

  it('a success in between resets the count', () => {
    const { breaker } = setup();
    fail(breaker, 2);
    breaker.tryAcquire();
    breaker.onSuccess();
    fail(breaker, 2);
    expect(breaker.status().state).toBe('CLOSED');
  });

  it('after the cooldown lets exactly one probe through; its success closes the circuit', () => {
    const { breaker, advance } = setup();
    fail(breaker, 3);
    advance(999);
    expect(breaker.tryAcquire()).toBe(false);
    advance(1);
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.status().state).toBe('HALF_OPEN');
    expect(breaker.tryAcquire()).toBe(false);
    breaker.onSuccess();
    expect(breaker.status()).toEqual({ state: 'CLOSED', consecutiveFailures: 0, openedAt: null });
    expect(breaker.tryAcquire()).toBe(true);
  });

  it('a failed probe opens it again for another cooldown', () => {
    const { breaker, advance, now } = setup();
    fail(breaker, 3);
    advance(1500);
    expect(breaker.tryAcquire()).toBe(true);
    breaker.onFailure();
    expect(breaker.status()).toEqual({ state: 'OPEN', consecutiveFailures: 4, openedAt: now() });
    expect(breaker.tryAcquire()).toBe(false);
    advance(1000);
    expect(breaker.tryAcquire()).toBe(true);
  });

  it('a probe that ends without an answer (the client left) frees the probe slot', () => {
    const { breaker, advance } = setup();
    fail(breaker, 3);
    advance(1000);
    expect(breaker.tryAcquire()).toBe(true);
    breaker.onIgnored();
    expect(breaker.status().state).toBe('HALF_OPEN');
    expect(breaker.tryAcquire()).toBe(true);
  });
});
