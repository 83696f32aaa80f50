import { lt, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Db } from '../db/open.js';
import { authSessions, sessions } from '../db/schema.js';

/** How long session data is kept by default, days. */
const DEFAULT_RETENTION_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The retention setting: `RETENTION_DAYS`-style text or a number; a positive number of days (fractions
 * allowed). Throws a clear error on anything else.
 */
export function parseRetentionDays(value: string | number | undefined): number {
  if (value === undefined || value === '') return DEFAULT_RETENTION_DAYS;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw new Error(`RETENTION_DAYS must be a positive number of days, got "${value}"`);
  return n;
}

/**
 * Deletes every session that ended more than `retentionDays` before `now` (or, never ended, was created
 * that long ago), with all its data: participants, samples, status changes, alerts and markers go with
 * it (foreign keys cascade). Returns the ids deleted.
 */
export async function purgeExpired(
  db: Db,
  now: number,
  retentionDays = DEFAULT_RETENTION_DAYS,
): Promise<string[]> {
  const cutoff = Math.floor(now - retentionDays * DAY_MS);
  const rows = await db
    .delete(sessions)
    .where(lt(sql`coalesce(${sessions.endedAt}, ${sessions.createdAt})`, cutoff))
    .returning({ id: sessions.id });
  return rows.map((r) => r.id);
}

/** Deletes sign-ins (auth sessions) that expired before `now`; returns how many. */
export async function purgeExpiredSignIns(db: Db, now: number): Promise<number> {
  const rows = await db
    .delete(authSessions)
    .where(lt(authSessions.expiresAt, now))
    .returning({ id: authSessions.id });
  return rows.length;
}

/** A running retention schedule. */
export interface Retention {
  /** Runs one purge now (skipped while another runs). */
  runOnce(now?: number): Promise<string[]>;
  /** Stops the timer and waits for a running purge. */
  stop(): Promise<void>;
}

/**
 * Purges at once, then every night at 03:00 server time (the timer never keeps the process alive).
 * Failures are logged and retried at the next run; nothing else depends on them.
 */
export function startRetention(
  db: Db,
  retentionDays: number,
  log: Logger,
  clock = () => Date.now(),
): Retention {
  let running: Promise<string[]> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  const runOnce = (now = clock()): Promise<string[]> => {
    running ??= Promise.all([purgeExpired(db, now, retentionDays), purgeExpiredSignIns(db, now)])
      .then(([ids, signIns]) => {
        if (ids.length > 0 || signIns > 0)
          log.info(
            { sessions: ids.length, signIns, retentionDays },
            'retention: purged expired sessions and sign-ins',
          );
        return ids;
      })
      .catch((err: unknown) => {
        log.error({ err }, 'retention: purge failed');
        return [] as string[];
      })
      .finally(() => {
        running = null;
      });
    return running;
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => void runOnce().finally(schedule), msUntilNext(clock(), 3));
    timer.unref();
  };
  void runOnce().finally(schedule);
  return {
    runOnce,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}

/** Milliseconds from `now` to the next `hour`:00 local time (at least one minute). */
export function msUntilNext(now: number, hour: number): number {
  const next = new Date(now);
  next.setHours(hour, 0, 0, 0);
  if (next.getTime() - now < 60_000) next.setDate(next.getDate() + 1);
  return next.getTime() - now;
}
