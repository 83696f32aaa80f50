/**
 * Issue 9: PostgreSQL and Redis dropping under a running server. The server reaches them through a TCP
 * proxy that the test cuts for real (connections reset, or a network that silently stops moving bytes),
 * or PostgreSQL kills the server's connections (`pg_terminate_backend`). The server must stay up, answer
 * `/readyz` 503 at once while a dependency is down and 200 when it is back, and lose nothing acknowledged.
 */
import { randomBytes } from 'node:crypto';
import { connect as netConnect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { createClient } from 'redis';
import type { ServiceMessage, StudentUpdateMessage } from '@smartsession/protocol';
import {
  postgresAvailable,
  redisAvailable,
  testDatabaseUrl,
  testRedisUrl,
} from '../../../test/support/env.js';
import { TcpProxy } from '../../../test/support/tcp-proxy.js';
import { startServer, type RunningServer } from '../src/index.js';
import { connect, studentAuth, teacherAuth } from './support/client.js';
import { classroom, report, settle, startStudents } from './support/fault-suite.js';
import { createTestDatabase, type TestDatabase } from '../../../test/support/pg.js';
import { telemetry } from './support/telemetry.js';

const enabled = postgresAvailable() && redisAvailable();
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `/readyz` status, or 'hung' when it does not answer within `ms`. */
async function readyz(url: string, ms = 3000): Promise<number | 'hung'> {
  try {
    return (await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(ms) })).status;
  } catch {
    return 'hung';
  }
}

async function until(what: string, pred: () => Promise<boolean> | boolean, ms = 30_000) {
  const deadline = Date.now() + ms;
  while (!(await pred())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await wait(200);
  }
}

describe.skipIf(!enabled)('PostgreSQL connections dropping', () => {
  let db: TestDatabase;
  let proxy: TcpProxy;
  let server: RunningServer;
  beforeAll(async () => {
    db = await createTestDatabase(testDatabaseUrl!);
    const target = new URL(db.url);
    proxy = await TcpProxy.start(target.hostname, Number(target.port || 5432));
    server = await startServer({ port: 0, logLevel: 'silent', databaseUrl: proxy.rewrite(db.url) });
  });
  afterAll(async () => {
    await server?.close();
    await proxy?.close();
    await db?.drop();
  });

  it('[issue 9 #3] pg_terminate_backend on every server connection: the server stays up, nothing is lost', async () => {
    const c = await classroom(server.url);
    const students = await startStudents(server.url, c.join, 5);
    const admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    let killed = 0;
    for (let i = 0; i < 5; i++) {
      await wait(700);
      const r = await admin.query(
        'select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
      );
      killed += r.rowCount ?? 0;
    }
    await admin.end();
    expect(killed).toBeGreaterThan(0);
    await until('ready again', async () => (await readyz(server.url)) === 200);
    const counts = await settle(students, c.stored);
    const row = { scenario: `pg_terminate_backend x5 (${killed} connections)`, ...counts, serverUp: true };
    report(row);
    expect(row.lost).toBe(0);
    expect(row.acked).toBe(row.sent);
  }, 120_000);

  it('[issue 9 #3] a network that stops moving bytes: /readyz says 503 at once, then 200; nothing is lost', async () => {
    const c = await classroom(server.url);
    const teacher = await connect(server.url, teacherAuth(c.session.id), c.h.cookie);
    await teacher.wait((m) => m.type === 'snapshot');
    const students = await startStudents(server.url, c.join, 5);
    await wait(1000);
    proxy.blackhole(true);
    await until('readyz 503', async () => (await readyz(server.url)) === 503, 10_000);
    // During the blackhole the probe answers from memory: never a hang.
    for (let i = 0; i < 5; i++) {
      expect(await readyz(server.url)).toBe(503);
      await wait(500);
    }
    const health = (await fetch(`${server.url}/healthz`, { signal: AbortSignal.timeout(3000) })).status;
    expect(health).toBe(503);
    proxy.blackhole(false);
    await until('ready again', async () => (await readyz(server.url)) === 200, 60_000);
    const counts = await settle(students, c.stored);
    teacher.close();
    const row = { scenario: 'PostgreSQL network blackhole ~6 s', ...counts, serverUp: true };
    report(row);
    expect(row.lost).toBe(0);
    expect(row.acked).toBe(row.sent);
  }, 180_000);
});

describe.skipIf(!enabled)('Redis dropping under two instances', () => {
  let db: TestDatabase;
  let proxy: TcpProxy;
  let a: RunningServer;
  let b: RunningServer;
  const stream = `ss-test-${randomBytes(6).toString('hex')}`;
  beforeAll(async () => {
    db = await createTestDatabase(testDatabaseUrl!);
    const target = new URL(testRedisUrl!);
    proxy = await TcpProxy.start(target.hostname, Number(target.port || 6379));
    const common = {
      port: 0,
      databaseUrl: db.url,
      redisUrl: proxy.rewrite(testRedisUrl!),
      redisStreamName: stream,
      cookieSecret: 'shared-secret-for-both-instances',
      logLevel: 'silent',
    };
    a = await startServer(common);
    b = await startServer(common);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await proxy?.close();
    await db?.drop();
  });

  it('[issue 9 #4] a Redis reset: both instances stay up, report it, and carry the class again after', async () => {
    const c = await classroom(b.url);
    const teacher = await connect(b.url, teacherAuth(c.session.id), c.h.cookie);
    await teacher.wait((m) => m.type === 'snapshot');
    const students = await startStudents(a.url, c.join, 3);
    const probe = await c.join('Probe');
    const st = await connect(a.url, studentAuth(probe.token));
    await st.wait((m) => m.type === 'welcome');
    proxy.refuse(true);
    proxy.reset();
    await until('A not ready', async () => (await readyz(a.url)) === 503, 10_000);
    await until('B not ready', async () => (await readyz(b.url)) === 503, 10_000);
    await teacher.wait(
      (m) => m.type === 'service' && (m as unknown as ServiceMessage).cluster === 'down',
      10_000,
    );
    await wait(2000);
    expect((await fetch(`${a.url}/livez`)).ok).toBe(true);
    expect((await fetch(`${b.url}/livez`)).ok).toBe(true);
    proxy.refuse(false);
    await until('A ready', async () => (await readyz(a.url)) === 200, 30_000);
    await until('B ready', async () => (await readyz(b.url)) === 200, 30_000);
    // Live again across instances: a status change on A reaches the teacher on B.
    await until(
      'cross-instance delivery',
      async () => {
        st.send(telemetry(st.messages.length + 1000, 'confused'));
        try {
          await teacher.wait(
            (m) =>
              m.type === 'student' &&
              (m as unknown as StudentUpdateMessage).student.participantId === probe.participantId &&
              (m as unknown as StudentUpdateMessage).student.status === 'confused',
            1000,
          );
          return true;
        } catch {
          return false;
        }
      },
      30_000,
    );
    st.close();
    const counts = await settle(students, c.stored);
    teacher.close();
    const row = { scenario: 'Redis reset under two instances', ...counts, serverUp: true };
    report(row);
    expect(row.lost).toBe(0);
  }, 120_000);

  it('[issue 9 #7] deleting a session removes its students from the Redis stream', async () => {
    const c = await classroom(b.url);
    const teacher = await connect(b.url, teacherAuth(c.session.id), c.h.cookie);
    await teacher.wait((m) => m.type === 'snapshot');
    const name = `Zebulon ${randomBytes(4).toString('hex')}`;
    const j = await c.join(name);
    const st = await connect(a.url, studentAuth(j.token));
    await st.wait((m) => m.type === 'welcome');
    st.send(telemetry(1, 'confused'));
    await teacher.wait((m) => m.type === 'student' && JSON.stringify(m).includes('confused'));
    const redis = createClient({ url: testRedisUrl! });
    await redis.connect();
    const mentions = async () =>
      (await redis.xRange(stream, '-', '+')).filter((e) =>
        Object.values(e.message).some((v) => v.includes(name) || v.includes(j.participantId)),
      ).length;
    expect(await mentions()).toBeGreaterThan(0);
    st.close();
    expect((await c.h.del(`/api/sessions/${c.session.id}`)).status).toBe(204);
    await until('stream purged', async () => (await mentions()) === 0, 10_000);
    await redis.quit();
  }, 60_000);
});

/** Resolves 'closed' when `p` settles within `ms`, else 'hung'. */
async function within(p: Promise<unknown>, ms: number): Promise<'closed' | 'hung'> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<'hung'>((r) => (timer = setTimeout(() => r('hung'), ms)));
  const out = await Promise.race([p.then(() => 'closed' as const), hung]);
  clearTimeout(timer);
  return out;
}

describe.skipIf(!enabled)('Stopping while a dependency or a client does not answer', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(testDatabaseUrl!);
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('[issue 9] Redis silent at stop (SIGTERM in an outage): close() still finishes, in bounded time', async () => {
    const target = new URL(testRedisUrl!);
    const proxy = await TcpProxy.start(target.hostname, Number(target.port || 6379));
    const server = await startServer({
      port: 0,
      logLevel: 'silent',
      databaseUrl: db.url,
      redisUrl: proxy.rewrite(testRedisUrl!),
      redisStreamName: `ss-test-${randomBytes(6).toString('hex')}`,
      closeTimeoutMs: 4000,
    });
    await wait(1000); // the adapter's own connections are up
    proxy.blackhole(true);
    const t0 = Date.now();
    expect(await within(server.close(), 15_000)).toBe('closed');
    expect(Date.now() - t0).toBeLessThan(10_000);
    await proxy.close();
  }, 30_000);

  it('[issue 9] a client holding a request open at stop: close() still finishes, in bounded time', async () => {
    const server = await startServer({
      port: 0,
      logLevel: 'silent',
      databaseUrl: db.url,
      closeTimeoutMs: 4000,
    });
    // Half a request: headers promise a body that never comes.
    const sock = netConnect(server.port, '127.0.0.1');
    await new Promise((r) => sock.once('connect', r));
    sock.write(
      'POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"em',
    );
    await wait(300);
    const t0 = Date.now();
    expect(await within(server.close(), 15_000)).toBe('closed');
    expect(Date.now() - t0).toBeLessThan(10_000);
    sock.destroy();
  }, 30_000);
});
