/**
 * Issue 9: limits that cannot be walked around, on a real server (PGlite) over real sockets: per
 * participant rather than per socket, rows stored per second as well as messages, joins per class, size
 * checks on every packet (acked or not), and the wire's bounds (frame.file, since, seq spans). Also the
 * leftovers: logout ends the teacher's live connection.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '@smartsession/protocol';
import { startServer, type RunningServer } from '../src/index.js';
import { ROWS_BURST, ROWS_PER_SECOND } from '../src/live/limits.js';
import { Http, connect, studentAuth, teacherAuth, type Recorder } from './support/client.js';
import { classroom } from './support/fault-suite.js';
import { frame, telemetry } from './support/telemetry.js';

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
const codes = (r: Recorder) =>
  r.messages.filter((m) => m.type === 'error').map((m) => (m.error as { code: string }).code);

describe('limits and bounds on a real server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ss-limits-'));
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ port: 0, logLevel: 'silent', dataDir: dir, maxStudentsPerSession: 8 });
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('[issue 9 #6] reconnecting with the same token does not refill the message budget', async () => {
    const c = await classroom(server.url);
    const j = await c.join('Hopper');
    let seq = 0;
    const started = Date.now();
    let acked = 0;
    for (let round = 0; round < 6; round++) {
      const st = await connect(server.url, studentAuth(j.token));
      await st.wait((m) => m.type === 'welcome');
      // Past the burst at once, then drop the socket and come back: a per-socket bucket would refill.
      for (let i = 0; i < LIMITS.rateBurst + 20; i++)
        st.send(telemetry(++seq, i % 2 ? 'confused' : 'focused'));
      st.send({ type: 'telemetry', seq: ++seq });
      await st.wait((m) => m.type === 'error' && m.seq === seq);
      await wait(150);
      const acks = st.messages.filter((m) => m.type === 'ack').map((m) => m.seq as number);
      acked = Math.max(acked, ...acks);
      st.close();
    }
    const seconds = (Date.now() - started) / 1000;
    const stored = (await c.stored(j.participantId)).size;
    // Everything accepted fits one burst plus the sustained rate over the whole time, across six sockets.
    expect(stored).toBeLessThanOrEqual(LIMITS.rateBurst + Math.ceil(seconds * LIMITS.ratePerSecond) + 2);
    expect(stored).toBeGreaterThan(0);
  }, 60_000);

  it('[issue 9 #6] full batches of alternating statuses are held to the row budget', async () => {
    const c = await classroom(server.url);
    const j = await c.join('Flood');
    const st = await connect(server.url, studentAuth(j.token));
    await st.wait((m) => m.type === 'welcome');
    let seq = 0;
    const t0 = Date.now() - 60_000;
    const started = Date.now();
    while (Date.now() - started < 5000) {
      const items = [];
      for (let i = 0; i < LIMITS.maxBatchItems; i++) {
        seq++;
        items.push(telemetry(seq, seq % 2 ? 'confused' : 'focused', { t: t0 + seq }));
      }
      st.send({ type: 'batch', items });
      await wait(250);
    }
    const seconds = (Date.now() - started) / 1000;
    await wait(500);
    st.close();
    const exported = await c.h.get<{ samples: unknown[]; statusChanges: unknown[] }>(
      `/api/sessions/${c.session.id}/participants/${j.participantId}/export`,
    );
    const rows = exported.body.samples.length + exported.body.statusChanges.length;
    // The finding stored 22,800 rows in 10 s; the budget is a burst, the sustained rate, and at most one
    // batch (two rows an item) of overdraft.
    expect(rows).toBeLessThanOrEqual(ROWS_BURST + ROWS_PER_SECOND * seconds + 2 * LIMITS.maxBatchItems + 2);
    expect(codes(st)).toContain('RATE_LIMITED');
  }, 60_000);

  it('[issue 9 #6] a class takes a bounded number of students', async () => {
    const c = await classroom(server.url);
    for (let i = 0; i < 8; i++) await c.join(`S${i}`);
    const more = await new Http(server.url).post<{ error: { code: string } }>('/api/join', {
      code: c.session.joinCode,
      name: 'One too many',
    });
    expect(more.status).toBe(409);
    expect(more.body.error.code).toBe('CLASS_FULL');
  });

  it('[issue 9 #6] sizes are checked on every packet, with or without an ack callback', async () => {
    const c = await classroom(server.url);
    const j = await c.join('Big');
    const st = await connect(server.url, studentAuth(j.token));
    await st.wait((m) => m.type === 'welcome');
    const big = { ...telemetry(1), frame: { ...frame(0.2), pad: 'x'.repeat(20_000) } };
    st.socket.emit('msg', big, () => {}); // an ack callback changes the packet's framing
    await st.wait((m) => m.type === 'error' && m.seq === 1);
    expect(codes(st)).toEqual(['TOO_LARGE']);
    // 900 KB: over the hard limit, the connection is closed; nothing is stored, the server carries on.
    const closed = new Promise<string>((resolve) =>
      st.socket.once('disconnect', (reason) => resolve(reason)),
    );
    st.socket.emit('msg', { ...telemetry(2), reason: 'y'.repeat(900_000) }, () => {});
    expect(await closed).toBeTruthy();
    expect((await c.stored(j.participantId)).size).toBe(0);
    expect((await fetch(`${server.url}/livez`)).ok).toBe(true);
  });

  it('[issue 9 #6] frame.file, a since in 1970, times off the clock and seq jumps are refused with a reason', async () => {
    const c = await classroom(server.url);
    const j = await c.join('Odd');
    const st = await connect(server.url, studentAuth(j.token));
    await st.wait((m) => m.type === 'welcome');
    const now = Date.now();
    st.send({
      ...telemetry(1),
      frame: { ...frame(0.2), file: `data:image/jpeg;base64,${'A'.repeat(3600)}` },
    });
    st.send({ ...telemetry(2), since: 0 });
    st.send({ ...telemetry(3), t: now + 3 * 24 * 3600_000, since: now + 3 * 24 * 3600_000 });
    st.send({ type: 'batch', from: 1, items: [telemetry(4 + 250_000)] });
    st.send(telemetry(4));
    await st.wait((m) => m.type === 'ack' && (m.seq as number) >= 4);
    const errors = st.messages.filter((m) => m.type === 'error');
    expect(errors.map((m) => (m.error as { code: string }).code)).toEqual([
      'BAD_MESSAGE',
      'BAD_MESSAGE',
      'BAD_MESSAGE',
      'BAD_MESSAGE',
    ]);
    expect(JSON.stringify(errors)).toMatch(/frame/);
    expect(JSON.stringify(errors)).toMatch(/since/);
    expect(JSON.stringify(errors)).toMatch(/server clock/);
    expect(JSON.stringify(errors)).toMatch(/seq jumps/);
    const stored = await c.stored(j.participantId);
    expect([...stored]).toEqual([4]);
    st.close();
  });

  it('[issue 9 #5] seq-span attacks within the rate limit leave the server answering', async () => {
    const c = await classroom(server.url);
    const j = await c.join('Spanner');
    const ok = await c.join('Fine');
    const st = await connect(server.url, studentAuth(j.token));
    await st.wait((m) => m.type === 'welcome');
    let top = 0;
    for (let i = 0; i < 60; i++) {
      top += 199_999;
      st.send({ type: 'batch', from: 1, items: [telemetry(top)] });
    }
    st.send({ type: 'telemetry', seq: top + 1 });
    await st.wait((m) => m.type === 'error' && m.seq === top + 1, 20_000);
    const g = await connect(server.url, studentAuth(ok.token));
    await g.wait((m) => m.type === 'welcome');
    g.send(telemetry(1));
    await g.wait((m) => m.type === 'ack' && m.seq === 1);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    st.close();
    g.close();
  });

  it('[issue 9 #7] logging out ends the teacher live connection', async () => {
    const c = await classroom(server.url);
    const t = await connect(server.url, teacherAuth(c.session.id), c.h.cookie);
    await t.wait((m) => m.type === 'snapshot');
    const gone = new Promise<string>((resolve) => t.socket.once('disconnect', (reason) => resolve(reason)));
    expect((await c.h.post('/api/auth/logout')).status).toBe(200);
    expect(await gone).toBe('io server disconnect');
    await expect(connect(server.url, teacherAuth(c.session.id), c.h.cookie)).rejects.toMatchObject({
      data: { code: 'UNAUTHORIZED' },
    });
  });
});
