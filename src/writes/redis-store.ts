import { Redis } from 'ioredis';
import type { ClaimResult, IdempotencyStore } from './idempotency.js';

/**
 * One atomic claim: sets the record when the key is free, and hands a key whose outcome is unknown
 * (`u`, not yet held `h`) to a claim with the same fingerprint. Returns the record as it was before.
 */
const CLAIM = `
local raw = redis.call('GET', KEYS[1])
if not raw then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return false
end
local ok, held = pcall(cjson.decode, raw)
if ok and type(held) == 'table' and held.r == nil and held.u ~= nil and held.h == nil and held.f == ARGV[3] then
  held.h = 1
  redis.call('SET', KEYS[1], cjson.encode(held), 'KEEPTTL')
end
return raw
`;

/**
 * Idempotency keys in Redis, shared by every gateway instance that uses the same server. A claim is
 * one Lua script (atomic); the record is JSON `{ f: fingerprint, r?: result, u?: unknown-outcome
 * detail, h?: held for reconciling }`.
 */
export function createRedisIdempotencyStore(url: string): IdempotencyStore {
  const redis = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 2, enableOfflineQueue: true });
  // Connection trouble surfaces as failed commands; the event itself must not crash the process.
  redis.on('error', () => {});
  return {
    async claim(key, fingerprint, ttlMs): Promise<ClaimResult> {
      const raw = (await redis.eval(CLAIM, 1, key, JSON.stringify({ f: fingerprint }), String(ttlMs), fingerprint)) as string | null;
      if (raw === null) return { status: 'claimed' };
      const held = JSON.parse(raw) as { f: string; r?: string; u?: string; h?: number };
      if (held.r !== undefined) return { status: 'done', fingerprint: held.f, result: held.r };
      if (held.u !== undefined && held.h === undefined) return { status: 'unknown', fingerprint: held.f, detail: held.u };
      return { status: 'pending', fingerprint: held.f };
    },
    async complete(key, fingerprint, result, ttlMs) {
      await redis.set(key, JSON.stringify({ f: fingerprint, r: result }), 'PX', ttlMs);
    },
    async markUnknown(key, fingerprint, detail, ttlMs) {
      await redis.set(key, JSON.stringify({ f: fingerprint, u: detail }), 'PX', ttlMs);
    },
    async release(key) {
      await redis.del(key);
    },
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
