/**
 * The one schema of every environment variable the server reads (`npm start`, the container image).
 * {@link loadConfig} validates them all at once and refuses to start with a message naming each bad
 * value; README's settings table and the deployment kit (deploy/) list the same names, and a test keeps
 * them in step with {@link ENV_VARS}.
 */
import { isIP } from 'node:net';
import { z } from 'zod';
import { DB_THREAD_NICE } from '../db/pglite-proxy.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
/** Address ranges proxy-addr knows by name (Fastify's `trustProxy` accepts them). */
const PROXY_RANGES = ['loopback', 'linklocal', 'uniquelocal'];

/** Unset and empty mean the same: the default. */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

const integer = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, { error: (i) => `expected a whole number, got ${JSON.stringify(i.input)}` })
    .transform(Number)
    .pipe(z.number().min(min).max(max));

const urlWith = (protocols: string[], what: string) =>
  z.string().refine(
    (v) => {
      try {
        return protocols.includes(new URL(v).protocol);
      } catch {
        return false;
      }
    },
    { error: (i) => `expected ${what}, got ${JSON.stringify(i.input)}` },
  );

/** `PUBLIC_URL`: the origin students and teachers open (scheme, host, port; no path). */
const PublicUrl = z.string().transform((v, ctx) => {
  let url: URL | null = null;
  try {
    url = new URL(v);
  } catch {
    // reported below
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    ctx.addIssue({
      code: 'custom',
      message: `expected an http(s):// address such as https://class.school.org, got ${JSON.stringify(v)}`,
    });
    return z.NEVER;
  }
  if (!['', '/'].includes(url.pathname) || url.search || url.hash) {
    ctx.addIssue({
      code: 'custom',
      message: 'must be an origin without a path, e.g. https://class.school.org',
    });
    return z.NEVER;
  }
  return url.origin;
});

/**
 * `TRUST_PROXY`: `false` (default: the client is whoever connects), `true` (every hop; only when the
 * server cannot be reached except through the proxy), a hop count, or addresses / CIDR ranges of the
 * proxies (comma-separated; `loopback`, `linklocal`, `uniquelocal` allowed).
 */
const TrustProxy = z.string().transform((v, ctx): boolean | number | string => {
  const s = v.trim().toLowerCase();
  if (s === 'true') return true;
  if (s === 'false') return false;
  if (/^\d+$/.test(s)) return Number(s);
  const parts = s.split(',').map((p) => p.trim());
  const bad = parts.filter((p) => {
    if (PROXY_RANGES.includes(p)) return false;
    const [addr, bits, ...rest] = p.split('/');
    if (rest.length > 0 || !addr || isIP(addr) === 0) return true;
    return bits !== undefined && !/^\d{1,3}$/.test(bits);
  });
  if (bad.length > 0) {
    ctx.addIssue({
      code: 'custom',
      message: `expected true, false, a hop count or proxy addresses (IP, CIDR, loopback…), got ${JSON.stringify(v)}`,
    });
    return z.NEVER;
  }
  return parts.join(',');
});

/** Every environment variable, its type, default and meaning (README's settings table says the same). */
export const EnvSchema = z.object({
  PORT: optional(integer(0, 65535)).default(8000),
  HOST: optional(z.string()).default('0.0.0.0'),
  PUBLIC_URL: optional(PublicUrl),
  TRUST_PROXY: optional(TrustProxy).default(false),
  DATA_DIR: optional(z.string()).default('./data'),
  DATABASE_URL: optional(urlWith(['postgres:', 'postgresql:'], 'a postgres:// address')),
  /** Embedded database only: how far below the sockets its thread runs (Linux nice; 0: same priority). */
  DB_THREAD_NICE: optional(integer(0, 19)).default(DB_THREAD_NICE),
  REDIS_URL: optional(urlWith(['redis:', 'rediss:'], 'a redis:// or rediss:// address')),
  REDIS_STREAM: optional(z.string().regex(/^[\w:.-]{1,100}$/)).default('smartsession'),
  RETENTION_DAYS: optional(integer(1, 36500)).default(30),
  COOKIE_SECRET: optional(
    z.string().min(32, { error: 'must be at least 32 characters (e.g. `openssl rand -base64 32`)' }),
  ),
  LOG_LEVEL: optional(z.enum(LOG_LEVELS)).default('info'),
  METRICS_TOKEN: optional(z.string().min(16, { error: 'must be at least 16 characters' })),
  MAX_STUDENTS_PER_SESSION: optional(integer(1, 100_000)).default(1000),
  /** Analysis threads for server analysis (issue 14); unset: one less than the CPUs (at least 1); 0: off. */
  ANALYSIS_WORKERS: optional(integer(0, 256)),
});
export type Config = z.infer<typeof EnvSchema>;

/** The names of every setting, for docs and the deployment-kit test. */
export const ENV_VARS = Object.keys(EnvSchema.shape) as Array<keyof Config>;

/** A start-up refusal listing every bad setting. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid settings:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
}

/** Validates the environment; throws {@link ConfigError} naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const picked = Object.fromEntries(ENV_VARS.map((k) => [k, env[k]]));
  const r = EnvSchema.safeParse(picked);
  if (r.success) return r.data;
  throw new ConfigError(
    r.error.issues.map((i) => {
      const key = String(i.path[0] ?? '');
      return `${key}=${JSON.stringify(env[key] ?? '')}: ${i.message}`;
    }),
  );
}
