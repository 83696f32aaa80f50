/**
 * Issue 12, against the real server (port 0, embedded PGlite, real sockets): each finding of the issue
 * as a test. The server sits "behind a proxy" on loopback (`trustProxy: 'loopback'`), so each test
 * plays its own client address with X-Forwarded-For and the limits of one test do not touch another.
 */
import { spawnSync } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, startServer, type RunningServer } from '../src/index.js';
import { Http, connect, studentAuth, teacherAuth } from './support/client.js';
import { telemetry } from './support/telemetry.js';

const PUBLIC_URL = 'https://class.school.test';
let server: RunningServer;
let dir: string;
const logLines: string[] = [];
let ipCounter = 10;
/** A fresh client address for each caller. */
const nextIp = () => `203.0.113.${ipCounter++}`;

/** An HTTP client from its own address (as the trusted proxy reports it). */
function client(ip = nextIp()): Http {
  const h = new Http(server.url);
  h.headers['x-forwarded-for'] = ip;
  return h;
}

let emails = 0;
async function teacher(h = client(), password = 'a lesson on fractions') {
  const email = `sec${emails++}@school.test`;
  const r = await h.post('/api/auth/signup', { email, password, name: 'Ms Sec' });
  expect(r.status).toBe(201);
  return { h, email, password };
}

async function session(h: Http, body: Record<string, unknown> = {}) {
  const r = await h.post<{ id: string; joinCode: string; joinUrl: string }>('/api/sessions', {
    title: 'Security',
    ...body,
  });
  expect(r.status).toBe(201);
  return r.body;
}

/** A raw request (node:http) where fetch would not let a test set the header (Host). */
function raw(path: string, headers: Record<string, string>, method = 'GET', body?: string) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = httpRequest(server.url + path, { method, headers }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ss-sec-'));
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logLines.push(chunk.toString());
      done();
    },
  });
  server = await startServer({
    port: 0,
    dataDir: dir,
    publicUrl: PUBLIC_URL,
    trustProxy: 'loopback',
    logger: createLogger('info', sink),
  });
});

afterAll(async () => {
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('limits with backoff (429)', () => {
  it('sign-in: 10 wrong passwords for one account, then 429 (with Retry-After) even with the right one', async () => {
    const { email, password } = await teacher();
    const attacker = client();
    for (let i = 0; i < 10; i++) {
      const r = await attacker.post('/api/auth/login', { email, password: `wrong guess ${i}` });
      expect(r.status).toBe(401);
    }
    // The account is blocked from anywhere (another address too), even with the right password.
    const blocked = await client().post<{ error: { code: string } }>('/api/auth/login', { email, password });
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.code).toBe('RATE_LIMITED');
    const first = Number(blocked.headers.get('retry-after'));
    expect(first).toBeGreaterThanOrEqual(1);
    expect(first).toBeLessThanOrEqual(30);
  });

  it('sign-in: 30 failures from one address over many accounts, then 429 for that address only', async () => {
    const sprayer = client();
    for (let i = 0; i < 30; i++) {
      const r = await sprayer.post('/api/auth/login', { email: `nobody${i}@x.test`, password: 'whatever1' });
      expect(r.status).toBe(401);
    }
    expect((await sprayer.post('/api/auth/login', { email: 'n@x.test', password: 'x' })).status).toBe(429);
    const { email, password } = await teacher();
    expect((await client().post('/api/auth/login', { email, password })).status).toBe(200);
  });

  it('join: 30 unknown codes from one address, then 429 (a real code too); other addresses still join', async () => {
    const { h } = await teacher();
    const s = await session(h);
    const guesser = client();
    for (let i = 0; i < 30; i++) {
      const r =
        i % 2 === 0
          ? await guesser.get(`/api/join/ZZZZ-${String(1000 + i).replace(/[01]/g, 'Z')}`)
          : await guesser.post('/api/join', { code: `ZZZZZZ${i}`, name: 'G' });
      expect(r.status).toBe(404);
    }
    const r = await guesser.post<{ error: { code: string } }>('/api/join', { code: s.joinCode, name: 'G' });
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await client().post('/api/join', { code: s.joinCode, name: 'Ann' })).status).toBe(201);
  });

  it('sign-up: 20 from one address per hour, then 429', async () => {
    const h = client();
    for (let i = 0; i < 20; i++) {
      const r = await h.post('/api/auth/signup', {
        email: `bulk${i}@school.test`,
        password: 'a lesson on fractions',
        name: 'Bulk',
      });
      expect(r.status).toBe(201);
    }
    const r = await h.post('/api/auth/signup', {
      email: 'bulk-last@school.test',
      password: 'a lesson on fractions',
      name: 'Bulk',
    });
    expect(r.status).toBe(429);
  });
});

describe('enumeration-neutral sign-in', () => {
  it('unknown e-mail and wrong password: same status, same body, same time', async () => {
    const { email } = await teacher();
    const known: number[] = [];
    const unknown: number[] = [];
    let a = '';
    let b = '';
    for (let i = 0; i < 6; i++) {
      for (const [target, times] of [
        [email, known],
        [`absent${i}@school.test`, unknown],
      ] as const) {
        const t0 = performance.now();
        const r = await client().post('/api/auth/login', { email: target, password: 'not the password' });
        times.push(performance.now() - t0);
        expect(r.status).toBe(401);
        if (target === email) a = JSON.stringify(r.body);
        else b = JSON.stringify(r.body);
      }
    }
    expect(a).toBe(b);
    const median = (x: number[]) => [...x].sort((p, q) => p - q)[Math.floor(x.length / 2)]!;
    const ratio = median(unknown) / median(known);
    console.log(
      `[security] login median: known e-mail ${median(known).toFixed(1)} ms, unknown ${median(unknown).toFixed(1)} ms`,
    );
    // Before: 56 ms against 2 ms (ratio 0.04). Both now run scrypt once.
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
  });
});

describe('passwords and names', () => {
  it('refuses common and trivial passwords with a reason', async () => {
    for (const password of ['password', '12345678', '        ', 'Password123!', 'aaaaaaaaaa', 'iloveyou1']) {
      const r = await client().post<{ error: { code: string; message: string } }>('/api/auth/signup', {
        email: `weak${emails++}@school.test`,
        password,
        name: 'W',
      });
      expect(r.status, password).toBe(400);
      expect(r.body.error.message).toMatch(/password/);
    }
  });

  it('refuses bidi and control characters in names and titles; stores names NFC and trimmed', async () => {
    const { h } = await teacher();
    const rlo = 'Ann\u202Eeldnah';
    expect((await h.post('/api/sessions', { title: `Maths\u2066x` })).status).toBe(400);
    expect((await h.post('/api/sessions', { title: 'Line\nbreak' })).status).toBe(400);
    const s = await session(h);
    const bad = await client().post<{ error: { message: string } }>('/api/join', {
      code: s.joinCode,
      name: rlo,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/control or text-direction/);
    expect((await client().post('/api/join', { code: s.joinCode, name: 'Bo\u0000b' })).status).toBe(400);
    expect(
      (await client().post('/api/auth/signup', { email: 'rlo@x.test', password: 'a good phrase', name: rlo }))
        .status,
    ).toBe(400);
    expect((await h.post(`/api/sessions/${s.id}/markers`, { label: 'x\u200Fy' })).status).toBe(400);
    // Decomposed "Zoë" (e + combining diaeresis) is stored composed; spaces around are dropped.
    expect((await client().post('/api/join', { code: s.joinCode, name: '  Zoe\u0308  ' })).status).toBe(201);
    const got = await h.get<{ participants: Array<{ name: string }> }>(`/api/sessions/${s.id}`);
    expect(got.body.participants.map((p) => p.name)).toEqual(['Zo\u00EB']);
  });
});

describe('Origin checks (CSRF, cross-site WebSocket)', () => {
  it('a foreign page cannot end a session (JSON or text/plain form); no Origin (scripts), our own origin and PUBLIC_URL can', async () => {
    const { h } = await teacher();
    const s = await session(h);
    const foreign = await raw(
      `/api/sessions/${s.id}/end`,
      { cookie: h.cookie!, origin: 'http://evil.example', 'content-type': 'text/plain' },
      'POST',
      'x',
    );
    expect(foreign.status).toBe(403);
    expect(JSON.parse(foreign.body).error.code).toBe('FORBIDDEN');
    // Same site, other port: still another origin.
    const sibling = await raw(
      `/api/sessions/${s.id}/end`,
      { cookie: h.cookie!, origin: server.url.replace(/:\d+$/, ':1') },
      'POST',
    );
    expect(sibling.status).toBe(403);
    // Without an Origin, a browser's Sec-Fetch-Site still tells a cross-site request.
    const crossSite = await raw(`/api/sessions/${s.id}/report.csv`, {
      cookie: h.cookie!,
      'sec-fetch-site': 'cross-site',
    });
    expect(crossSite.status).toBe(403);
    const ended = await h.get<{ endedAt: number | null }>(`/api/sessions/${s.id}`);
    expect(ended.body.endedAt).toBeNull();
    const own = await raw(`/api/sessions/${s.id}`, { cookie: h.cookie!, origin: server.url });
    expect(own.status).toBe(200);
    const viaPublic = await raw(`/api/sessions/${s.id}`, { cookie: h.cookie!, origin: PUBLIC_URL });
    expect(viaPublic.status).toBe(200);
    expect((await h.post(`/api/sessions/${s.id}/end`)).status).toBe(200);
  });

  it("a teacher socket from a foreign page is refused; the teacher's own page connects", async () => {
    const { h } = await teacher();
    const s = await session(h);
    await expect(
      connect(server.url, teacherAuth(s.id), h.cookie, { origin: 'http://evil.example' }),
    ).rejects.toMatchObject({ data: { code: 'FORBIDDEN' } });
    const t = await connect(server.url, teacherAuth(s.id), h.cookie, { origin: server.url });
    await t.wait((m) => m.type === 'snapshot');
    t.close();
  });
});

describe('headers, cookies and links behind a TLS proxy', () => {
  it('security headers on pages and API answers; HSTS only over HTTPS', async () => {
    const r = await client().get('/api/me');
    const csp = r.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('referrer-policy')).toBe('no-referrer');
    expect(r.headers.get('x-frame-options')).toBe('DENY');
    expect(r.headers.get('permissions-policy')).toContain('camera=(self)');
    // PUBLIC_URL is https here, so HSTS is on (browsers only honour it over HTTPS).
    expect(r.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
  });

  it('the cookie is Secure when the proxy says the client used HTTPS (and PUBLIC_URL is https)', async () => {
    const h = client();
    h.headers['x-forwarded-proto'] = 'https';
    const r = await h.post('/api/auth/signup', {
      email: `tls${emails++}@school.test`,
      password: 'a lesson on fractions',
      name: 'TLS',
    });
    expect(r.status).toBe(201);
    expect(r.headers.get('set-cookie')).toMatch(/;\s*Secure/i);
    expect(r.headers.get('set-cookie')).toMatch(/HttpOnly/i);
  });

  it('joinUrl comes from PUBLIC_URL, never from the Host header', async () => {
    const { h } = await teacher();
    const r = await raw(
      '/api/sessions',
      { cookie: h.cookie!, host: 'evil.example', 'content-type': 'application/json' },
      'POST',
      JSON.stringify({ title: 'Host header' }),
    );
    expect(r.status).toBe(201);
    const joinUrl = JSON.parse(r.body).joinUrl as string;
    expect(joinUrl).toMatch(new RegExp(`^${PUBLIC_URL}/join/[A-Z2-9]{4}-[A-Z2-9]{4}$`));
    expect(server.publicUrl).toBe(PUBLIC_URL);
  });
});

describe('anonymous sessions stay anonymous in every export', () => {
  it('participant JSON export, report JSON and every report CSV use the pseudonym', async () => {
    const { h } = await teacher();
    const s = await session(h, { anonymous: true });
    const j = (
      await client().post<{ token: string; participantId: string }>('/api/join', {
        code: s.joinCode,
        name: 'Alice Realname',
      })
    ).body;
    const st = await connect(server.url, studentAuth(j.token));
    await st.wait((m) => m.type === 'welcome');
    st.send(telemetry(1, 'focused'));
    st.send(telemetry(2, 'alert', { alert: 'NO_PERSON' }));
    await st.wait((m) => m.type === 'ack' && m.seq === 2);
    st.close();
    const bodies: string[] = [];
    const exp = await h.get(`/api/sessions/${s.id}/participants/${j.participantId}/export`);
    expect(exp.status).toBe(200);
    bodies.push(JSON.stringify(exp.body));
    bodies.push(JSON.stringify((await h.get(`/api/sessions/${s.id}/report`)).body));
    for (const table of ['students', 'alerts', 'timeline'])
      bodies.push(String((await h.get(`/api/sessions/${s.id}/report.csv?table=${table}`)).body));
    for (const b of bodies) expect(b).not.toContain('Realname');
    expect(bodies[0]).toContain('Student 1');
  });
});

describe('audit log, metrics, request logs', () => {
  it('records exports, deletions and settings changes; a teacher sees only their own', async () => {
    const { h } = await teacher();
    const s = await session(h);
    const j = (await client().post<{ participantId: string }>('/api/join', { code: s.joinCode, name: 'Ann' }))
      .body;
    expect((await h.patch(`/api/sessions/${s.id}`, { emotion: 'off' })).status).toBe(200);
    expect((await h.get(`/api/sessions/${s.id}/participants/${j.participantId}/export`)).status).toBe(200);
    expect((await h.get(`/api/sessions/${s.id}/report.csv`)).status).toBe(200);
    expect((await h.del(`/api/sessions/${s.id}/participants/${j.participantId}`)).status).toBe(204);
    expect((await h.del(`/api/sessions/${s.id}`)).status).toBe(204);
    const log = await h.get<{
      entries: Array<{ action: string; sessionId: string | null; details: unknown }>;
    }>('/api/audit');
    expect(log.status).toBe(200);
    expect(log.body.entries.map((e) => e.action)).toEqual([
      'session.delete',
      'participant.delete',
      'report.export',
      'participant.export',
      'session.update',
      'session.create',
      'auth.signup',
    ]);
    expect(log.body.entries[4]).toMatchObject({ sessionId: s.id, details: { emotion: 'off' } });
    const other = await teacher();
    const theirs = await other.h.get<{ entries: Array<{ action: string }> }>('/api/audit');
    expect(theirs.body.entries.map((e) => e.action)).toEqual(['auth.signup']);
    expect((await new Http(server.url).get('/api/audit')).status).toBe(401);
  });

  it('/metrics: connections, messages in/out, refusals by reason, writes, acks pending, event-loop delay', async () => {
    const { h } = await teacher();
    const s = await session(h);
    const j = (await client().post<{ token: string }>('/api/join', { code: s.joinCode, name: 'Met' })).body;
    const t = await connect(server.url, teacherAuth(s.id), h.cookie);
    const st = await connect(server.url, studentAuth(j.token));
    await st.wait((m) => m.type === 'welcome');
    st.send(telemetry(1));
    st.send({ type: 'telemetry', seq: 2 });
    await st.wait((m) => m.type === 'ack' && (m.seq as number) >= 1);
    await st.wait((m) => m.type === 'error');
    const m = String((await new Http(server.url).get('/metrics')).body);
    const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(m)?.[1]);
    expect(value('smartsession_connected_students')).toBe(1);
    expect(value('smartsession_connected_teachers')).toBe(1);
    expect(m).toMatch(/^smartsession_messages_in_total\{type="telemetry"\} [1-9]/m);
    expect(m).toMatch(/^smartsession_messages_out_total\{to="student",type="ack"\} [1-9]/m);
    expect(m).toMatch(/^smartsession_refusals_total\{where="socket",reason="BAD_MESSAGE"\} [1-9]/m);
    expect(m).toMatch(/^smartsession_refusals_total\{where="http",reason="RATE_LIMITED"\} [1-9]/m);
    expect(m).toMatch(/^smartsession_write_seconds_count [1-9]/m);
    expect(value('smartsession_acks_pending')).toBeGreaterThanOrEqual(0);
    expect(m).toMatch(/^smartsession_write_backlog_rows \d/m);
    expect(m).toMatch(/^nodejs_eventloop_lag_p99_seconds /m);
    expect(m).toMatch(/^smartsession_http_requests_total\{method="POST",route="\/api\/join",status="201"\}/m);
    st.close();
    t.close();
  });

  it('request logs have one line per request and no password, cookie, token or join code', async () => {
    const { h, email, password } = await teacher();
    expect((await h.post('/api/auth/login', { email, password })).status).toBe(200);
    const s = await session(h);
    const j = (await client().post<{ token: string }>('/api/join', { code: s.joinCode, name: 'Log' })).body;
    await client().get(`/api/join/${s.joinCode}?token=${j.token}`);
    const text = logLines.join('');
    expect(text).toMatch(/"msg":"request"/);
    expect(text).toContain('"url":"/api/auth/login"');
    const cookieValue = decodeURIComponent(h.cookie!.split('=')[1]!);
    for (const secret of [password, cookieValue, cookieValue.split('.')[0]!, j.token, s.joinCode])
      expect(text).not.toContain(secret);
  });
});

describe('configuration', () => {
  it('refuses to start on a bad setting, naming it (PORT=abc)', () => {
    const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));
    const r = spawnSync(process.execPath, ['--import', 'tsx', main], {
      env: { ...process.env, PORT: 'abc', TRUST_PROXY: 'sometimes', PUBLIC_URL: 'class.school' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('PORT="abc": expected a whole number');
    expect(r.stderr).toContain('TRUST_PROXY="sometimes"');
    expect(r.stderr).toContain('PUBLIC_URL="class.school"');
  });
});
