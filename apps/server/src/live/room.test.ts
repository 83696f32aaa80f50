import { describe, expect, it } from 'vitest';
import type { FrameResult, SessionSettings } from '@smartsession/protocol';
import { participantRow } from '../../test/support/room.js';
import { telemetry } from '../../test/support/telemetry.js';
import { LIVE_WRITE_MS, MAX_SEQ_AHEAD, SessionRoom, STORE_INTERVAL_MS } from './room.js';

const settings: SessionSettings = { mode: 'exam', emotion: 'on', lookAwaySeconds: 4, anonymous: false };

let ids = 0;
const newId = () => `a${++ids}`;

function room(s: Partial<SessionSettings> = {}) {
  const r = new SessionRoom('s1', { ...settings, ...s }, null, newId);
  r.load(participantRow('p1', 1));
  r.load(participantRow('p2', 2));
  return r;
}

describe('SessionRoom', () => {
  it('refuses a seq that jumps too far ahead, so one message cannot stall gap bookkeeping', () => {
    const r = room();
    r.connect('p1', 0);
    r.ingest('p1', telemetry(1, 'focused', { t: 0 }), 0);
    expect(r.check('p1', telemetry(1 + MAX_SEQ_AHEAD, 'focused', { t: 10 }), 10)).toBeNull();
    expect(r.check('p1', telemetry(2 + MAX_SEQ_AHEAD, 'focused', { t: 10 }), 10)).toMatch(/seq jumps/);
    expect(r.check('p1', telemetry(Number.MAX_SAFE_INTEGER, 'focused', { t: 10 }), 10)).toMatch(/seq jumps/);
    const batch = {
      type: 'batch' as const,
      items: [telemetry(2, 'focused', { t: 20 }), telemetry(9e15, 'focused', { t: 30 })],
    };
    expect(r.check('p1', batch, 30)).toMatch(/seq jumps/);
  });

  it('takes the least delayed live message as the clock offset, and follows a reset clock within the window', () => {
    const r = room();
    r.connect('p1', 0);
    const skew = 5000; // the device clock is 5 s slow
    // Arrival delays 300, 40, 900 ms: the offset is the 40 ms one, not the latest.
    r.ingest('p1', telemetry(1, 'focused', { t: 10_000 - skew }), 10_300);
    r.ingest('p1', telemetry(2, 'focused', { t: 11_000 - skew }), 11_040);
    r.ingest('p1', telemetry(3, 'focused', { t: 12_000 - skew }), 12_900);
    expect(r.students.get('p1')!.clockOffset).toBe(skew + 40);
    // The device clock is corrected (now right): after the window the new offset wins.
    r.ingest('p1', telemetry(4, 'focused', { t: 30_000 }), 30_050);
    expect(r.students.get('p1')!.clockOffset).toBe(50);
  });

  it('refuses times outside the window around the server clock, live and replayed', () => {
    const now = 1_800_000_000_000;
    const r = room();
    r.connect('p1', now);
    const day = 24 * 3600_000;
    expect(r.check('p1', telemetry(1, 'focused', { t: now - day + 1 }), now)).toBeNull();
    expect(r.check('p1', telemetry(1, 'focused', { t: now + day + 1 }), now)).toMatch(/server clock/);
    expect(r.check('p1', telemetry(1, 'focused', { t: 1e19 }), now)).toMatch(/server clock/);
    r.ingest('p1', telemetry(1, 'focused', { t: now - 3600_000 }), now); // device 1 h slow
    const old = {
      type: 'batch' as const,
      items: [telemetry(2, 'focused', { t: now - 3600_000 - day - 10 })],
    };
    expect(r.check('p1', old, now)).toMatch(/item 2/);
    const fine = {
      type: 'batch' as const,
      items: [telemetry(2, 'focused', { t: now - 3600_000 - day + 10 })],
    };
    expect(r.check('p1', fine, now)).toBeNull();
  });

  it('keeps the latest frame in an object of its own, never the one in the message: a stored row is not changed by later frames', () => {
    const r = room();
    r.connect('p1', 1000, true);
    const m1 = telemetry(1, 'focused', { t: 1000, score: 0.2 });
    r.ingest('p1', m1, 1000);
    const kept = r.students.get('p1')!.frame;
    // Holding the message's frame kept every message's objects alive a quarter second: see frame-slot.ts.
    expect(kept).not.toBe(m1.frame);
    expect(kept).toEqual(m1.frame);
    const m2 = telemetry(2, 'confused', { t: 1250, score: 0.8 });
    r.ingest('p1', m2, 1250);
    expect(r.students.get('p1')!.frame).toBe(kept);
    expect(r.view(r.students.get('p1')!).frame).toEqual(m2.frame);
    const rows = r.takeWrites(1250).samples.filter((w) => w.participantId === 'p1');
    expect(rows.map((w) => (JSON.parse(w.frame!) as FrameResult).confusion_score)).toEqual([0.2, 0.8]);
  });

  it('queues a stored sample with its frame as JSON text, holding none of the message objects', () => {
    // A row waits up to FLUSH_MS for its commit: see SampleWrite.frame in records.ts.
    const r = room();
    r.connect('p1', 1000, true);
    const m = telemetry(1, 'confused', { t: 1000, score: 0.7 });
    r.ingest('p1', m, 1000);
    const [row] = r.takeWrites(1000).samples;
    expect(typeof row!.frame).toBe('string');
    expect(JSON.parse(row!.frame!)).toEqual(m.frame);
  });

  it('tracks status changes, opens an alert on `alert` and closes it when the condition ends', () => {
    const r = room();
    r.connect('p1', 1000);
    expect(r.students.get('p1')!.status).toBe('no-signal');
    let res = r.ingest('p1', telemetry(1, 'focused', { t: 1000 }), 1000);
    expect(res.events).toEqual([{ type: 'student', participantId: 'p1' }]);
    res = r.ingest('p1', telemetry(2, 'focused', { t: 1250 }), 1250);
    expect(res.events).toEqual([]);
    res = r.ingest('p1', telemetry(3, 'alert', { t: 1500, alert: 'GAZE_AWAY' }), 1500);
    const opened = res.events.find((e) => e.type === 'alert');
    expect(opened).toMatchObject({
      alert: { kind: 'proctor', code: 'GAZE_AWAY', startedAt: 1500, endedAt: null },
    });
    res = r.ingest('p1', telemetry(4, 'alert', { t: 1750, alert: 'MULTIPLE_PEOPLE' }), 1750);
    const alerts = res.events.filter((e) => e.type === 'alert');
    expect(alerts).toHaveLength(2);
    expect(alerts[0]).toMatchObject({ alert: { code: 'GAZE_AWAY', endedAt: 1750 } });
    expect(alerts[1]).toMatchObject({ alert: { code: 'MULTIPLE_PEOPLE', endedAt: null } });
    res = r.ingest('p1', telemetry(5, 'focused', { t: 2000 }), 2000);
    expect(res.events.find((e) => e.type === 'alert')).toMatchObject({
      alert: { code: 'MULTIPLE_PEOPLE', endedAt: 2000 },
    });
    const w = r.takeWrites(Date.now());
    expect(w.statusChanges.map((c) => c.status)).toEqual([
      'no-signal',
      'focused',
      'alert',
      'alert',
      'focused',
    ]);
    expect(w.alerts.map((a) => [a.code, a.endedAt])).toEqual([
      ['GAZE_AWAY', 1750],
      ['MULTIPLE_PEOPLE', 2000],
    ]);
    expect(w.acks.get('p1')).toBe(5);
    expect(w.acks.has('p2')).toBe(false);
  });

  it('ignores duplicates, acknowledges only the contiguous seq, and accepts gaps a batch declares thinned', () => {
    const r = room();
    r.connect('p1', 0);
    r.ingest('p1', telemetry(1, 'focused', { t: 0 }), 0);
    r.ingest('p1', telemetry(3, 'focused', { t: 2000 }), 2000);
    expect(r.ingest('p1', telemetry(1, 'focused', { t: 0 }), 2100)).toMatchObject({
      accepted: 0,
      duplicates: 1,
    });
    expect(r.takeWrites(2100).acks.get('p1')).toBe(1);
    r.ingest(
      'p1',
      {
        type: 'batch',
        from: 2,
        items: [telemetry(3, 'focused', { t: 2000 }), telemetry(5, 'focused', { t: 4000 })],
      },
      4100,
    );
    // The ack follows the data at once; without a status change the live row waits for LIVE_WRITE_MS.
    const w = r.takeWrites(2500);
    expect(w.acks.get('p1')).toBe(5);
    expect(w.participants).toEqual([]);
    r.committed(w.acks);
    const later = r.takeWrites(2100 + LIVE_WRITE_MS);
    expect(later.acks.has('p1')).toBe(false);
    expect(later.participants.map((p) => [p.id, p.lastSeq])).toEqual([['p1', 5]]);
  });

  it('stores about one sample per second but every status change, and fans out every sample', () => {
    const r = room();
    r.connect('p1', 0);
    for (let i = 0; i < 40; i++)
      r.ingest('p1', telemetry(i + 1, i === 21 ? 'confused' : 'focused', { t: i * 250 }), i * 250);
    const w = r.takeWrites(Date.now());
    expect(r.takeSamples()).toHaveLength(40);
    const ts = w.samples.map((s) => s.ct);
    for (let i = 1; i < ts.length; i++) {
      const changed = w.samples[i]!.status !== w.samples[i - 1]!.status;
      if (!changed) expect(ts[i]! - ts[i - 1]!).toBeGreaterThanOrEqual(Math.min(STORE_INTERVAL_MS, 250));
    }
    expect(w.samples.length).toBeGreaterThanOrEqual(10);
    expect(w.samples.length).toBeLessThanOrEqual(14);
    expect(w.samples.some((s) => s.status === 'confused')).toBe(true);
  });

  it('self-reports open and close a self_report alert; disconnect makes the student offline', () => {
    const r = room({ anonymous: true });
    r.connect('p2', 0);
    const res = r.ingest('p2', { type: 'self_report', seq: 1, t: 10, kind: 'lost' }, 10);
    expect(res.events[0]).toMatchObject({ type: 'alert', alert: { kind: 'self_report', code: null } });
    expect(r.students.get('p2')!.lostSince).toBe(10);
    r.ingest('p2', { type: 'self_report', seq: 2, t: 20, kind: 'resolved' }, 20);
    expect(r.students.get('p2')!.lostSince).toBeNull();
    r.disconnect('p2', 30);
    const v = r.view(r.students.get('p2')!);
    expect(v).toMatchObject({ name: 'Student 2', status: 'offline', connected: false });
  });

  it('emotion off: nothing emotion-shaped is kept or shown', () => {
    const r = room({ emotion: 'off' });
    r.connect('p1', 0);
    r.ingest('p1', telemetry(1, 'focused', { t: 0 }), 0);
    const v = r.view(r.students.get('p1')!);
    expect(v.frame).toMatchObject({
      emotion: null,
      happy_prob: null,
      signals: { happy: null },
      contributions: { happy: null },
    });
    expect(JSON.parse(r.takeWrites(Date.now()).samples[0]!.frame!)).toMatchObject({
      emotion: null,
      happy_prob: null,
    });
  });

  it('[issue 11] emotion on for the session, but only the students who agreed keep emotion fields', () => {
    const r = room({ emotion: 'on' });
    r.connect('p1', 0, true);
    r.connect('p2', 0); // never agreed (or joined while emotion was off)
    r.ingest('p1', telemetry(1, 'focused', { t: 0 }), 0);
    r.ingest('p2', telemetry(1, 'focused', { t: 0 }), 0);
    expect(r.view(r.students.get('p1')!).frame?.contributions?.happy).not.toBeNull();
    expect(r.view(r.students.get('p2')!).frame).toMatchObject({
      emotion: null,
      happy_prob: null,
      contributions: { happy: null },
    });
    const stored = r.takeWrites(Date.now()).samples;
    expect(JSON.parse(stored.find((x) => x.participantId === 'p2')!.frame!)).toMatchObject({
      emotion: null,
      happy_prob: null,
    });
  });

  it('[issue 11] ending the session closes every open alert and "I\'m lost" press at the end time', () => {
    const r = room();
    r.connect('p1', 0);
    r.connect('p2', 0);
    r.ingest('p1', telemetry(1, 'alert', { t: 100, alert: 'GAZE_AWAY' }), 100);
    r.ingest('p2', { type: 'self_report', seq: 1, t: 200, kind: 'lost' }, 200);
    expect(r.openAlerts()).toHaveLength(2);
    const events = r.end(5000);
    expect(r.openAlerts()).toEqual([]);
    const ended = events.flatMap((e) => (e.type === 'alert' ? [e.alert] : []));
    expect(ended.map((a) => [a.kind, a.endedAt])).toEqual([
      ['proctor', 5000],
      ['self_report', 5000],
    ]);
    expect(r.students.get('p2')!.lostSince).toBeNull();
    expect(r.takeWrites(Date.now()).alerts.every((a) => a.endedAt === 5000)).toBe(true);
  });

  it('crash leftovers go offline at their last-seen time; reconnects keep gaps refused for rate and the clock offset', () => {
    const r = new SessionRoom('s1', settings, null, newId);
    r.load({
      ...participantRow('p1', 1, 4),
      status: 'focused',
      connected: true,
      statusSince: 100,
      lastSeenAt: 900,
    });
    r.recoverOffline('p1', true);
    expect(r.takeWrites(Date.now()).statusChanges).toMatchObject([{ status: 'offline', t: 900 }]);
    expect(r.recoverOffline('p1', false)).toEqual([]);

    r.connect('p1', 1000);
    r.ingest('p1', telemetry(5, 'focused', { t: 1000 - 5000 }), 1000); // client clock 5 s slow
    r.hold('p1', [6, 7], 'RATE_LIMITED');
    r.ingest('p1', telemetry(8, 'confused', { t: 1100 - 5000 }), 1100);
    r.disconnect('p1', 1200);
    r.connect('p1', 2000);
    expect(r.students.get('p1')!.seq.contiguous).toBe(5);
    r.ingest(
      'p1',
      {
        type: 'batch',
        items: [telemetry(6, 'focused', { t: 1040 - 5000 }), telemetry(7, 'alert', { t: 1060 - 5000 })],
      },
      2000,
    );
    expect(r.students.get('p1')!.seq.contiguous).toBe(8);
    const stamped = r
      .takeWrites(Date.now())
      .samples.filter((x) => x.seq === 6 || x.seq === 7)
      .map((x) => x.t);
    expect(stamped).toEqual([1040, 1060]);
  });
});
