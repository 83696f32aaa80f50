/**
 * Attempt limits with backoff for sign-up, sign-in and joining (brute force, credential stuffing, join-code
 * guessing). Each key (e.g. `login:ip:1.2.3.4`) may fail `limit` times within `windowMs`; the next
 * failure (the `limit`-th) blocks the key for `blockMs`, doubling with each block within a day up to `maxBlockMs`. While
 * blocked every attempt gets 429 with `Retry-After`, even a right password. With Redis the counters are
 * shared by every instance of a deployment (one Lua script per failure, atomic); without it they live
 * in this process. If Redis fails the limiter falls back to memory (logged) rather than lock everyone out.
 */
import { createClient } from 'redis';
import type { Logger } from 'pino';
import { ApiError } from './errors.js';

export interface LimitPolicy {
  /** Failures allowed within the window before a block. */
  limit: number;
  windowMs: number;
  /** First block; doubled for each further block within `STRIKE_MS`. */
  blockMs: number;
  maxBlockMs: number;
}

/** The actions limited, and their defaults. */
const DEFAULT_LIMITS = {
  /** Every sign-up counts, per client address. */
  signup: { limit: 20, windowMs: 3600_000, blockMs: 60_000, maxBlockMs: 3600_000 },
  /** Failed sign-ins per client address (a school behind one NAT address has many teachers). */
  loginIp: { limit: 30, windowMs: 900_000, blockMs: 30_000, maxBlockMs: 900_000 },
  /** Failed sign-ins per account, from anywhere. */
  loginAccount: { limit: 10, windowMs: 900_000, blockMs: 30_000, maxBlockMs: 900_000 },
  /** Unknown join codes per client address (a class behind one address mistypes now and then). */
  join: { limit: 30, windowMs: 600_000, blockMs: 30_000, maxBlockMs: 900_000 },
} satisfies Record<string, LimitPolicy>;
export type LimitName = keyof typeof DEFAULT_LIMITS;
export type LimitSettings = Partial<Record<LimitName, Partial<LimitPolicy>>>;

/** Blocks raise the next block's length for a day. */
const STRIKE_MS = 24 * 3600_000;

interface Store {
  /** ms until the key's block ends; 0 when not blocked. */
  blockedFor(key: string): Promise<number>;
  /** Counts a failure; returns the block (ms) it started, or 0. */
  fail(key: string, p: LimitPolicy): Promise<number>;
  reset(key: string): Promise<void>;
  close(): Promise<void>;
  destroy(): void;
}

class MemoryStore implements Store {
  private entries = new Map<
    string,
    { count: number; windowEnd: number; blockedUntil: number; strikes: number; strikesEnd: number }
  >();

  private entry(key: string, now: number) {
    let e = this.entries.get(key);
    if (!e) {
      // Bounded: forget expired keys when the map grows (a spray of addresses must not eat memory).
      if (this.entries.size > 50_000)
        for (const [k, v] of this.entries) if (this.idle(v, now)) this.entries.delete(k);
      e = { count: 0, windowEnd: 0, blockedUntil: 0, strikes: 0, strikesEnd: 0 };
      this.entries.set(key, e);
    }
    return e;
  }

  private idle(e: { windowEnd: number; blockedUntil: number; strikesEnd: number }, now: number) {
    return e.windowEnd < now && e.blockedUntil < now && e.strikesEnd < now;
  }

  async blockedFor(key: string): Promise<number> {
    const e = this.entries.get(key);
    return e ? Math.max(0, e.blockedUntil - Date.now()) : 0;
  }

  async fail(key: string, p: LimitPolicy): Promise<number> {
    const now = Date.now();
    const e = this.entry(key, now);
    if (e.windowEnd <= now) {
      e.count = 0;
      e.windowEnd = now + p.windowMs;
    }
    e.count++;
    if (e.count < p.limit) return 0;
    if (e.strikesEnd <= now) e.strikes = 0;
    const ms = Math.min(p.maxBlockMs, p.blockMs * 2 ** e.strikes);
    e.strikes++;
    e.strikesEnd = now + STRIKE_MS;
    e.count = 0;
    e.blockedUntil = now + ms;
    return ms;
  }

  async reset(key: string): Promise<void> {
    const e = this.entries.get(key);
    if (e) e.count = 0;
  }

  async close(): Promise<void> {}

  destroy(): void {}
}

/** KEYS: count, block, strikes. ARGV: limit, windowMs, blockMs, maxBlockMs, strikeMs. Returns block ms. */
const FAIL_SCRIPT = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
if n < tonumber(ARGV[1]) then return 0 end
redis.call('DEL', KEYS[1])
local s = redis.call('INCR', KEYS[3])
redis.call('PEXPIRE', KEYS[3], ARGV[5])
local ms = math.min(tonumber(ARGV[4]), tonumber(ARGV[3]) * 2 ^ (s - 1))
redis.call('SET', KEYS[2], '1', 'PX', ms)
return ms`;

type RedisClient = ReturnType<typeof createClient>;

class RedisStore implements Store {
  constructor(
    private readonly client: RedisClient,
    private readonly prefix: string,
  ) {}

  private keys(key: string) {
    const k = `${this.prefix}${key}`;
    return [`${k}:n`, `${k}:block`, `${k}:strikes`];
  }

  async blockedFor(key: string): Promise<number> {
    const ttl = await this.client.pTTL(this.keys(key)[1]!);
    return ttl > 0 ? ttl : 0;
  }

  async fail(key: string, p: LimitPolicy): Promise<number> {
    const r = await this.client.eval(FAIL_SCRIPT, {
      keys: this.keys(key),
      arguments: [p.limit, p.windowMs, p.blockMs, p.maxBlockMs, STRIKE_MS].map(String),
    });
    return Number(r);
  }

  async reset(key: string): Promise<void> {
    await this.client.del(this.keys(key)[0]!);
  }

  async close(): Promise<void> {
    try {
      await this.client.quit();
    } catch {
      this.client.destroy();
    }
  }

  destroy(): void {
    if (this.client.isOpen) this.client.destroy();
  }
}

/** Sign-up, sign-in and join limits (see the file comment). */
export class AttemptLimiter {
  private readonly memory = new MemoryStore();
  private readonly policies: Record<LimitName, LimitPolicy>;

  private constructor(
    private readonly redis: Store | null,
    private readonly log: Logger,
    settings: LimitSettings,
  ) {
    this.policies = Object.fromEntries(
      Object.entries(DEFAULT_LIMITS).map(([k, v]) => [k, { ...v, ...settings[k as LimitName] }]),
    ) as Record<LimitName, LimitPolicy>;
  }

  /** A limiter on Redis when `redisUrl` is set (keys under `<prefix>:limit:`), else in memory. */
  static async create(opts: {
    redisUrl?: string;
    prefix: string;
    log: Logger;
    settings?: LimitSettings;
  }): Promise<AttemptLimiter> {
    let store: Store | null = null;
    if (opts.redisUrl) {
      const client = createClient({ url: opts.redisUrl });
      client.on('error', (err: unknown) => opts.log.warn({ err }, 'attempt limiter: Redis error'));
      await client.connect();
      store = new RedisStore(client, `${opts.prefix}:limit:`);
    }
    return new AttemptLimiter(store, opts.log, opts.settings ?? {});
  }

  /** Runs `op` on Redis, or on memory when Redis is absent or fails. */
  private async use<T>(op: (s: Store) => Promise<T>): Promise<T> {
    if (this.redis) {
      try {
        return await op(this.redis);
      } catch (err) {
        this.log.warn({ err }, 'attempt limiter: Redis unavailable, counting in this instance');
      }
    }
    return op(this.memory);
  }

  /** Throws 429 `RATE_LIMITED` (with `retryAfter` seconds) while any of `keys` is blocked. */
  async check(name: LimitName, keys: string[]): Promise<void> {
    const waits = await Promise.all(keys.map((k) => this.use((s) => s.blockedFor(`${name}:${k}`))));
    const ms = Math.max(0, ...waits);
    if (ms > 0) throw new RateLimitedError(Math.ceil(ms / 1000));
  }

  /** Counts an attempt (a failed one, or any sign-up) for each key (the `limit`-th starts a block for the next attempts). */
  async record(name: LimitName, keys: string[]): Promise<void> {
    const p = this.policies[name];
    await Promise.all(keys.map((k) => this.use((s) => s.fail(`${name}:${k}`, p))));
  }

  /** Forgets the failures of a key (a right password clears its account's count). */
  async reset(name: LimitName, key: string): Promise<void> {
    await this.use((s) => s.reset(`${name}:${key}`));
  }

  /** Closes the Redis connection; waits while Redis does not answer (see `destroy`). */
  async close(): Promise<void> {
    await this.redis?.close();
  }

  /** Drops the Redis connection at once. */
  destroy(): void {
    this.redis?.destroy();
  }
}

/** A 429 answer; `Retry-After` is set by the error handler from `retryAfter`. */
export class RateLimitedError extends ApiError {
  constructor(readonly retryAfter: number) {
    super(429, 'RATE_LIMITED', `Too many attempts; try again in ${retryAfter} s`);
  }
}
