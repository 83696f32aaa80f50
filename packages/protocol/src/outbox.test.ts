import { describe, expect, it } from 'vitest';
import { okFrame } from '../../../test/support/frames.js';
import { BatchMessage, LIMITS, Outbox, type FrameResult, type UnsequencedTelemetry } from './index.js';

/** A full, valid frame (about 300 bytes of JSON). */
const full = (): FrameResult => okFrame();

const sample = (
  t: number,
  status: UnsequencedTelemetry['status'] = 'focused',
  frame: FrameResult | null = null,
) => ({ type: 'telemetry', t, status, alert: null, since: t, reason: null, frame }) as UnsequencedTelemetry;

describe('Outbox', () => {
  it('numbers messages from 1 and forgets what the server acknowledged', () => {
    const o = new Outbox();
    expect([
      o.push(sample(1)).seq,
      o.push(sample(2)).seq,
      o.push({ type: 'self_report', t: 3, kind: 'lost' }).seq,
    ]).toEqual([1, 2, 3]);
    o.ack(2);
    expect(o.lastAcked).toBe(2);
    expect(o.pending().map((m) => m.seq)).toEqual([3]);
    o.ack(1); // stale ack: no effect
    expect(o.lastAcked).toBe(2);
    o.ack(99); // never beyond what was assigned
    expect(o.lastAcked).toBe(3);
    expect(o.size).toBe(0);
  });

  it('stays bounded by thinning the oldest plain samples; status changes and self-reports are never dropped', () => {
    const o = new Outbox({ maxItems: 100 });
    const kept: number[] = [];
    for (let i = 0; i < 1000; i++) {
      if (i % 50 === 0) kept.push(o.push(sample(i, i % 100 === 0 ? 'confused' : 'focused')).seq);
      else if (i % 77 === 0) kept.push(o.push({ type: 'self_report', t: i, kind: 'lost' }).seq);
      else o.push(sample(i, i % 100 < 50 ? 'confused' : 'focused'));
    }
    expect(o.size).toBeLessThanOrEqual(100);
    const seqs = o.pending().map((m) => m.seq);
    for (const s of kept) expect(seqs).toContain(s);
    // The newest messages are all still there; the thinning hit the old ones.
    expect(seqs.slice(-20)).toEqual(Array.from({ length: 20 }, (_, i) => 981 + i));
    expect(o.thinned).toBe(1000 - o.size);
  });

  it('replays everything unacknowledged in valid batches within the limits, with `from` covering thinned gaps', () => {
    // A byte limit far below the default, so batches fill up by bytes before they do by items.
    const o = new Outbox({ maxItems: 5000, maxBatchBytes: 40_000 });
    for (let i = 0; i < 2000; i++) o.push(sample(i, 'focused', full()));
    o.ack(10);
    const batches = o.replay();
    expect(batches.length).toBeGreaterThan(1);
    let expectFrom = 11;
    for (const b of batches) {
      expect(BatchMessage.safeParse(b).success).toBe(true);
      expect(b.items.length).toBeLessThanOrEqual(LIMITS.maxBatchItems);
      expect(Buffer.byteLength(JSON.stringify(b))).toBeLessThanOrEqual(40_000);
      expect(b.from).toBe(expectFrom);
      expectFrom = b.items[b.items.length - 1]!.seq + 1;
    }
    expect(batches.flatMap((b) => b.items.map((m) => m.seq))).toEqual(o.pending().map((m) => m.seq));
  });

  it('resume(lastSeq) after a reload continues numbering above what the server stored', () => {
    const o = new Outbox();
    o.push(sample(1));
    o.resume(41);
    expect(o.pending().map((m) => m.seq)).toEqual([42]);
    expect(o.push(sample(2)).seq).toBe(43);
    const p = new Outbox();
    p.resume(0);
    p.push(sample(1));
    p.push(sample(2));
    p.resume(1); // a later welcome is a reconnect: it acknowledges
    expect(p.pending().map((m) => m.seq)).toEqual([2]);
  });
});
