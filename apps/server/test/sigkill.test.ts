/**
 * Restart safety: the real server process is killed with SIGKILL mid-lesson and started again on the
 * same data. Every telemetry sample it acknowledged is still stored, students reconnect on their own and
 * replay what was not acknowledged, the teacher's dashboard socket carries on. PGlite, and PostgreSQL
 * when TEST_DATABASE_URL is set.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { io } from 'socket.io-client';
import {
  type JoinResponse,
  MESSAGE_EVENT,
  PROTOCOL_VERSION,
  type ServerToTeacherMessage,
  SessionReport,
} from '@smartsession/protocol';
import { postgresAvailable, testDatabaseUrl } from '../../../test/support/env.js';
import { Http } from './support/client.js';
import { createTestDatabase } from '../../../test/support/pg.js';
import { freePort, ScriptedStudent, type ServerProcess, spawnServer } from './sigkill-support.js';

const STUDENTS = 3;
/** The students' clocks are set an hour fast: the server maps their times by the measured offset. */
const AHEAD = 3_600_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Target {
  name: string;
  setup(): Promise<{ env: Record<string, string>; dispose(): Promise<void> }>;
}
const targets: Target[] = [
  {
    name: 'pglite',
    async setup() {
      const dir = mkdtempSync(join(tmpdir(), 'ss-sigkill-'));
      return { env: { DATA_DIR: dir }, dispose: async () => rmSync(dir, { recursive: true, force: true }) };
    },
  },
];
if (postgresAvailable())
  targets.push({
    name: 'postgres',
    async setup() {
      const tdb = await createTestDatabase(testDatabaseUrl!);
      return { env: { DATABASE_URL: tdb.url, DATA_DIR: '/nonexistent' }, dispose: () => tdb.drop() };
    },
  });

describe.each(targets)('SIGKILL mid-session ($name)', (target) => {
  const cleanup: Array<() => unknown> = [];
  afterAll(async () => {
    for (const fn of cleanup.reverse()) await fn();
  });

  it('loses nothing acknowledged; students and the dashboard carry on', { timeout: 420_000 }, async () => {
    const { env, dispose } = await target.setup();
    cleanup.push(dispose);
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    let server: ServerProcess = await spawnServer(port, env);
    cleanup.push(() => server.child.exitCode === null && server.child.kill('SIGKILL'));

    const teacher = new Http(url);
    expect(
      (
        await teacher.post('/api/auth/signup', {
          email: 't@example.test',
          password: 'secret-pass',
          name: 'T',
        })
      ).status,
    ).toBe(201);
    const session = (
      await teacher.post<{ id: string; joinCode: string }>('/api/sessions', { title: 'Restart' })
    ).body;

    const dashboard: ServerToTeacherMessage[] = [];
    const dash = io(url, {
      auth: { role: 'teacher', protocol: PROTOCOL_VERSION, sessionId: session.id },
      extraHeaders: { cookie: teacher.cookie! },
      transports: ['websocket'],
      reconnectionDelay: 200,
      reconnectionDelayMax: 500,
      forceNew: true,
    });
    dash.on(MESSAGE_EVENT, (m: ServerToTeacherMessage) => dashboard.push(m));
    cleanup.push(() => dash.disconnect());

    const students: ScriptedStudent[] = [];
    const ids: string[] = [];
    for (let i = 0; i < STUDENTS; i++) {
      const join = (
        await new Http(url).post<JoinResponse>('/api/join', { code: session.joinCode, name: `S${i}` })
      ).body;
      const s = new ScriptedStudent(url, join.token, AHEAD);
      cleanup.push(() => s.close());
      students.push(s);
      ids.push(join.participantId);
      s.start(100);
    }
    await sleep(3000);
    const ackedAtKill = students.map((s) => s.acked);
    const killedAt = Date.now();
    server.child.kill('SIGKILL');
    expect(await server.exited).toBe('SIGKILL');
    expect(Math.min(...ackedAtKill)).toBeGreaterThan(5);
    const seenAtKill = dashboard.length;
    expect(dashboard.some((m) => m.type === 'snapshot')).toBe(true);

    await sleep(1000); // students keep producing while the server is down
    server = await spawnServer(port, env);
    await sleep(3000);
    for (const s of students) s.stop();
    await Promise.all(students.map((s) => s.drained()));

    // Each student reconnected by itself, and the server remembered everything it had acknowledged.
    students.forEach((s, i) => {
      expect(s.welcomes.length).toBeGreaterThanOrEqual(2);
      expect(s.welcomes[s.welcomes.length - 1]).toBeGreaterThanOrEqual(ackedAtKill[i]!);
    });
    // Every telemetry message (acknowledged before the kill, or replayed after) is stored exactly once.
    for (let i = 0; i < STUDENTS; i++) {
      const res = await teacher.get<{ samples: Array<{ seq: number }> }>(
        `/api/sessions/${session.id}/participants/${ids[i]}/export`,
      );
      expect(res.status).toBe(200);
      const seqs = res.body.samples.map((x) => x.seq).sort((a, b) => a - b);
      const want = Array.from({ length: students[i]!.outbox.lastSeq }, (_, k) => k + 1);
      expect(seqs).toEqual(want);
    }
    // The dashboard socket reconnected on its own and got a fresh snapshot and live updates again.
    const afterKill = dashboard.slice(seenAtKill);
    const snap = afterKill.findIndex((m) => m.type === 'snapshot');
    expect(snap).toBeGreaterThanOrEqual(0);
    const snapshot = afterKill[snap]!;
    expect(snapshot.type === 'snapshot' && snapshot.students.length).toBe(STUDENTS);
    expect(afterKill.slice(snap + 1).some((m) => m.type === 'samples')).toBe(true);

    // The report after the restart counts every stored sample: the clock offset measured before the
    // kill was stored with the student's row, so even samples replayed right after the restart (before
    // any live message) are stamped with the time they were taken (within the offset's jitter).
    const report = SessionReport.parse((await teacher.get(`/api/sessions/${session.id}/report`)).body);
    for (let i = 0; i < STUDENTS; i++) {
      const res = await teacher.get<{
        samples: Array<{ t: number; ct: number }>;
        statusChanges: Array<{ t: number; status: string; seq: number | null }>;
      }>(`/api/sessions/${session.id}/participants/${ids[i]}/export`);
      const inside = res.body.samples.filter((x) => x.t >= report.startedAt && x.t <= report.generatedAt);
      expect(report.students[i]!.sampleCount).toBe(res.body.samples.length);
      expect(inside.length).toBe(res.body.samples.length);
      const worst = Math.max(...res.body.samples.map((x) => Math.abs(x.t - (x.ct - AHEAD))));
      expect(worst).toBeLessThan(1500);
      // Crash recovery wrote the `offline` nobody wrote at the kill, as of the student's last-seen time.
      const offline = res.body.statusChanges.filter((c) => c.status === 'offline');
      expect(offline.length).toBeGreaterThanOrEqual(1);
      expect(offline[0]!.t).toBeLessThanOrEqual(killedAt);
      expect(offline[0]!.t).toBeGreaterThan(killedAt - 2000);
    }

    server.child.kill('SIGTERM');
    await server.exited;
  });
});
