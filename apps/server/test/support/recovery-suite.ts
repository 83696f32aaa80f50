/**
 * Live-state recovery against a real server on a real port (PGlite, and PostgreSQL when
 * TEST_DATABASE_URL is set): crash leftovers at startup, the client clock offset across reconnects and
 * restarts, and rate-refused messages that must not be forgotten on reconnect.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SnapshotMessage } from '@smartsession/protocol';
import { openDatabase, startServer, type RunningServer, type ServerOptions } from '../../src/index.js';
import { DrizzleRepository } from '../../src/db/drizzle-repository.js';
import { Http, connect, studentAuth, teacherAuth, type Recorder } from './client.js';
import { telemetry } from './telemetry.js';
import type { SuiteBackend } from './server-suite.js';

type Export = {
  samples: Array<{ seq: number; t: number }>;
  statusChanges: Array<{ t: number; status: string; seq: number | null }>;
};

let n = 0;

export function recoverySuite(name: string, backend: SuiteBackend): void {
  describe(name, () => {
    let server: RunningServer;
    const options = (): ServerOptions => ({ port: 0, logLevel: 'silent', ...backend.options() });

    beforeAll(async () => {
      await backend.setup?.();
      server = await startServer(options());
    });
    afterAll(async () => {
      await server?.close();
      await backend.teardown?.();
    });

    async function classroom() {
      const h = new Http(server.url);
      const signup = await h.post('/api/auth/signup', {
        email: `r${Date.now()}-${n++}@school.test`,
        password: 'correct horse',
        name: 'Ms R',
      });
      expect(signup.status).toBe(201);
      const s = (await h.post<{ id: string; joinCode: string }>('/api/sessions', { title: 'Recovery' })).body;
      const j = await new Http(server.url).post<{ token: string; participantId: string }>('/api/join', {
        code: s.joinCode,
        name: 'Ann',
      });
      expect(j.status).toBe(201);
      return { h, session: s, student: j.body };
    }
    const exportOf = async (h: Http, sessionId: string, pid: string) => {
      const http = new Http(server.url);
      http.cookie = h.cookie;
      return (await http.get<Export>(`/api/sessions/${sessionId}/participants/${pid}/export`)).body;
    };
    const restart = async () => {
      await server.close();
      server = await startServer(options());
    };

    it('after a crash the stored "connected" students are offline at once, as of their last-seen time', async () => {
      const { h, session, student } = await classroom();
      await server.close();
      // What a SIGKILL leaves behind: the row says connected + focused, and nobody wrote `offline`.
      const lastSeenAt = Date.now() - 1000;
      const since = lastSeenAt - 4000;
      const database = await openDatabase(backend.options() as { dataDir: string; databaseUrl?: string });
      await new DrizzleRepository(database.db).writeBatch({
        samples: [],
        alerts: [],
        statusChanges: [
          {
            sessionId: session.id,
            participantId: student.participantId,
            seq: 1,
            t: since,
            status: 'focused',
            alert: null,
            reason: null,
          },
        ],
        participants: [
          {
            id: student.participantId,
            lastSeq: 3,
            status: 'focused',
            alert: null,
            reason: null,
            statusSince: since,
            connected: true,
            lastSeenAt,
            lostSince: null,
          },
        ],
      });
      await database.close();
      server = await startServer(options());

      const dash = await connect(server.url, teacherAuth(session.id), h.cookie);
      const snap = await dash.wait<SnapshotMessage>((m) => m.type === 'snapshot');
      dash.close();
      expect(snap.students[0]).toMatchObject({ status: 'offline', connected: false });
      const changes = (await exportOf(h, session.id, student.participantId)).statusChanges;
      expect(changes.map((c) => [c.status, c.t])).toEqual([
        ['focused', since],
        ['offline', lastSeenAt],
      ]);
      // Reconnecting is the usual offline → no-signal change.
      const st = await connect(server.url, studentAuth(student.token));
      expect(await st.wait((m) => m.type === 'welcome')).toMatchObject({ lastSeq: 3 });
      st.close();
    });

    it('replayed telemetry is stamped with the clock offset measured before a reconnect or restart', async () => {
      const { h, session, student } = await classroom();
      const SLOW = 3_600_000; // the student's clock is an hour behind
      const clock = () => Date.now() - SLOW;
      let st: Recorder = await connect(server.url, studentAuth(student.token));
      await st.wait((m) => m.type === 'welcome');
      st.send(telemetry(1, 'focused', { t: clock() }));
      await st.wait((m) => m.type === 'ack' && m.seq === 1);
      st.close();

      // Reconnect: the replay batch arrives before any live message.
      st = await connect(server.url, studentAuth(student.token));
      await st.wait((m) => m.type === 'welcome');
      const replayAt = Date.now();
      st.send({ type: 'batch', items: [telemetry(2, 'confused', { t: clock() - 500 })] });
      await st.wait((m) => m.type === 'ack' && m.seq === 2);
      st.close();

      // Restart: the offset was stored with the row.
      await restart();
      st = await connect(server.url, studentAuth(student.token));
      await st.wait((m) => m.type === 'welcome');
      const restartAt = Date.now();
      st.send({ type: 'batch', items: [telemetry(3, 'focused', { t: clock() - 500 })] });
      await st.wait((m) => m.type === 'ack' && m.seq === 3);
      st.close();

      const samples = (await exportOf(h, session.id, student.participantId)).samples;
      const t = new Map(samples.map((x) => [x.seq, x.t]));
      expect(Math.abs(t.get(2)! - (replayAt - 500))).toBeLessThan(3000);
      expect(Math.abs(t.get(3)! - (restartAt - 500))).toBeLessThan(3000);
    });

    it('messages refused for rate stay open gaps, later ones wait for them: welcome.lastSeq stays below until re-sent', async () => {
      const { h, session, student } = await classroom();
      let st: Recorder = await connect(server.url, studentAuth(student.token));
      await st.wait((m) => m.type === 'welcome');
      const N = 90;
      const msgs = Array.from({ length: N }, (_, i) =>
        telemetry(i + 1, i % 2 ? 'confused' : 'focused', { t: Date.now() + i }),
      );
      // 80 at once (the burst allowance is 60: the tail is refused), then 10 more once tokens refilled
      // (20/s). Seqs are processed in order, so those 10 are refused too while the first refused one is
      // missing. An invalid marker's refusal (answers come in order) says every message before it was handled.
      for (const m of msgs.slice(0, 80)) st.send(m);
      st.send({ type: 'telemetry', seq: N + 1 });
      await st.wait((m) => m.type === 'error' && m.seq === N + 1);
      await new Promise((r) => setTimeout(r, 1000));
      for (const m of msgs.slice(80)) st.send(m);
      st.send({ type: 'telemetry', seq: N + 2 });
      await st.wait((m) => m.type === 'error' && m.seq === N + 2);
      const refused = st.messages
        .filter((m) => m.type === 'error' && (m.error as { code: string }).code === 'RATE_LIMITED')
        .map((m) => m.seq as number)
        .filter((s) => s <= N);
      expect(refused.length).toBeGreaterThan(0);
      const first = Math.min(...refused);
      expect(refused.sort((a, b) => a - b)).toEqual(
        Array.from({ length: N - first + 1 }, (_, i) => first + i),
      );
      // Everything below the first refused seq is stored once the next commit has run (it acks them).
      await st.wait((m) => m.type === 'ack' && (m.seq as number) >= first - 1);
      st.close();

      st = await connect(server.url, studentAuth(student.token));
      const welcome = await st.wait((m) => m.type === 'welcome');
      expect(welcome.lastSeq).toBe(Math.min(...refused) - 1);
      // The client re-sends what it still holds; now the ack covers everything.
      st.send({ type: 'batch', items: msgs.filter((m) => refused.includes(m.seq)) });
      await st.wait((m) => m.type === 'ack' && (m.seq as number) >= N);
      st.close();
      const seqs = (await exportOf(h, session.id, student.participantId)).samples.map((x) => x.seq);
      expect(seqs.filter((s) => s <= N).sort((a, b) => a - b)).toEqual(
        Array.from({ length: N }, (_, i) => i + 1),
      );
    });
  });
}
