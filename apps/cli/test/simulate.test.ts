/** The simulator against a real server (embedded PGlite, real port, real Socket.IO). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io } from 'socket.io-client';
import { MESSAGE_EVENT, PROTOCOL_VERSION, type ServerToTeacherMessage } from '@smartsession/protocol';
import { startServer, type RunningServer } from '@smartsession/server';
import { simulateClass } from '../src/simulate.js';

describe('smartsession simulate', () => {
  let server: RunningServer;
  const dir = mkdtempSync(join(tmpdir(), 'ss-sim-'));
  beforeAll(async () => {
    server = await startServer({ port: 0, dataDir: dir, logLevel: 'silent' });
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('joins N students whose telemetry reaches the teacher and is acknowledged', async () => {
    const post = async (path: string, body: unknown, cookie?: string) => {
      const res = await fetch(server.url + path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
        body: JSON.stringify(body),
      });
      return {
        body: (await res.json()) as Record<string, string>,
        cookie: res.headers.get('set-cookie')?.split(';')[0],
      };
    };
    const auth = await post('/api/auth/signup', {
      email: 'sim@x.test',
      password: 'simulated class',
      name: 'T',
    });
    const session = await post('/api/sessions', { title: 'Sim' }, auth.cookie);
    const teacher = io(server.url, {
      auth: { role: 'teacher', protocol: PROTOCOL_VERSION, sessionId: session.body.id },
      extraHeaders: { cookie: auth.cookie! },
      transports: ['websocket'],
      forceNew: true,
    });
    const received: ServerToTeacherMessage[] = [];
    teacher.on(MESSAGE_EVENT, (m: ServerToTeacherMessage) => received.push(m));
    const sim = await simulateClass({
      url: server.url,
      code: session.body.joinCode.toLowerCase(),
      students: 3,
      rateHz: 5,
    });
    await expect.poll(() => sim.stats.acked, { timeout: 15_000 }).toBeGreaterThan(15);
    await sim.stop();
    teacher.disconnect();
    expect(sim.stats).toMatchObject({ joined: 3, errors: 0 });
    const samples = received.flatMap((m) => (m.type === 'samples' ? m.items : []));
    expect(new Set(samples.map((s) => s.participantId)).size).toBe(3);
    const statuses = received.flatMap((m) => (m.type === 'student' ? [m.student.status] : []));
    expect(statuses).toContain('calibrating');
  });
});
