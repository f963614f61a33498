/**
 * The send log of one vendor account in Redis, shared by every gateway instance that uses the same
 * server: N instances together stay inside the vendor's limit. Each take is one Lua script (atomic),
 * timed by Redis' own clock (`TIME`), so the instances' clocks do not matter.
 */
import { createHash, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { RateLimit, SlotStore } from './rate-limiter.js';

/**
 * KEYS[1] the sorted set of send times (ms, Redis clock), KEYS[2] the pause key (its PTTL is the
 * pause). ARGV[1] a unique member prefix, ARGV[2] the longest window, then limit/window pairs.
 * Returns { wait, paused }: wait 0 means a send was recorded now.
 */
const TAKE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local paused = tonumber(redis.call('PTTL', KEYS[2]))
if paused < 0 then paused = 0 end
local wait = paused
local longest = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - longest)
local n = redis.call('ZCARD', KEYS[1])
for i = 3, #ARGV, 2 do
  local limit = tonumber(ARGV[i])
  if n >= limit then
    -- the send 'limit' places back must have left the window before this one goes
    local s = redis.call('ZRANGE', KEYS[1], n - limit, n - limit, 'WITHSCORES')
    local w = tonumber(s[2]) + tonumber(ARGV[i + 1]) - now
    if w > wait then wait = w end
  end
end
if wait > 0 then return { wait, paused } end
redis.call('ZADD', KEYS[1], now, ARGV[1] .. t[1] .. t[2])
redis.call('PEXPIRE', KEYS[1], longest)
return { 0, 0 }
`;

/** KEYS[1] the pause key, ARGV[1] ms: keeps the later of the pause there and this one; returns it. */
const PAUSE = `
local current = tonumber(redis.call('PTTL', KEYS[1]))
local ms = tonumber(ARGV[1])
if ms > current then
  redis.call('SET', KEYS[1], '1', 'PX', ms)
  return ms
end
return current
`;

export interface RedisSlotsOptions {
  url: string;
  /** The backend, part of the key (`xurrent`). */
  backend: string;
  /**
   * What identifies the vendor account whose limit this is (base URL, account, token…). Only its
   * SHA-256 is used in the key names, never the values.
   */
  account: readonly string[];
  limits: readonly RateLimit[];
  /** Added to every window, as in `createMemorySlots`. */
  marginMs?: number;
}

export function createRedisSlots(options: RedisSlotsOptions): SlotStore {
  const { marginMs = 0 } = options;
  const windows = options.limits.map((l) => ({ limit: l.limit, windowMs: l.windowMs + marginMs }));
  const longest = Math.max(1, ...windows.map((w) => w.windowMs));
  const hash = createHash('sha256').update(JSON.stringify(options.account)).digest('hex');
  // One hash tag, so both keys live on the same node of a cluster (a script needs that).
  const base = `timegraph:slots:{${options.backend}:${hash}}`;
  const keys = [`${base}:sends`, `${base}:pause`];
  const args = windows.flatMap((w) => [String(w.limit), String(w.windowMs)]);
  // Distinct members for sends made in the same microsecond by different instances.
  const member = `${randomUUID()}:`;
  const redis = new Redis(options.url, { lazyConnect: false, maxRetriesPerRequest: 2, enableOfflineQueue: true });
  // Connection trouble surfaces as failed takes; the event itself must not crash the process.
  redis.on('error', () => {});

  // The last answers, so that `pausedMs` (synchronous) and `estimate` need no round trip.
  let pausedUntil = 0;
  let freeAt = 0;

  return {
    async take() {
      const [wait, paused] = (await redis.eval(TAKE, 2, ...keys, member, String(longest), ...args)) as [number, number];
      const t = Date.now();
      // Pauses only grow (the later one is kept), so an answer sent before a pause cannot end it.
      pausedUntil = Math.max(pausedUntil, t + paused);
      freeAt = Math.max(t + wait, pausedUntil);
      return wait;
    },
    // A lower bound: the wait of the last answer still running (those queued ahead only add to it).
    estimate: () => Math.max(0, freeAt - Date.now()),
    pause(ms) {
      const pause = Math.max(1, Math.ceil(ms));
      pausedUntil = Math.max(pausedUntil, Date.now() + pause);
      freeAt = Math.max(freeAt, pausedUntil);
      redis.eval(PAUSE, 1, keys[1], String(pause)).then(
        (left) => {
          pausedUntil = Math.max(pausedUntil, Date.now() + Number(left));
        },
        // Unreachable: this instance still pauses; the others learn of the limit from the vendor.
        () => {},
      );
    },
    pausedMs: () => Math.max(0, pausedUntil - Date.now()),
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
