/**
 * The opt-in cache of one backend's upstream read answers (`<SOURCE>_CACHE_TTL_MS`, off by default):
 * in this process, or in Redis with REDIS_URL so that every instance shares it. A write through the
 * gateway invalidates every cached read of that backend (in every instance sharing Redis), so a read
 * after one's own write always reaches the backend.
 *
 * Invalidation is a generation counter: an answer is stored under the generation seen when its read
 * started, and only while that generation is still current. A read that was in flight while a write
 * ran can therefore never store its (possibly pre-write) answer where a later read would find it.
 */
import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';

/** What is cached of an answer: enough to hand it to the adapter again. */
export interface CachedAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

export type CacheLookup =
  | { hit: CachedAnswer; storedAt: number }
  | { hit?: undefined; store(answer: CachedAnswer): void };

export interface ReadCache {
  /** The cached answer of `key` (URL and headers, so the credentials), or how to store the answer once it comes. */
  lookup(key: string): Promise<CacheLookup>;
  /** Forgets every cached read of this backend (a write is starting or has ended). */
  invalidate(): Promise<void>;
  close(): Promise<void>;
}

/** Entries kept per backend in memory; the least recently used go first. */
export const MEMORY_CACHE_ENTRIES = 1000;

export function createMemoryReadCache({ ttlMs, max = MEMORY_CACHE_ENTRIES, now = Date.now }: { ttlMs: number; max?: number; now?: () => number }): ReadCache {
  const entries = new LRUCache<string, { answer: CachedAnswer; storedAt: number }>({ max, ttl: ttlMs, perf: { now } });
  let generation = 0;
  return {
    async lookup(key) {
      const found = entries.get(key);
      if (found) return { hit: found.answer, storedAt: found.storedAt };
      const seen = generation;
      return {
        store(answer) {
          if (generation === seen) entries.set(key, { answer, storedAt: now() });
        },
      };
    },
    async invalidate() {
      generation += 1;
      entries.clear();
    },
    close: async () => entries.clear(),
  };
}

/**
 * KEYS[1] the generation key. ARGV[1] the entry key's prefix, ARGV[2] the request's hash.
 * Returns { generation, the stored entry or false }.
 */
const LOOKUP = `
local g = redis.call('GET', KEYS[1]) or '0'
return { g, redis.call('GET', ARGV[1] .. g .. ':' .. ARGV[2]) }
`;

/** KEYS[1] the generation key. ARGV: prefix, hash, the generation seen, the entry, its TTL in ms. */
const STORE = `
local g = redis.call('GET', KEYS[1]) or '0'
if g ~= ARGV[3] then return 0 end
redis.call('SET', ARGV[1] .. g .. ':' .. ARGV[2], ARGV[4], 'PX', ARGV[5])
return 1
`;

export interface RedisReadCacheOptions {
  url: string;
  ttlMs: number;
  /** The backend, part of the key names (`xurrent`). */
  backend: string;
  /** What identifies the vendor account; only its SHA-256 is used in key names. */
  account: readonly string[];
  /** The longest a cache command may take before the read goes to the backend instead. */
  commandTimeoutMs?: number;
}

/**
 * The shared cache. Redis being unreachable or slow never fails a read: the lookup counts as a miss
 * and the read goes to the backend. Keys hold SHA-256 hashes only, never a URL or credential.
 */
export function createRedisReadCache(options: RedisReadCacheOptions): ReadCache {
  const { ttlMs, commandTimeoutMs = 250 } = options;
  const account = createHash('sha256').update(JSON.stringify(options.account)).digest('hex');
  // One hash tag, so every key of this backend lives on the same node of a cluster (scripts need that).
  const base = `timegraph:cache:{${options.backend}:${account}}`;
  const generationKey = `${base}:generation`;
  const prefix = `${base}:entry:`;
  const redis = new Redis(options.url, { maxRetriesPerRequest: 1, commandTimeout: commandTimeoutMs });
  redis.on('error', () => {});
  const hashOf = (key: string) => createHash('sha256').update(key).digest('hex');

  return {
    async lookup(key) {
      const hash = hashOf(key);
      let found: [string, string | null];
      try {
        found = (await redis.eval(LOOKUP, 1, generationKey, prefix, hash)) as [string, string | null];
      } catch {
        return { store() {} };
      }
      const [generation, entry] = found;
      if (entry) {
        const { answer, storedAt } = JSON.parse(entry) as { answer: CachedAnswer; storedAt: number };
        return { hit: answer, storedAt };
      }
      return {
        store(answer) {
          const value = JSON.stringify({ answer, storedAt: Date.now() });
          redis.eval(STORE, 1, generationKey, prefix, hash, generation, value, String(ttlMs)).catch(() => {});
        },
      };
    },
    async invalidate() {
      // Unreachable Redis: the other instances cannot read the cache either, and this one still forgets.
      await redis.incr(generationKey).catch(() => {});
    },
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
