import { Redis } from 'ioredis';
import type { ClaimResult, IdempotencyStore } from './idempotency.js';

/**
 * Idempotency keys in Redis, shared by every gateway instance that uses the same server. A claim is
 * one `SET NX PX` (atomic); the record is JSON `{ f: fingerprint, r?: result }`.
 */
export function createRedisIdempotencyStore(url: string): IdempotencyStore {
  const redis = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 2, enableOfflineQueue: true });
  // Connection trouble surfaces as failed commands; the event itself must not crash the process.
  redis.on('error', () => {});
  return {
    async claim(key, fingerprint, ttlMs): Promise<ClaimResult> {
      const set = await redis.set(key, JSON.stringify({ f: fingerprint }), 'PX', ttlMs, 'NX');
      if (set === 'OK') return { status: 'claimed' };
      const raw = await redis.get(key);
      // Expired between the two commands: claim again.
      if (raw === null) return this.claim(key, fingerprint, ttlMs);
      const held = JSON.parse(raw) as { f: string; r?: string };
      return held.r === undefined ? { status: 'pending', fingerprint: held.f } : { status: 'done', fingerprint: held.f, result: held.r };
    },
    async complete(key, fingerprint, result, ttlMs) {
      await redis.set(key, JSON.stringify({ f: fingerprint, r: result }), 'PX', ttlMs);
    },
    async release(key) {
      await redis.del(key);
    },
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
