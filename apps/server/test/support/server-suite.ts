/**
 * The end-to-end suite of the server, run against a real server on a real port with real Socket.IO
 * clients, once over embedded PGlite and once over PostgreSQL (see *.test.ts next to this).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  LIMITS,
  PROTOCOL_VERSION,
  type SnapshotMessage,
  type StudentUpdateMessage,
} from '@smartsession/protocol';
import { startServer, type RunningServer, type ServerOptions } from '../../src/index.js';
import { Http, connect, studentAuth, teacherAuth, type Recorder } from './client.js';
import { telemetry } from './telemetry.js';

export interface SuiteBackend {
  /** Options for startServer that point at the same storage every time (restart keeps data). */
  options(): ServerOptions;
  setup?(): Promise<void>;
  teardown?(): Promise<void>;
}

let n = 0;
const email = () => `t${Date.now()}-${n++}@school.test`;

export function serverSuite(name: string, backend: SuiteBackend): void {
  describe(name, () => {
    let server: RunningServer;
    let base: string;

    beforeAll(async () => {
      await backend.setup?.();
      server = await startServer({ port: 0, logLevel: 'silent', ...backend.options() });
      base = server.url;
    });
    afterAll(async () => {
      await server?.close();
      await backend.teardown?.();
    });

    async function teacher(): Promise<Http> {
      const h = new Http(base);
      const r = await h.post('/api/auth/signup', { email: email(), password: 'correct horse', name: 'Ms T' });
      expect(r.status).toBe(201);
      return h;
    }
    async function classWith(h: Http, body: Record<string, unknown> = {}) {
      const r = await h.post<{ id: string; joinCode: string }>('/api/sessions', {
        title: 'Fractions',
        ...body,
      });
      expect(r.status).toBe(201);
      return r.body;
    }
    async function join(code: string, name = 'Ann') {
      const r = await new Http(base).post<{ token: string; participantId: string; sessionId: string }>(
        '/api/join',
        {
          code,
          name,
        },
      );
      expect(r.status).toBe(201);
      return r.body;
    }
    const statusOf = (m: { type: string }, pid: string, status: string) =>
      m.type === 'student' &&
      (m as StudentUpdateMessage).student.participantId === pid &&
      (m as StudentUpdateMessage).student.status === status;

    it('signs up, logs in, reads /api/me and logs out; errors are JSON with a code', async () => {
      const h = new Http(base);
      const e = email();
      const up = await h.post<{ email: string }>('/api/auth/signup', {
        email: e,
        password: 'long enough',
        name: 'T',
      });
      expect(up.status).toBe(201);
      expect(up.headers.get('set-cookie')).toMatch(/ss_session=.*HttpOnly/i);
      expect((await h.get<{ email: string }>('/api/me')).body.email).toBe(e);
      expect(
        (await h.post('/api/auth/signup', { email: e, password: 'long enough', name: 'T' })).status,
      ).toBe(409);
      expect((await h.post('/api/auth/logout')).status).toBe(200);
      const me = await h.get<{ error: { code: string } }>('/api/me');
      expect(me.status).toBe(401);
      expect(me.body.error.code).toBe('UNAUTHORIZED');
      const bad = await h.post<{ error: { code: string } }>('/api/auth/login', {
        email: e,
        password: 'wrong pass',
      });
      expect(bad.status).toBe(401);
      expect(
        (await h.post('/api/auth/login', { email: e.toUpperCase(), password: 'long enough' })).status,
      ).toBe(200);
      expect((await h.get('/api/me')).status).toBe(200);
      const invalid = await h.post<{ error: { code: string; message: string } }>('/api/sessions', {
        title: '',
      });
      expect(invalid.status).toBe(400);
      expect(invalid.body.error.code).toBe('BAD_MESSAGE');
      const malformed = await h.req<{ error: { code: string } }>('POST', '/api/sessions', '{"title":');
      expect(malformed.status).toBe(400);
      expect(malformed.body.error.code).toBeTypeOf('string');
      // A forged cookie is not a sign-in.
      const forged = new Http(base);
      forged.cookie = h.cookie!.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
      expect((await forged.get('/api/me')).status).toBe(401);
    });

    it('authorisation: teachers see only their own sessions; students and anonymous see no dashboard', async () => {
      const a = await teacher();
      const b = await teacher();
      const s = await classWith(a);
      const student = await join(s.joinCode, 'Ann');
      for (const path of [`/api/sessions/${s.id}`, `/api/sessions/${s.id}/timeline`]) {
        expect((await a.get(path)).status).toBe(200);
        expect((await b.get(path)).status).toBe(404);
        expect((await new Http(base).get(path)).status).toBe(401);
      }
      expect((await b.post(`/api/sessions/${s.id}/end`)).status).toBe(404);
      expect((await b.patch(`/api/sessions/${s.id}`, { anonymous: true })).status).toBe(404);
      expect((await b.del(`/api/sessions/${s.id}`)).status).toBe(404);
      expect((await b.get<{ sessions: unknown[] }>('/api/sessions')).body.sessions).toHaveLength(0);
      // A student's token is no sign-in, and cannot open a teacher socket.
      const withToken = new Http(base);
      withToken.cookie = `ss_session=${student.token}`;
      expect((await withToken.get(`/api/sessions/${s.id}`)).status).toBe(401);
      await expect(connect(base, teacherAuth(s.id), withToken.cookie)).rejects.toMatchObject({
        data: { code: 'UNAUTHORIZED' },
      });
      await expect(connect(base, teacherAuth(s.id), b.cookie)).rejects.toMatchObject({
        data: { code: 'NOT_FOUND' },
      });
      await expect(connect(base, teacherAuth(s.id))).rejects.toMatchObject({
        data: { code: 'UNAUTHORIZED' },
      });
    });

    it('[issue 15] a burst of joins into one class: every one succeeds, numbered 1..n without a gap', async () => {
      const h = await teacher();
      const s = await classWith(h, { anonymous: true });
      const n = 150;
      const results = await Promise.all(
        Array.from({ length: n }, (_, i) =>
          new Http(base).post<{ participantId: string }>('/api/join', { code: s.joinCode, name: `S${i}` }),
        ),
      );
      expect(results.map((r) => r.status)).toEqual(results.map(() => 201));
      const detail = await h.get<{ participants: Array<{ id: string; name: string }> }>(
        `/api/sessions/${s.id}`,
      );
      // Anonymous: each is shown as "Student N", N its join number.
      const numbers = detail.body.participants.map((p) => Number(/^Student (\d+)$/.exec(p.name)?.[1]));
      expect(numbers.sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
      expect(new Set(detail.body.participants.map((p) => p.id))).toEqual(
        new Set(results.map((r) => r.body.participantId)),
      );
    }, 60_000);

    it('join codes: any case and separators; unknown code 404; the student joins and reconnects as the same participant', async () => {
      const h = await teacher();
      const s = await classWith(h, { mode: 'exam' });
      expect(s.joinCode).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
      const info = await new Http(base).get<{ title: string; settings: { mode: string } }>(
        `/api/join/${s.joinCode.toLowerCase().replace('-', ' ')}`,
      );
      expect(info.body).toMatchObject({ title: 'Fractions', settings: { mode: 'exam' } });
      const unknown = await new Http(base).get<{ error: { code: string } }>('/api/join/ZZZZ-ZZZZ');
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.code).toBe('NOT_FOUND');
      expect((await new Http(base).post('/api/join', { code: 'ZZZZZZZZ', name: 'X' })).status).toBe(404);

      const j = await join(s.joinCode.replace('-', '').toLowerCase(), 'Ben');
      const t = await connect(base, teacherAuth(s.id), h.cookie);
      const snap = await t.wait<SnapshotMessage>((m) => m.type === 'snapshot');
      expect(snap.students.map((x) => x.name)).toEqual(['Ben']);

      const st = await connect(base, studentAuth(j.token));
      const welcome = await st.wait((m) => m.type === 'welcome');
      expect(welcome).toMatchObject({ participantId: j.participantId, lastSeq: 0, name: 'Ben' });
      st.send(telemetry(1, 'focused'));
      st.send(telemetry(2, 'confused'));
      await st.wait((m) => m.type === 'ack' && m.seq === 2);
      await t.wait((m) => statusOf(m, j.participantId, 'confused'));
      st.close();
      await t.wait((m) => statusOf(m, j.participantId, 'offline'));

      const again = await connect(base, studentAuth(j.token));
      expect(await again.wait((m) => m.type === 'welcome')).toMatchObject({
        participantId: j.participantId,
        lastSeq: 2,
      });
      // Replaying an already stored seq is a duplicate: acknowledged, not stored twice.
      again.send(telemetry(2, 'confused'));
      again.send(telemetry(3, 'alert', { alert: 'NO_PERSON' }));
      await again.wait((m) => m.type === 'ack' && m.seq === 3);
      const alert = await t.wait((m) => m.type === 'alert');
      expect(alert).toMatchObject({
        alert: { participantId: j.participantId, kind: 'proctor', code: 'NO_PERSON' },
      });
      const t2 = await connect(base, teacherAuth(s.id), h.cookie);
      const snap2 = await t2.wait<SnapshotMessage>((m) => m.type === 'snapshot');
      expect(snap2.students).toHaveLength(1);
      expect(snap2.students[0]).toMatchObject({ status: 'alert', alert: 'NO_PERSON', connected: true });
      const timeline = await h.get<{ samples: Array<{ seq: number }> }>(`/api/sessions/${s.id}/timeline`);
      expect(timeline.body.samples.map((x) => x.seq)).toEqual([1, 2, 3]);
      again.close();
      t.close();
      t2.close();
    });

    it('refuses bad messages with a reason, keeps the connection, stores nothing, and others carry on', async () => {
      const h = await teacher();
      const s = await classWith(h);
      const good = await join(s.joinCode, 'Good');
      const bad = await join(s.joinCode, 'Bad');
      const t = await connect(base, teacherAuth(s.id), h.cookie);
      await t.wait((m) => m.type === 'snapshot');
      await expect(connect(base, studentAuth(good.token, 999))).rejects.toMatchObject({
        data: { code: 'PROTOCOL_MISMATCH' },
      });
      await expect(connect(base, studentAuth('x'.repeat(43)))).rejects.toMatchObject({
        data: { code: 'INVALID_TOKEN' },
      });
      await expect(connect(base, { role: 'student', protocol: PROTOCOL_VERSION })).rejects.toMatchObject({
        data: { code: 'BAD_HANDSHAKE' },
      });
      const g = await connect(base, studentAuth(good.token));
      const b = await connect(base, studentAuth(bad.token));
      await b.wait((m) => m.type === 'welcome');
      b.send({ type: 'telemetry', seq: 1 });
      b.send('not an object');
      b.send({ ...telemetry(1), status: 'asleep' });
      b.send({ ...telemetry(1), reason: 'x'.repeat(LIMITS.maxMessageBytes) });
      b.send({ type: 'nonsense', seq: 1 });
      await b.wait((m) => m.type === 'error' && (m.error as { code: string }).code === 'TOO_LARGE');
      const errors = () =>
        b.messages.filter((m) => m.type === 'error').map((m) => (m.error as { code: string }).code);
      await expect.poll(errors).toHaveLength(5);
      expect(errors().sort()).toEqual([
        'BAD_MESSAGE',
        'BAD_MESSAGE',
        'BAD_MESSAGE',
        'BAD_MESSAGE',
        'TOO_LARGE',
      ]);
      expect(b.socket.connected).toBe(true);
      // Rate limit: a burst far above LIMITS is refused in part, the connection stays.
      for (let i = 1; i <= LIMITS.rateBurst + 40; i++) b.send(telemetry(i));
      await b.wait((m) => m.type === 'error' && (m.error as { code: string }).code === 'RATE_LIMITED');
      expect(b.socket.connected).toBe(true);
      g.send(telemetry(1, 'confused'));
      await g.wait((m) => m.type === 'ack' && m.seq === 1);
      await t.wait((m) => statusOf(m, good.participantId, 'confused'));
      const timeline = await h.get<{ samples: Array<{ participantId: string; seq: number }> }>(
        `/api/sessions/${s.id}/timeline?participantId=${bad.participantId}`,
      );
      // Only the valid, within-rate telemetry of the burst was stored; none of the refused messages.
      expect(timeline.body.samples.every((x) => x.seq >= 1 && x.seq <= LIMITS.rateBurst + 40)).toBe(true);
      const good2 = await h.get<{ samples: unknown[] }>(
        `/api/sessions/${s.id}/timeline?participantId=${good.participantId}`,
      );
      expect(good2.body.samples).toHaveLength(1);
      g.close();
      b.close();
      t.close();
    });

    it('students never receive other students; anonymous sessions show pseudonyms; ended sessions refuse telemetry', async () => {
      const h = await teacher();
      const s = await classWith(h, { anonymous: true });
      const a = await join(s.joinCode, 'Alice Real');
      const b = await join(s.joinCode, 'Bob Real');
      const t = await connect(base, teacherAuth(s.id), h.cookie);
      const snap = await t.wait<SnapshotMessage>((m) => m.type === 'snapshot');
      expect(snap.students.map((x) => x.name)).toEqual(['Student 1', 'Student 2']);
      const sa = await connect(base, studentAuth(a.token));
      const sb = await connect(base, studentAuth(b.token));
      await sa.wait((m) => m.type === 'welcome');
      sb.send(telemetry(1, 'confused'));
      sb.send({ type: 'self_report', seq: 2, t: Date.now(), kind: 'lost' });
      await sb.wait((m) => m.type === 'ack' && m.seq === 2);
      const lost = await t.wait(
        (m) => m.type === 'alert' && (m.alert as { kind: string }).kind === 'self_report',
      );
      expect(lost).toMatchObject({ alert: { participantId: b.participantId, endedAt: null } });
      await t.wait((m) => m.type === 'samples');
      expect(JSON.stringify(t.messages)).not.toContain('Real');
      expect(sa.messages.every((m) => m.type === 'welcome' || m.type === 'ack')).toBe(true);
      expect(JSON.stringify(sa.messages)).not.toContain(b.participantId);
      const marker = await h.post<{ id: string }>(`/api/sessions/${s.id}/markers`, {
        label: 'started fractions',
      });
      expect(marker.status).toBe(201);
      await t.wait((m) => m.type === 'marker');
      const alertId = (lost.alert as { id: string }).id;
      const acked = await h.post<{ acknowledgedAt: number }>(`/api/sessions/${s.id}/alerts/${alertId}/ack`);
      expect(acked.body.acknowledgedAt).toBeTypeOf('number');
      expect((await h.post(`/api/sessions/${s.id}/alerts/nope/ack`)).status).toBe(404);

      expect((await h.post(`/api/sessions/${s.id}/end`)).status).toBe(200);
      await sb.wait((m) => m.type === 'session_ended');
      sb.send(telemetry(3, 'focused'));
      await sb.wait((m) => m.type === 'error' && (m.error as { code: string }).code === 'SESSION_ENDED');
      await expect(connect(base, studentAuth(a.token))).rejects.toMatchObject({
        data: { code: 'SESSION_ENDED' },
      });
      expect((await new Http(base).post('/api/join', { code: s.joinCode, name: 'Late' })).status).toBe(410);
      const tl = await h.get<{ samples: Array<{ seq: number }> }>(
        `/api/sessions/${s.id}/timeline?participantId=${b.participantId}`,
      );
      expect(tl.body.samples.map((x) => x.seq)).toEqual([1]);
      sa.close();
      sb.close();
      t.close();
    });

    it('settings and accommodations reach the student; delete removes the session', async () => {
      const h = await teacher();
      const s = await classWith(h);
      const a = await join(s.joinCode, 'Ann');
      const st = await connect(base, studentAuth(a.token));
      await st.wait((m) => m.type === 'welcome');
      expect((await h.patch(`/api/sessions/${s.id}`, { emotion: 'off', bogus: 1 })).status).toBe(400);
      expect((await h.patch(`/api/sessions/${s.id}`, { emotion: 'off', lookAwaySeconds: 8 })).status).toBe(
        200,
      );
      await st.wait((m) => m.type === 'settings' && (m.settings as { emotion: string }).emotion === 'off');
      const acc = await h.patch(`/api/sessions/${s.id}/participants/${a.participantId}`, {
        accommodations: { lookAwaySeconds: 12, gazeChecks: false },
      });
      expect(acc.status).toBe(200);
      await st.wait(
        (m) =>
          m.type === 'settings' && (m.accommodations as { lookAwaySeconds?: number }).lookAwaySeconds === 12,
      );
      // emotion off: nothing emotion-shaped is stored or shown.
      st.send(telemetry(1, 'focused'));
      await st.wait((m) => m.type === 'ack' && m.seq === 1);
      const exp = await h.get<{ samples: Array<{ frame: { emotion: unknown; happy_prob: unknown } }> }>(
        `/api/sessions/${s.id}/participants/${a.participantId}/export`,
      );
      expect(exp.body.samples[0]!.frame).toMatchObject({ emotion: null, happy_prob: null });
      expect((await h.del(`/api/sessions/${s.id}`)).status).toBe(204);
      expect((await h.get(`/api/sessions/${s.id}`)).status).toBe(404);
      await expect(connect(base, studentAuth(a.token))).rejects.toMatchObject({
        data: { code: 'INVALID_TOKEN' },
      });
      st.close();
    });

    it('serves /healthz, the Human models and the wasm binaries; unknown API routes are JSON 404', async () => {
      const h = new Http(base);
      expect((await h.get('/healthz')).status).toBe(200);
      const model = await h.get('/models/blazeface.json');
      expect(model.status).toBe(200);
      expect(model.headers.get('cache-control')).toMatch(/max-age/);
      expect((await fetch(`${base}/wasm/tfjs-backend-wasm.wasm`)).status).toBe(200);
      const nf = await h.get<{ error: { code: string } }>('/api/nothing');
      expect(nf.status).toBe(404);
      expect(nf.body.error.code).toBe('NOT_FOUND');
    });

    it('a restart keeps sessions, participants and telemetry', async () => {
      const h = await teacher();
      const s = await classWith(h);
      const a = await join(s.joinCode, 'Ann');
      const st: Recorder = await connect(base, studentAuth(a.token));
      await st.wait((m) => m.type === 'welcome');
      const t0 = Date.now();
      for (let i = 1; i <= 5; i++)
        st.send(telemetry(i, i === 5 ? 'confused' : 'focused', { t: t0 + i * 1000 }));
      await st.wait((m) => m.type === 'ack' && m.seq === 5);
      st.close();
      await server.close();
      server = await startServer({ port: 0, logLevel: 'silent', ...backend.options() });
      base = server.url;
      const h2 = new Http(base);
      h2.cookie = h.cookie;
      const got = await h2.get<{ participants: Array<{ id: string }> }>(`/api/sessions/${s.id}`);
      expect(got.status).toBe(200);
      expect(got.body.participants.map((p) => p.id)).toEqual([a.participantId]);
      const tl = await h2.get<{ samples: Array<{ seq: number; status: string }> }>(
        `/api/sessions/${s.id}/timeline`,
      );
      expect(tl.body.samples.map((x) => x.seq)).toEqual([1, 2, 3, 4, 5]);
      const again = await connect(base, studentAuth(a.token));
      expect(await again.wait((m) => m.type === 'welcome')).toMatchObject({
        participantId: a.participantId,
        lastSeq: 5,
      });
      again.close();
    });
  });
}
