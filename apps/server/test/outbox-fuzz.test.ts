/**
 * Seeded fuzz of the student outbox against the server's ingest core (SessionRoom): random
 * disconnects that lose in-flight messages and acks, offline stretches long enough to thin the outbox,
 * page reloads that lose the outbox, and commits at random times. Any failing seed gets pinned below.
 */
import { describe, expect, it } from 'vitest';
import { Outbox, type BatchMessage, type SequencedMessage } from '@smartsession/protocol';
import { SessionRoom } from '../src/live/room.js';
import { participantRow, rng } from './support/room.js';
import { telemetry } from './support/telemetry.js';

const PINNED_SEEDS: number[] = [];

function run(seed: number) {
  const rand = rng(seed);
  const room = new SessionRoom(
    's1',
    { mode: 'support', emotion: 'on', lookAwaySeconds: 4, anonymous: false },
    null,
  );
  room.load(participantRow('p1', 1));
  let outbox = new Outbox({ maxItems: 60, maxBatchItems: 25 });
  const important = new Set<number>();
  const storedSeqs: number[] = [];
  let statusChanges = 0;
  let connected = true;
  let acked = 0;
  let now = 1_000_000;
  let wire: Array<SequencedMessage | BatchMessage> = []; // client → server, in order
  let acksOnWire: number[] = [];
  let statusIdx = 0;
  const statuses = ['focused', 'confused', 'alert', 'focused'] as const;
  room.connect('p1', now);

  const processed = new Set<number>();
  let lastPushedStatus: string | null = null;
  const deliver = () => {
    const seq = room.students.get('p1')!.seq;
    for (const m of wire) {
      for (const item of m.type === 'batch' ? m.items : [m]) if (!seq.has(item.seq)) processed.add(item.seq);
      room.ingest('p1', m, now);
    }
    wire = [];
  };
  const commit = () => {
    const w = room.takeWrites(now);
    storedSeqs.push(...w.samples.map((s) => s.seq));
    statusChanges += w.statusChanges.length;
    const a = w.acks.get('p1');
    if (a !== undefined) {
      expect(a).toBeGreaterThanOrEqual(acked);
      acked = a;
      room.students.get('p1')!.ackedSeq = a;
      if (connected) acksOnWire.push(a);
    }
  };
  const reconnect = () => {
    connected = true;
    room.connect('p1', now);
    commit(); // the server commits before its welcome
    outbox.resume(room.students.get('p1')!.ackedSeq);
    wire.push(...outbox.replay());
  };

  for (let step = 0; step < 400; step++) {
    now += 250;
    const r = rand();
    if (r < 0.05) statusIdx = (statusIdx + 1) % statuses.length;
    if (r > 0.97) {
      const m = outbox.push({ type: 'self_report', t: now, kind: rand() < 0.5 ? 'lost' : 'resolved' });
      important.add(m.seq);
      if (connected) wire.push(m);
    } else {
      const status = statuses[statusIdx]!;
      const { seq: _seq, ...body } = telemetry(0, status, { t: now, alert: 'GAZE_AWAY' });
      const m = outbox.push(body);
      if (status !== lastPushedStatus) important.add(m.seq);
      lastPushedStatus = status;
      if (connected) wire.push(m);
    }
    if (connected && rand() < 0.7) deliver();
    if (rand() < 0.3) commit();
    if (connected && rand() < 0.8) {
      for (const a of acksOnWire) outbox.ack(a);
      acksOnWire = [];
    }
    if (connected && rand() < 0.02) {
      // Disconnect: whatever is on the wire either way is lost.
      connected = false;
      wire = [];
      acksOnWire = [];
      room.disconnect('p1', now);
      if (rand() < 0.2) {
        // Page reload: the outbox is gone, the server's lastSeq continues the numbering.
        for (const m of outbox.pending()) important.delete(m.seq); // lost with the page, by design
        outbox = new Outbox({ maxItems: 60, maxBatchItems: 25 });
        lastPushedStatus = null;
      }
    } else if (!connected && rand() < 0.05) reconnect();
  }
  if (!connected) reconnect();
  for (let i = 0; i < 3; i++) {
    now += 1000;
    deliver();
    commit();
    for (const a of acksOnWire) outbox.ack(a);
    acksOnWire = [];
  }
  return { outbox, storedSeqs, acked, statusChanges, important, processed };
}

describe('outbox + server de-duplication (seeded fuzz)', () => {
  const seeds = [...PINNED_SEEDS, ...Array.from({ length: 150 }, (_, i) => i + 1)];
  it.each(seeds)('seed %i: nothing stored twice, everything acknowledged, the outbox drains', (seed) => {
    const { outbox, storedSeqs, acked, important, processed } = run(seed);
    for (const seq of important)
      expect(processed.has(seq), `status change / self-report ${seq} lost`).toBe(true);
    expect(new Set(storedSeqs).size).toBe(storedSeqs.length);
    expect(outbox.size).toBe(0);
    expect(acked).toBe(outbox.lastSeq);
  });
});
