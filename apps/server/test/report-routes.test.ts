/**
 * The report routes on a real server (real port, real Socket.IO student), and the retention purge at
 * start-up with the `retentionDays` option. PGlite, and PostgreSQL when TEST_DATABASE_URL is set.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type JoinResponse, SessionReport } from '@smartsession/protocol';
import { startServer, type RunningServer } from '../src/index.js';
import { openDatabase } from '../src/db/open.js';
import { DrizzleRepository } from '../src/db/drizzle-repository.js';
import { parseCsv } from './support/csv.js';
import { STUDENT_COLUMNS } from '../src/reports/report-csv.js';
import { postgresAvailable, testDatabaseUrl } from '../../../test/support/env.js';
import { connect, Http, type Recorder, studentAuth } from './support/client.js';
import { createTestDatabase } from '../../../test/support/pg.js';
import { telemetry } from './support/telemetry.js';
import { teacherRow, writeScripted } from './report-support.js';

interface Target {
  name: string;
  setup(): Promise<{ opts: { dataDir?: string; databaseUrl?: string }; dispose(): Promise<void> }>;
}

const targets: Target[] = [
  {
    name: 'pglite',
    async setup() {
      const dataDir = mkdtempSync(join(tmpdir(), 'ss-report-routes-'));
      return { opts: { dataDir }, dispose: async () => rmSync(dataDir, { recursive: true, force: true }) };
    },
  },
];
if (postgresAvailable())
  targets.push({
    name: 'postgres',
    async setup() {
      const tdb = await createTestDatabase(testDatabaseUrl!);
      return { opts: { databaseUrl: tdb.url }, dispose: () => tdb.drop() };
    },
  });

describe.each(targets)('report routes ($name)', (target) => {
  let server: RunningServer;
  let dispose: () => Promise<void>;
  let opts: { dataDir?: string; databaseUrl?: string };
  const teacher = () => new Http(server.url);
  let a: Http;
  let sessionId: string;
  let student: Recorder;

  beforeAll(async () => {
    ({ opts, dispose } = await target.setup());
    // An expired session (ended 40 days ago) and a kept one, written before the server starts.
    const pre = await openDatabase({ dataDir: opts.dataDir ?? '', databaseUrl: opts.databaseUrl });
    const repo = new DrizzleRepository(pre.db);
    await repo.createTeacher(teacherRow('old'));
    await writeScripted(
      repo,
      'old',
      '-expired',
      Date.now() - 40 * 86_400_000 - 600_000 - Date.UTC(2026, 0, 12, 9),
    );
    await writeScripted(
      repo,
      'old',
      '-kept',
      Date.now() - 5 * 86_400_000 - 600_000 - Date.UTC(2026, 0, 12, 9),
    );
    await pre.close();

    server = await startServer({ port: 0, ...opts, retentionDays: 30, webDist: '/nonexistent' });
    a = teacher();
    expect(
      (await a.post('/api/auth/signup', { email: 'a@example.test', password: 'secret-pass', name: 'A' }))
        .status,
    ).toBe(201);
    const created = await a.post<{ id: string; joinCode: string }>('/api/sessions', {
      title: 'Report, "live"',
      mode: 'exam',
    });
    sessionId = created.body.id;
    const join = await new Http(server.url).post<JoinResponse>('/api/join', {
      code: created.body.joinCode,
      name: 'Zoë, "Z"',
    });
    student = await connect(server.url, studentAuth(join.body.token));
    await student.wait((m) => m.type === 'welcome');
    const steps = [['focused'], ['confused'], ['alert', 'GAZE_AWAY'], ['focused']] as const;
    let seq = 0;
    for (const [status, alert] of steps) {
      student.send(telemetry(++seq, status, { alert: alert ?? null }));
      const want = seq;
      await student.wait((m) => m.type === 'ack' && (m.seq as number) >= want);
      await new Promise((r) => setTimeout(r, 120));
    }
    student.send({ type: 'self_report', seq: ++seq, t: Date.now(), kind: 'lost' });
    const last = seq;
    await student.wait((m) => m.type === 'ack' && (m.seq as number) >= last);
    await new Promise((r) => setTimeout(r, 100));
    expect((await a.post(`/api/sessions/${sessionId}/end`)).status).toBe(200);
  });

  afterAll(async () => {
    student?.close();
    await server?.close();
    if (opts) {
      // The start-up purge removed the expired session and kept the other.
      const db = await openDatabase({ dataDir: opts.dataDir ?? '', databaseUrl: opts.databaseUrl });
      const repo = new DrizzleRepository(db.db);
      const gone = await repo.getSession('sess-1-expired');
      const kept = await repo.getSession('sess-1-kept');
      await db.close();
      await dispose();
      expect(gone).toBeNull();
      expect(kept).not.toBeNull();
    }
  });

  it('GET /report gives the session report of the teacher’s own session', async () => {
    const res = await a.get(`/api/sessions/${sessionId}/report`);
    expect(res.status).toBe(200);
    const r = SessionReport.parse(res.body);
    expect(r.sessionId).toBe(sessionId);
    expect(r.endedAt).not.toBeNull();
    expect(r.students).toHaveLength(1);
    const s = r.students[0]!;
    expect(s.name).toBe('Zoë, "Z"');
    const total = Object.values(s.seconds).reduce((x, y) => x + y, 0);
    expect(total).toBeCloseTo(s.observedSeconds, 6);
    expect(s.seconds.focused).toBeGreaterThan(0);
    expect(s.seconds.confused).toBeGreaterThan(0);
    expect(s.seconds.alert).toBeGreaterThan(0);
    expect(s.awaySeconds).toBe(s.seconds.alert);
    expect(s.alerts.map((x) => x.code)).toEqual(['GAZE_AWAY']);
    expect(s.alerts[0]!.endedAt).not.toBeNull();
    expect(s.selfReportCount).toBe(1);
    expect(s.sampleCount).toBe(4);
  });

  it('GET /report.csv gives the same numbers as RFC 4180 CSV, and other tables on request', async () => {
    const json = SessionReport.parse((await a.get(`/api/sessions/${sessionId}/report`)).body);
    const res = await a.get<string>(`/api/sessions/${sessionId}/report.csv`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toMatch(
      /attachment; filename="report-Report-live-students\.csv"/,
    );
    const [head, row] = parseCsv(res.body);
    expect(head).toEqual(STUDENT_COLUMNS);
    const o = Object.fromEntries(head!.map((h, i) => [h, row![i]]));
    const s = json.students[0]!;
    expect(o.name).toBe(s.name);
    expect(Number(o.focused_s)).toBe(s.seconds.focused);
    expect(Number(o.alert_count)).toBe(1);
    const alertsCsv = await a.get<string>(`/api/sessions/${sessionId}/report.csv?table=alerts`);
    expect(parseCsv(alertsCsv.body).map((r) => r[2])).toEqual(['kind', 'proctor', 'self_report']);
    const bad = await a.get(`/api/sessions/${sessionId}/report.csv?table=secrets`);
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: { code: 'BAD_MESSAGE' } });
  });

  it('refuses other teachers (404) and anonymous callers (401) with JSON errors', async () => {
    const b = teacher();
    await b.post('/api/auth/signup', { email: 'b@example.test', password: 'secret-pass', name: 'B' });
    for (const path of ['report', 'report.csv']) {
      const other = await b.get(`/api/sessions/${sessionId}/${path}`);
      expect(other.status).toBe(404);
      expect(other.body).toMatchObject({ error: { code: 'NOT_FOUND' } });
      const nobody = await teacher().get(`/api/sessions/${sessionId}/${path}`);
      expect(nobody.status).toBe(401);
      expect(nobody.body).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
    }
    expect((await a.get('/api/sessions/no-such-id/report')).status).toBe(404);
  });
});
