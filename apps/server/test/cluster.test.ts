/**
 * Two server instances on one PostgreSQL and one Redis serve one class: a student on instance A, the
 * teacher on instance B. Runs when TEST_DATABASE_URL and TEST_REDIS_URL are set.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StudentUpdateMessage } from '@smartsession/protocol';
import {
  postgresAvailable,
  redisAvailable,
  testDatabaseUrl,
  testRedisUrl,
} from '../../../test/support/env.js';
import { startServer, type RunningServer } from '../src/index.js';
import { Http, connect, studentAuth, teacherAuth } from './support/client.js';
import { createTestDatabase, type TestDatabase } from '../../../test/support/pg.js';
import { telemetry } from './support/telemetry.js';

const enabled = postgresAvailable() && redisAvailable();

describe.skipIf(!enabled)('two instances through Redis streams', () => {
  let db: TestDatabase;
  let a: RunningServer;
  let b: RunningServer;
  beforeAll(async () => {
    db = await createTestDatabase(testDatabaseUrl!);
    const common = {
      port: 0,
      databaseUrl: db.url,
      redisUrl: testRedisUrl!,
      redisStreamName: `ss-test-${randomBytes(6).toString('hex')}`,
      cookieSecret: 'shared-secret-for-both-instances',
      logLevel: 'silent',
    };
    a = await startServer(common);
    b = await startServer(common);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await db?.drop();
  });

  it('a student on A reaches the teacher on B; the teacher on B reaches the student on A', async () => {
    const h = new Http(b.url);
    expect(
      (await h.post('/api/auth/signup', { email: 'cluster@x.test', password: 'cluster-pass-9', name: 'T' }))
        .status,
    ).toBe(201);
    const s = (await h.post<{ id: string; joinCode: string }>('/api/sessions', { title: 'Cluster' })).body;
    const j = (
      await new Http(a.url).post<{ token: string; participantId: string }>('/api/join', {
        code: s.joinCode,
        name: 'Ann',
      })
    ).body;
    const teacher = await connect(b.url, teacherAuth(s.id), h.cookie);
    await teacher.wait((m) => m.type === 'snapshot');
    const student = await connect(a.url, studentAuth(j.token));
    await student.wait((m) => m.type === 'welcome');
    const isStatus = (status: string) => (m: { type: string }) =>
      m.type === 'student' && (m as StudentUpdateMessage).student.status === status;
    student.send(telemetry(1, 'confused'));
    await teacher.wait(isStatus('confused'));
    const samples = await teacher.wait((m) => m.type === 'samples');
    expect(samples.items).toMatchObject([{ participantId: j.participantId, seq: 1, status: 'confused' }]);
    student.send(telemetry(2, 'alert', { alert: 'MULTIPLE_PEOPLE' }));
    await teacher.wait((m) => m.type === 'alert');
    // A settings change made through B reaches the student connected to A.
    expect((await h.patch(`/api/sessions/${s.id}`, { lookAwaySeconds: 9 })).status).toBe(200);
    await student.wait(
      (m) => m.type === 'settings' && (m.settings as { lookAwaySeconds: number }).lookAwaySeconds === 9,
    );
    // A second teacher tab on A sees the same live state in its snapshot.
    const t2 = await connect(a.url, teacherAuth(s.id), h.cookie);
    const snap = await t2.wait<{ type: 'snapshot'; students: Array<{ status: string }> }>(
      (m) => m.type === 'snapshot',
    );
    expect(snap.students[0]!.status).toBe('alert');
    // Ending through B stops ingestion on A.
    expect((await h.post(`/api/sessions/${s.id}/end`)).status).toBe(200);
    await student.wait((m) => m.type === 'session_ended');
    student.send(telemetry(3, 'focused'));
    await student.wait((m) => m.type === 'error' && (m.error as { code: string }).code === 'SESSION_ENDED');
    student.close();
    await teacher.wait(isStatus('offline'));
    teacher.close();
    t2.close();
  });

  it('[issue 12] attempt limits are shared: failures on A and B add up, the block holds on both', async () => {
    const email = 'limits@school.test';
    const password = 'a lesson on fractions';
    expect((await new Http(a.url).post('/api/auth/signup', { email, password, name: 'L' })).status).toBe(201);
    for (let i = 0; i < 10; i++) {
      const via = i % 2 === 0 ? a : b;
      const r = await new Http(via.url).post('/api/auth/login', { email, password: `nope ${i}` });
      expect(r.status).toBe(401);
    }
    // Blocked everywhere, even with the right password.
    for (const via of [a, b]) {
      const r = await new Http(via.url).post('/api/auth/login', { email, password });
      expect(r.status).toBe(429);
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
    }
  });
});
