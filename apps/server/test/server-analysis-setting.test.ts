/**
 * Issue 14: the session setting `serverAnalysis` (default false) through the HTTP API, the join response
 * and the settings the student and the teacher get, on the real server with the embedded database.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/index.js';
import { Http, connect, studentAuth, teacherAuth } from './support/client.js';

let server: RunningServer;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ss-sa-setting-'));
  server = await startServer({ port: 0, dataDir: dir, webDist: join(dir, 'no-web') });
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function teacher(): Promise<Http> {
  const h = new Http(server.url);
  const r = await h.post('/api/auth/signup', {
    email: `sa${Math.random()}@school.test`,
    password: 'a lesson on fractions',
    name: 'Ms Server',
  });
  expect(r.status).toBe(201);
  return h;
}

type Info = { id: string; joinCode: string; settings: { serverAnalysis?: boolean } };

describe('[issue 14] serverAnalysis setting', () => {
  it('is off by default and can be set at creation', async () => {
    const h = await teacher();
    const off = await h.post<Info>('/api/sessions', { title: 'Default' });
    expect(off.status).toBe(201);
    expect((await h.get<Info>(`/api/sessions/${off.body.id}`)).body.settings.serverAnalysis).toBe(false);
    const on = await h.post<Info>('/api/sessions', { title: 'On', serverAnalysis: true });
    expect((await h.get<Info>(`/api/sessions/${on.body.id}`)).body.settings.serverAnalysis).toBe(true);
    const join = await new Http(server.url).post<{ settings: { serverAnalysis: boolean } }>('/api/join', {
      code: on.body.joinCode,
      name: 'Ana',
    });
    expect(join.body.settings.serverAnalysis).toBe(true);
    const bad = await h.post('/api/sessions', { title: 'Bad', serverAnalysis: 'yes' });
    expect(bad.status).toBe(400);
  });

  it('PATCH changes it; the student and the teacher are told', async () => {
    const h = await teacher();
    const s = await h.post<Info>('/api/sessions', { title: 'Later' });
    const j = await new Http(server.url).post<{ token: string }>('/api/join', {
      code: s.body.joinCode,
      name: 'Ben',
    });
    const student = await connect(server.url, studentAuth(j.body.token));
    const t = await connect(server.url, teacherAuth(s.body.id), h.cookie);
    await student.wait((m) => m.type === 'welcome');
    await t.wait((m) => m.type === 'snapshot');
    const r = await h.patch<Info>(`/api/sessions/${s.body.id}`, { serverAnalysis: true });
    expect(r.status).toBe(200);
    expect(r.body.settings.serverAnalysis).toBe(true);
    const m = await student.wait<{ type: string; settings: { serverAnalysis: boolean } }>(
      (x) => x.type === 'settings',
    );
    expect(m.settings.serverAnalysis).toBe(true);
    const ts = await t.wait<{ type: string; settings: { serverAnalysis: boolean } }>(
      (x) => x.type === 'session_settings',
    );
    expect(ts.settings.serverAnalysis).toBe(true);
    student.close();
    t.close();
  });
});
