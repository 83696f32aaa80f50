/**
 * Issue 15: the 250 ms sample fan-out of a big class goes out in slices, one `samples` message per turn of
 * the event loop, so that status changes arriving meanwhile are not held behind one large encoding; every
 * item still reaches the teachers once, in order. Drives the real hub (real timers) on the in-memory store.
 */
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { SamplesMessage, ServerToTeacherMessage } from '@smartsession/protocol';
import type { ParticipantRow } from '../src/db/repository.js';
import { Hub } from '../src/live/hub.js';
import type { TeacherChannel } from '../src/live/links.js';
import { MemoryStore } from './support/memory-store.js';
import { telemetry } from './support/telemetry.js';

const SESSION = 's1';
const STUDENTS = 1200;

function participant(n: number, now: number): ParticipantRow {
  return {
    id: `p-${n}`,
    sessionId: SESSION,
    name: `Student ${n}`,
    number: n,
    tokenHash: `h-${n}`,
    accommodations: {},
    createdAt: now,
    lastSeq: 0,
    status: 'offline',
    alert: null,
    reason: null,
    statusSince: now,
    connected: false,
    lastSeenAt: null,
    lostSince: null,
    clockOffset: null,
  };
}

describe('sample fan-out', () => {
  it('[issue 15] a class of 1,200 gets its samples in slices of at most 500, each item once and in order', async () => {
    const now = Date.now();
    const store = new MemoryStore();
    store.addSession({
      id: SESSION,
      teacherId: 't1',
      title: 'Big class',
      joinCode: 'ABCDEFGH',
      mode: 'support',
      emotion: 'on',
      lookAwaySeconds: 4,
      anonymous: false,
      createdAt: now,
      endedAt: null,
      participantCount: 0,
      serverAnalysis: false,
    });
    const sent: Array<{ msg: SamplesMessage; turn: number }> = [];
    let turn = 0;
    const teachers: TeacherChannel = {
      send: (_s: string, m: ServerToTeacherMessage) => {
        if (m.type === 'samples') sent.push({ msg: m, turn });
      },
      sendLocal: () => {},
      localSessions: () => [SESSION],
      watching: () => true,
      closeSession: () => {},
      closeAuth: () => {},
    };
    const hub = new Hub({ store, teachers, bus: null, log: pino({ level: 'silent' }), newId: () => 'a' });
    const connections = [];
    for (let n = 1; n <= STUDENTS; n++) {
      const row = participant(n, now);
      store.addParticipant(row);
      const c = await hub.studentConnected({ send: () => {}, close: () => {} }, row);
      connections.push(c!);
    }
    for (let seq = 1; seq <= 2; seq++)
      for (const c of connections) c.message(telemetry(seq, 'focused', { t: now + seq }), 300);
    // Count turns of the event loop while the timers run (an immediate queued from an immediate runs in
    // the next turn).
    let counting = true;
    const count = () => {
      turn++;
      if (counting) setImmediate(count);
    };
    setImmediate(count);
    hub.start();
    await new Promise((r) => setTimeout(r, 700));
    counting = false;
    await hub.close();

    const items = sent.flatMap((s) => s.msg.items);
    expect(items).toHaveLength(STUDENTS * 2);
    expect(Math.max(...sent.map((s) => s.msg.items.length))).toBeLessThanOrEqual(500);
    expect(sent.length).toBeGreaterThanOrEqual(5);
    // Not all in one turn.
    expect(new Set(sent.map((s) => s.turn)).size).toBeGreaterThan(1);
    for (let n = 1; n <= STUDENTS; n++) {
      const seqs = items.filter((i) => i.participantId === `p-${n}`).map((i) => i.ct);
      expect(seqs).toEqual([now + 1, now + 2]);
    }
  });
});
