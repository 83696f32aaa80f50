/**
 * Shared by the report, retention and restart tests: the databases to run against (PGlite always,
 * PostgreSQL when TEST_DATABASE_URL is set, in a fresh database of its own) and the scripted session
 * written through the repository as ingestion writes it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Database, openDatabase } from '../src/db/open.js';
import { DrizzleRepository } from '../src/db/drizzle-repository.js';
import { postgresAvailable, testDatabaseUrl } from '../../../test/support/env.js';
import { createTestDatabase } from '../../../test/support/pg.js';
import { scriptedRows } from './report-fixture.js';

/** An open test database and how to get rid of it. */
export interface Backend {
  name: 'pglite' | 'postgres';
  open(): Promise<{ database: Database; dispose(): Promise<void> }>;
}

/** PGlite in a temp folder, plus PostgreSQL when available. */
export function backends(): Backend[] {
  const list: Backend[] = [
    {
      name: 'pglite',
      async open() {
        const dir = mkdtempSync(join(tmpdir(), 'ss-report-'));
        const database = await openDatabase({ dataDir: dir });
        return {
          database,
          async dispose() {
            await database.close();
            rmSync(dir, { recursive: true, force: true });
          },
        };
      },
    },
  ];
  if (postgresAvailable())
    list.push({
      name: 'postgres',
      async open() {
        const tdb = await createTestDatabase(testDatabaseUrl!);
        const database = await openDatabase({ databaseUrl: tdb.url, dataDir: '' });
        return {
          database,
          async dispose() {
            await database.close();
            await tdb.drop();
          },
        };
      },
    });
  return list;
}

/** A teacher row for tests. */
export function teacherRow(id: string) {
  return { id, email: `${id}@example.test`, name: id, passwordHash: 'x', createdAt: 0 };
}

/**
 * Writes the scripted session (fixture times shifted by `shift` ms, ids suffixed) through the
 * repository, in the order and shape the ingest loop uses. Returns the session id.
 */
export async function writeScripted(
  repo: DrizzleRepository,
  teacherId: string,
  suffix = '',
  shift = 0,
): Promise<string> {
  const rows = scriptedRows();
  const id = rows.session.id + suffix;
  const pid = (p: string) => p + suffix;
  await repo.createSession({
    ...rows.session,
    id,
    teacherId,
    joinCode: `CODE${suffix}`.slice(0, 20),
    lookAwaySeconds: 4,
    createdAt: rows.session.createdAt + shift,
    endedAt: rows.session.endedAt + shift,
  });
  for (const p of rows.participants)
    await repo.createParticipant({
      id: pid(p.id),
      sessionId: id,
      name: p.name,
      tokenHash: pid(p.id),
      createdAt: p.createdAt + shift,
    });
  let seq = 0;
  // Status changes go in stored order, in several batches like the flush loop.
  const changes = rows.statusChanges.map((c) => ({
    ...c,
    sessionId: id,
    participantId: pid(c.participantId),
    t: c.t + shift,
    seq: ++seq,
    reason: null,
  }));
  for (let i = 0; i < changes.length; i += 4)
    await repo.writeBatch({
      samples: [],
      statusChanges: changes.slice(i, i + 4),
      alerts: [],
      participants: [],
    });
  await repo.writeBatch({
    samples: rows.samples.map((s, i) => ({
      sessionId: id,
      participantId: pid(s.participantId),
      seq: 1000 + i,
      t: s.t + shift,
      ct: s.t + shift - 40,
      status: 'focused' as const,
      score: s.score,
      frame: null,
    })),
    statusChanges: [],
    alerts: rows.alerts.map((a) => ({
      ...a,
      id: a.id + suffix,
      sessionId: id,
      participantId: pid(a.participantId),
      startedAt: a.startedAt + shift,
      endedAt: a.endedAt === null ? null : a.endedAt + shift,
      acknowledgedAt: null,
    })),
    participants: [],
  });
  for (const m of rows.markers)
    await repo.createMarker({ ...m, id: m.id + suffix, sessionId: id, t: m.t + shift });
  return id;
}
