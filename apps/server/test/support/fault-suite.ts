/**
 * Issue 9's fault scenarios on a real server and a real database (run against PGlite and PostgreSQL):
 * scripted students at 4 Hz through the real protocol client, a hostile student, refused writes. Each
 * scenario counts what was sent, acknowledged and stored, and what was acknowledged but is missing
 * (must be 0), and checks the server stayed up. The counts are printed as a table row.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { ServiceMessage } from '@smartsession/protocol';
import { startServer, type RunningServer } from '../../src/index.js';
import { Http, connect, studentAuth, teacherAuth } from './client.js';
import type { SuiteBackend } from './server-suite.js';
import { ScriptedStudent } from './student.js';

/** One row of the closing table. */
export interface FaultRow {
  scenario: string;
  sent: number;
  acked: number;
  stored: number;
  lost: number;
  serverUp: boolean;
}

/** Prints a row of the fault table (collected from the test output for the closing note). */
export function report(row: FaultRow): void {
  console.log(
    `[fault] ${row.scenario} | sent ${row.sent} | acked ${row.acked} | stored ${row.stored} | lost ${row.lost} | server up ${row.serverUp ? 'yes' : 'NO'}`,
  );
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

let n = 0;

/** Signs up a teacher and opens a class. */
export async function classroom(url: string, title = 'Faults') {
  const h = new Http(url);
  const signup = await h.post('/api/auth/signup', {
    email: `f${Date.now()}-${n++}@school.test`,
    password: 'correct horse battery',
    name: 'Ms F',
  });
  expect(signup.status).toBe(201);
  const s = (await h.post<{ id: string; joinCode: string }>('/api/sessions', { title })).body;
  const join = async (name: string) => {
    const j = await new Http(url).post<{ token: string; participantId: string }>('/api/join', {
      code: s.joinCode,
      name,
    });
    expect(j.status).toBe(201);
    return j.body;
  };
  const stored = async (pid: string): Promise<Set<number>> => {
    const r = await h.get<{ samples: Array<{ seq: number }> }>(
      `/api/sessions/${s.id}/participants/${pid}/export`,
    );
    expect(r.status).toBe(200);
    return new Set(r.body.samples.map((x) => x.seq));
  };
  return { h, session: s, join, stored };
}

/** Joins `count` scripted students sending at `hz`; returns them with their participant ids. */
export async function startStudents(
  url: string,
  join: (name: string) => Promise<{ token: string; participantId: string }>,
  count: number,
  hz = 4,
) {
  const out: Array<{ s: ScriptedStudent; pid: string }> = [];
  for (let i = 0; i < count; i++) {
    const j = await join(`Student ${i + 1}`);
    const s = new ScriptedStudent(url, j.token);
    s.start(1000 / hz);
    out.push({ s, pid: j.participantId });
  }
  return out;
}

/** Stops, drains and counts: acked seqs missing from storage must be none. */
export async function settle(
  students: Array<{ s: ScriptedStudent; pid: string }>,
  stored: (pid: string) => Promise<Set<number>>,
) {
  for (const { s } of students) s.stop();
  for (const { s } of students) await s.drained(60_000);
  let sent = 0;
  let acked = 0;
  let storedCount = 0;
  let lost = 0;
  for (const { s, pid } of students) {
    const have = await stored(pid);
    sent += s.outbox.lastSeq;
    acked += s.acked;
    storedCount += have.size;
    for (let seq = 1; seq <= s.acked; seq++) if (!have.has(seq)) lost++;
    s.close();
  }
  return { sent, acked, stored: storedCount, lost };
}

export function faultSuite(name: string, backend: SuiteBackend): void {
  describe(name, () => {
    let server: RunningServer;

    beforeAll(async () => {
      await backend.setup?.();
      server = await startServer({ port: 0, logLevel: 'silent', ...backend.options() });
    });
    afterAll(async () => {
      await server?.close();
      await backend.teardown?.();
    });

    const up = async () => (await fetch(`${server.url}/livez`)).ok;

    it('[issue 9 #1] a student sending an out-of-range time is refused; classmates lose nothing acknowledged', async () => {
      const c = await classroom(server.url);
      const students = await startStudents(server.url, c.join, 10);
      const rogue = await c.join('Rogue');
      const r = await connect(server.url, studentAuth(rogue.token));
      await r.wait((m) => m.type === 'welcome');
      let seq = 0;
      for (let i = 0; i < 30; i++) {
        // The message of the finding: t far beyond what the database's bigint holds.
        r.send({
          type: 'telemetry',
          seq: ++seq,
          t: 1e19,
          status: 'focused',
          alert: null,
          since: 0,
          reason: null,
          frame: null,
        });
        await wait(100);
      }
      const refusals = r.messages.filter((m) => m.type === 'error');
      expect(refusals).toHaveLength(30);
      expect(refusals[0]).toMatchObject({ error: { code: 'BAD_MESSAGE' }, seq: 1 });
      r.close();
      const counts = await settle(students, c.stored);
      expect((await c.stored(rogue.participantId)).size).toBe(0);
      const row = { scenario: `out-of-range t from one student (${name})`, ...counts, serverUp: await up() };
      report(row);
      expect(row.lost).toBe(0);
      expect(row.acked).toBe(row.sent);
      expect(row.serverUp).toBe(true);
    }, 120_000);

    it('[issue 9 #2] inserts refused for seconds (read-only failover): held, reported, nothing lost', async () => {
      const c = await classroom(server.url);
      const teacher = await connect(server.url, teacherAuth(c.session.id), c.h.cookie);
      await teacher.wait((m) => m.type === 'snapshot');
      const students = await startStudents(server.url, c.join, 5);
      await wait(1500);
      const fn = `refuse_${randomUUID().replace(/-/g, '')}`;
      await server.database.db.execute(
        sql.raw(`create function ${fn}() returns trigger language plpgsql as $$
          begin raise exception 'cannot execute INSERT in a read-only transaction' using errcode = '25006'; end $$`),
      );
      await server.database.db.execute(
        sql.raw(`create trigger ${fn} before insert on samples for each row execute function ${fn}()`),
      );
      await teacher.wait(
        (m) => m.type === 'service' && (m as unknown as ServiceMessage).storage === 'down',
        10_000,
      );
      // Acks of the last commit before the trigger may still be on their way: let them land first.
      await wait(500);
      const ackedBefore = students.map(({ s }) => s.acked);
      const ready = await fetch(`${server.url}/readyz`);
      expect(ready.status).toBe(503);
      await wait(8000);
      // Nothing was acknowledged while nothing could be stored, and every student was told to hold.
      expect(students.map(({ s }) => s.acked)).toEqual(ackedBefore);
      for (const { s } of students) expect(s.holds).toBeGreaterThan(0);
      await server.database.db.execute(sql.raw(`drop trigger ${fn} on samples`));
      await server.database.db.execute(sql.raw(`drop function ${fn}()`));
      await teacher.wait(
        (m) => m.type === 'service' && (m as unknown as ServiceMessage).storage === 'ok',
        15_000,
      );
      const counts = await settle(students, c.stored);
      teacher.close();
      expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
      const row = {
        scenario: `8 s write outage, 5 students at 4 Hz (${name})`,
        ...counts,
        serverUp: await up(),
      };
      report(row);
      expect(row.lost).toBe(0);
      expect(row.acked).toBe(row.sent);
      expect(row.stored).toBe(row.sent);
    }, 120_000);
  });
}
