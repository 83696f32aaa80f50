/** Retention purge and session deletion on real databases (PGlite, and PostgreSQL when configured). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, eq } from 'drizzle-orm';
import { pino } from 'pino';
import type { Database } from '../src/db/open.js';
import { DrizzleRepository } from '../src/db/drizzle-repository.js';
import {
  alerts,
  authSessions,
  markers,
  participants,
  samples,
  sessions,
  statusChanges,
} from '../src/db/schema.js';
import {
  msUntilNext,
  parseRetentionDays,
  purgeExpired,
  purgeExpiredSignIns,
  startRetention,
} from '../src/reports/retention.js';
import { END } from './report-fixture.js';
import { backends, teacherRow, writeScripted } from './report-support.js';

const DAY = 24 * 3600 * 1000;
const NOW = END + 100 * DAY;

/** Rows per table belonging to a session. */
async function rowsOf(db: Database['db'], sessionId: string) {
  const n = async (
    table: typeof samples | typeof statusChanges | typeof alerts | typeof markers | typeof participants,
  ) => {
    const [r] = await db.select({ n: count() }).from(table).where(eq(table.sessionId, sessionId));
    return Number(r!.n);
  };
  const [s] = await db.select({ n: count() }).from(sessions).where(eq(sessions.id, sessionId));
  return {
    sessions: Number(s!.n),
    participants: await n(participants),
    samples: await n(samples),
    statusChanges: await n(statusChanges),
    alerts: await n(alerts),
    markers: await n(markers),
  };
}

const FULL = { sessions: 1, participants: 2, samples: 7, statusChanges: 20, alerts: 5, markers: 2 };
const NONE = { sessions: 0, participants: 0, samples: 0, statusChanges: 0, alerts: 0, markers: 0 };

describe.each(backends())('retention and deletion ($name)', (backend) => {
  let database: Database;
  let dispose: () => Promise<void>;
  let repo: DrizzleRepository;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    ({ database, dispose } = await backend.open());
    repo = new DrizzleRepository(database.db);
    await repo.createTeacher(teacherRow('t1'));
    // The fixture session ends at END; shift it so it ends this long before NOW.
    const endingAgo = (days: number) => NOW - days * DAY - END;
    ids.expired = await writeScripted(repo, 't1', '-exp', endingAgo(31));
    ids.justKept = await writeScripted(repo, 't1', '-keep', endingAgo(29.9));
    ids.recent = await writeScripted(repo, 't1', '-new', endingAgo(1));
    ids.deleted = await writeScripted(repo, 't1', '-del', endingAgo(1));
    // Never ended: judged by its creation time.
    ids.openOld = await writeScripted(repo, 't1', '-open-old', endingAgo(40));
    ids.openNew = await writeScripted(repo, 't1', '-open-new', endingAgo(2));
    for (const id of [ids.openOld, ids.openNew])
      await database.db.update(sessions).set({ endedAt: null }).where(eq(sessions.id, id));
  });
  afterAll(async () => dispose?.());

  it('deleting a session removes everything of it and nothing else', async () => {
    expect(await rowsOf(database.db, ids.deleted!)).toEqual(FULL);
    expect(await repo.deleteSession(ids.deleted!)).toBe(true);
    expect(await rowsOf(database.db, ids.deleted!)).toEqual(NONE);
    expect(await rowsOf(database.db, ids.recent!)).toEqual(FULL);
  });

  it("deleting a student removes that student's data only", async () => {
    const sid = await writeScripted(repo, 't1', '-student', NOW - END - DAY);
    const mine = async (pid: string) => {
      const n = async (table: typeof samples | typeof statusChanges | typeof alerts) => {
        const [r] = await database.db.select({ n: count() }).from(table).where(eq(table.participantId, pid));
        return Number(r!.n);
      };
      return [await n(samples), await n(statusChanges), await n(alerts)];
    };
    expect(await mine('p-alice-student')).toEqual([3, 15, 3]);
    expect(await repo.deleteParticipant('p-alice-student')).toBe(true);
    expect(await mine('p-alice-student')).toEqual([0, 0, 0]);
    expect(await mine('p-bob-student')).toEqual([4, 5, 2]);
    expect(await rowsOf(database.db, sid)).toMatchObject({ participants: 1, markers: 2 });
    await repo.deleteSession(sid);
  });

  it('purge removes only sessions past the retention period, with all their data', async () => {
    const purged = await purgeExpired(database.db, NOW, 30);
    expect(purged.sort()).toEqual([ids.expired!, ids.openOld!].sort());
    expect(await rowsOf(database.db, ids.expired!)).toEqual(NONE);
    expect(await rowsOf(database.db, ids.openOld!)).toEqual(NONE);
    for (const id of [ids.justKept, ids.recent, ids.openNew])
      expect(await rowsOf(database.db, id!)).toEqual(FULL);
    expect(await purgeExpired(database.db, NOW, 30)).toEqual([]);
  });

  it('[issue 9 #7] expired sign-ins are purged; live ones stay', async () => {
    await repo.createAuthSession({
      id: 'expired-1',
      teacherId: 't1',
      createdAt: NOW - 40 * DAY,
      expiresAt: NOW - DAY,
    });
    await repo.createAuthSession({
      id: 'live-1',
      teacherId: 't1',
      createdAt: NOW - DAY,
      expiresAt: NOW + DAY,
    });
    expect(await purgeExpiredSignIns(database.db, NOW)).toBeGreaterThanOrEqual(1);
    const left = await database.db.select({ id: authSessions.id }).from(authSessions);
    expect(left.map((r) => r.id)).toEqual(['live-1']);
  });

  it('the schedule purges at once with the configured period and stops cleanly', async () => {
    const log = pino({ level: 'silent' });
    const retention = startRetention(database.db, 29, log, () => NOW);
    await retention.stop();
    expect(await rowsOf(database.db, ids.justKept!)).toEqual(NONE);
    expect(await rowsOf(database.db, ids.recent!)).toEqual(FULL);
  });
});

describe('retention settings', () => {
  it('parses RETENTION_DAYS and refuses nonsense', () => {
    expect(parseRetentionDays(undefined)).toBe(30);
    expect(parseRetentionDays('7')).toBe(7);
    expect(parseRetentionDays(0.5)).toBe(0.5);
    for (const bad of ['0', '-3', 'abc', Number.NaN])
      expect(() => parseRetentionDays(bad)).toThrow(/RETENTION_DAYS/);
  });

  it('schedules the nightly run for the next 03:00', () => {
    const at = (h: number, m = 0) => new Date(2026, 0, 12, h, m).getTime();
    expect(msUntilNext(at(2, 0), 3)).toBe(3600_000);
    expect(msUntilNext(at(3, 0), 3)).toBe(DAY);
    expect(msUntilNext(at(23, 0), 3)).toBe(4 * 3600_000);
  });
});
