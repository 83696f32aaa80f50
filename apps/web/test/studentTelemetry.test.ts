/**
 * The student page's telemetry client (the same module the page runs) in Node against the real server
 * (port 0, PGlite in a temp folder), through a TCP proxy that cuts the link on a seeded random schedule.
 * Nothing may be lost: the server's acknowledged (stored, contiguous) seq reaches the last one sent, and a
 * fresh connection with the same token is welcomed with that same `lastSeq`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JoinResponse, type ReportedStatus } from '@smartsession/protocol';
import { startServer } from '@smartsession/server';
import { TelemetryClient, type TelemetryEvent } from '../src/student/telemetryClient.js';
import { CuttableProxy, TeacherWatch } from './studentFixtures.js';
import { rng } from '../../../test/support/random.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(pred: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe('student telemetry client over a flaky link', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  let proxy: CuttableProxy;
  let base: string;
  let dir: string;
  let teacher: TeacherWatch;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ss-student-telemetry-'));
    server = await startServer({ port: 0, dataDir: join(dir, 'data'), logLevel: 'warn' });
    proxy = new CuttableProxy(server.port);
    base = await proxy.listen();
    teacher = await TeacherWatch.open(server.url, 'support');
  });

  afterAll(async () => {
    teacher?.close();
    await proxy?.close();
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const joinAs = async (name: string): Promise<JoinResponse> => {
    const res = await fetch(`${server.url}/api/join`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: teacher.joinCode, name }),
    });
    return JoinResponse.parse(await res.json());
  };

  for (const seed of [1, 7]) {
    it(`[issue 4] seed ${seed}: random cuts lose no sequence number`, async () => {
      const rnd = rng(seed);
      const student = await joinAs(`Seed ${seed}`);
      const events: TelemetryEvent[] = [];
      const client = new TelemetryClient({ token: student.token, url: base, onEvent: (e) => events.push(e) });
      client.connect();
      const statuses: ReportedStatus[] = ['focused', 'confused', 'alert'];
      let status: ReportedStatus = 'calibrating';
      let since = Date.now();
      let cuts = 0;
      for (let step = 0; step < 30; step++) {
        if (rnd() < 0.25) {
          const next = statuses[Math.floor(rnd() * statuses.length)]!;
          if (next !== status) since = Date.now();
          status = next;
        }
        const t = Date.now();
        client.send({
          type: 'telemetry',
          t,
          status,
          alert: status === 'alert' ? 'GAZE_AWAY' : null,
          since,
          reason: null,
          frame: null,
        });
        if (rnd() < 0.1) client.send({ type: 'self_report', t, kind: rnd() < 0.5 ? 'lost' : 'resolved' });
        if (rnd() < 0.12) {
          proxy.cutLink();
          cuts++;
          await sleep(200 + rnd() * 1200);
          proxy.restore();
        }
        await sleep(100 + rnd() * 150);
      }
      const last = client.stats().lastSeq;
      await until(() => client.stats().lastAcked === last, 20_000, `ack of seq ${last} (cuts: ${cuts})`);
      expect(client.stats().thinned).toBe(0);
      expect(client.stats().pending).toBe(0);
      expect(cuts).toBeGreaterThan(0);
      client.close();

      // The server's own record: a new connection with the same token is welcomed at the last seq.
      let lastSeq = -1;
      const again = new TelemetryClient({
        token: student.token,
        url: server.url,
        onEvent: (e) => {
          if (e.type === 'welcome') lastSeq = e.welcome.lastSeq;
        },
      });
      again.connect();
      await until(() => lastSeq >= 0, 10_000, 'welcome');
      again.close();
      expect(lastSeq).toBe(last);
      expect(events.filter((e) => e.type === 'welcome').length).toBeGreaterThanOrEqual(cuts > 0 ? 2 : 1);
    }, 60_000);
  }

  it('a burst past the rate limit is re-sent after a back-off: every seq is stored', async () => {
    const student = await joinAs('Burst');
    const events: TelemetryEvent[] = [];
    const client = new TelemetryClient({
      token: student.token,
      url: server.url,
      onEvent: (e) => events.push(e),
    });
    client.connect();
    await until(() => client.stats().connected, 10_000, 'welcome');
    const t0 = Date.now();
    // 150 status changes at once (each one is stored); the server allows bursts of 60.
    for (let i = 0; i < 150; i++) {
      const status: ReportedStatus = i % 2 ? 'confused' : 'focused';
      client.send({
        type: 'telemetry',
        t: t0 + i,
        status,
        alert: null,
        since: t0 + i,
        reason: null,
        frame: null,
      });
    }
    const last = client.stats().lastSeq;
    await until(() => client.stats().lastAcked === last, 30_000, `ack of seq ${last}`);
    client.close();
    expect(events.some((e) => e.type === 'refused')).toBe(false);
    const exported = await teacher.http.call<{ samples: Array<{ seq: number }> }>(
      'GET',
      `/api/sessions/${teacher.sessionId}/participants/${student.participantId}/export`,
    );
    expect(exported.samples.map((x) => x.seq).sort((a, b) => a - b)).toEqual(
      Array.from({ length: last }, (_, i) => i + 1),
    );
  }, 60_000);

  it('[issue 4] an unknown token is refused with a reason and not retried', async () => {
    const events: TelemetryEvent[] = [];
    const client = new TelemetryClient({
      token: 'x'.repeat(32),
      url: server.url,
      onEvent: (e) => events.push(e),
    });
    client.connect();
    await until(() => events.some((e) => e.type === 'refused'), 10_000, 'refusal');
    const refused = events.find((e) => e.type === 'refused');
    expect(refused?.type === 'refused' && refused.error.code).toBe('INVALID_TOKEN');
    client.close();
  });
});
