/**
 * Seeded fuzz of the real live core: the hub, its gate, committer and rooms, driven through in-memory
 * links and an in-memory store with injected faults (storage outages, poisoned rows), with honest
 * students (the real protocol client: outbox, welcome, acks, hold/resume, back-off) and hostile ones
 * (out-of-range numbers, huge and malformed messages, seq jumps, floods) mixed in one class. Messages are
 * delayed, links drop (losing what is in flight), pages reload (losing their outbox) and time runs.
 *
 * Invariants, checked after every step:
 * - every seq an honest student saw acknowledged is stored with the values that student sent (or was
 *   refused to it by seq before the ack), so an ack always means stored;
 * - nothing invalid is ever stored (times far from the clock, `frame.file`, a `since` in 1970);
 * - acks never go backwards on a connection;
 * and at the end, once storage is up and everyone is connected, every honest student drains completely.
 * A failing seed is pinned in PINNED below with a name.
 */
import { describe, expect, it } from 'vitest';
import {
  LIMITS,
  StudentProtocolClient,
  type ServerToStudentMessage,
  type ServerToTeacherMessage,
  type UnsequencedTelemetry,
} from '@smartsession/protocol';
import type { ParticipantRow } from '../src/db/repository.js';
import { Hub, type StudentConnection } from '../src/live/hub.js';
import type { TeacherChannel } from '../src/live/links.js';
import { MemoryStore } from './support/memory-store.js';
import { rng } from './support/room.js';
import { frame } from './support/telemetry.js';

const SESSION = 's1';
const T0 = 1_800_000_000_000;
const DAY = 24 * 3600_000;

/** Seeds that once failed, kept as named regressions. */
const PINNED: Array<{ name: string; seed: number }> = [];

const silentLog = {
  error() {},
  warn() {},
  info() {},
  debug() {},
  trace() {},
  fatal() {},
  child() {
    return silentLog;
  },
} as unknown as ConstructorParameters<typeof Hub>[0]['log'];

interface Wire {
  up: unknown[];
  down: ServerToStudentMessage[];
  conn: StudentConnection | null;
  open: boolean;
  lastAck: number;
}

interface Honest {
  kind: 'honest';
  row: ParticipantRow;
  client: StudentProtocolClient;
  wire: Wire | null;
  /** Client clock offset from the server clock, ms. */
  skew: number;
  clientT: number;
  refused: Set<number>;
  /** Seqs acknowledged with the client time they carried (checked against the store). */
  acked: Array<{ seq: number; t: number }>;
}

interface Hostile {
  kind: 'hostile';
  row: ParticipantRow;
  wire: Wire | null;
  top: number;
}

function participant(id: string, number: number): ParticipantRow {
  return {
    id,
    sessionId: SESSION,
    name: `Student ${number}`,
    number,
    tokenHash: `h-${id}`,
    accommodations: {},
    createdAt: T0,
    lastSeq: 0,
    status: 'offline',
    alert: null,
    reason: null,
    statusSince: T0,
    connected: false,
    lastSeenAt: null,
    lostSince: null,
    clockOffset: null,
  };
}

function telemetryAt(t: number, r: () => number): UnsequencedTelemetry {
  const status = r() < 0.15 ? 'confused' : r() < 0.05 ? 'alert' : 'focused';
  return {
    type: 'telemetry',
    t,
    status,
    alert: status === 'alert' ? 'GAZE_AWAY' : null,
    since: t - Math.floor(r() * 5000),
    reason: null,
    frame: frame(status === 'confused' ? 0.8 : 0.2),
  };
}

/** One hostile message: something the server must refuse or absorb without harm. */
function hostileMessage(h: Hostile, now: number, r: () => number): unknown {
  const valid = (seq: number, extra: Record<string, unknown> = {}) => ({
    type: 'telemetry',
    seq,
    t: now,
    status: 'focused',
    alert: null,
    since: now,
    reason: null,
    frame: null,
    ...extra,
  });
  const pick = Math.floor(r() * 16);
  const next = ++h.top;
  switch (pick) {
    case 0:
      return valid(next, { t: 1e19 });
    case 1:
      return valid(next, { since: 0 });
    case 2:
      return valid(next, { t: now + 40 * DAY, since: now + 40 * DAY });
    case 3:
      return valid(next, { frame: { ...frame(0.3), file: `data:image/jpeg;base64,${'A'.repeat(3600)}` } });
    case 4:
      return valid(next, { reason: 'x'.repeat(5000) });
    case 5:
      h.top += 199_999;
      return { type: 'batch', from: 1, items: [valid(h.top)] };
    case 6:
      return valid(Number.MAX_SAFE_INTEGER);
    case 7:
      return valid(next, { frame: { ...frame(0.3), huge: 'y'.repeat(20_000) } });
    case 8:
      return ['not', 'an', 'object'];
    case 9:
      return { type: 'nope', seq: next };
    case 10: {
      // A full batch of alternating statuses: every item a status change (two rows each).
      const items = [];
      for (let i = 0; i < LIMITS.maxBatchItems; i++) {
        h.top++;
        items.push(
          valid(h.top, { t: now - 1000 + i, since: now - 1000 + i, status: i % 2 ? 'confused' : 'focused' }),
        );
      }
      return { type: 'batch', items };
    }
    case 11:
      return valid(next, { t: now - 3 * DAY, since: now - 3 * DAY });
    case 12:
      return valid(next - 5); // a duplicate or out of order
    case 13:
      return valid(next, { seq: 1.5 });
    case 14:
      return { type: 'self_report', seq: next, t: now, kind: r() < 0.5 ? 'lost' : 'resolved' };
    default:
      return valid(next, { t: now - 500, since: now - 200 });
  }
}

async function run(seed: number, steps: number) {
  const r = rng(seed);
  let now = T0;
  const store = new MemoryStore();
  store.addSession({
    id: SESSION,
    teacherId: 't1',
    title: 'Fuzz',
    joinCode: 'ABCDEFGH',
    mode: 'support',
    emotion: 'on',
    lookAwaySeconds: 4,
    anonymous: false,
    createdAt: T0,
    endedAt: null,
    participantCount: 0,
    serverAnalysis: false,
  });
  const teachers: TeacherChannel = {
    send: (_s: string, _m: ServerToTeacherMessage) => {},
    sendLocal: () => {},
    localSessions: () => [SESSION],
    watching: () => true,
    closeSession: () => {},
    closeAuth: () => {},
  };
  let ids = 0;
  const newHub = () =>
    new Hub({
      store,
      teachers,
      bus: null,
      log: silentLog,
      newId: () => `alert-${++ids}`,
      clock: () => now,
      maxPendingRows: 400,
    });
  let hub = newHub();
  const students: Array<Honest | Hostile> = [];
  const unlucky = 'p-2';
  for (let i = 1; i <= 6; i++) {
    const row = participant(`p-${i}`, i);
    store.addParticipant(row);
    if (i <= 4) {
      const s: Honest = {
        kind: 'honest',
        row,
        client: null as unknown as StudentProtocolClient,
        wire: null,
        skew: Math.floor((r() - 0.5) * 4 * 3600_000),
        clientT: 0,
        refused: new Set(),
        acked: [],
      };
      s.clientT = now + s.skew;
      s.client = newClient(s);
      students.push(s);
    } else students.push({ kind: 'hostile', row, wire: null, top: 0 });
  }
  // Rows of one honest student sometimes cannot be stored: they must be refused to it, never acked silently.
  const poisoned = (row: { participantId: string; seq: number | null }) =>
    row.participantId === unlucky && row.seq !== null && row.seq % 23 === 0;

  function newClient(s: Honest): StudentProtocolClient {
    s.refused = new Set();
    return new StudentProtocolClient(
      (payload) => {
        if (s.wire?.open) s.wire.up.push(payload);
      },
      (e) => {
        if (e.type === 'refused' && e.seq !== undefined) s.refused.add(e.seq);
      },
    );
  }

  async function connect(s: Honest | Hostile) {
    const wire: Wire = { up: [], down: [], conn: null, open: true, lastAck: 0 };
    s.wire = wire;
    const link = {
      send: (m: ServerToStudentMessage) => {
        if (wire.open) wire.down.push(structuredClone(m));
      },
      close: () => {
        wire.open = false;
      },
    };
    if (s.kind === 'honest') s.client.connected();
    wire.conn = await hub.studentConnected(link, s.row);
  }

  async function disconnect(s: Honest | Hostile) {
    const w = s.wire;
    if (!w) return;
    w.open = false;
    s.wire = null;
    if (s.kind === 'honest') s.client.disconnected();
    w.conn?.closed();
  }

  /** Delivers up to `n` upstream messages of a student (in order). */
  async function deliverUp(s: Honest | Hostile, n: number) {
    const w = s.wire;
    if (!w?.conn) return;
    for (let i = 0; i < n && w.up.length > 0; i++) {
      const m = w.up.shift();
      w.conn.message(m, Buffer.byteLength(JSON.stringify(m)));
    }
  }

  function checkAcked(s: Honest) {
    for (const { seq, t } of s.acked) {
      const row = store.samples.get(`${s.row.id}:${seq}`);
      if (!row && s.refused.has(seq)) continue;
      // Refused for its data by the server; the notice may not reach the student when the server
      // restarts before it reconnects (docs/protocol.md), but nothing acknowledged was silently dropped.
      if (!row && store.poisoned.has(`${s.row.id}:${seq}`)) continue;
      if (!row || row.ct !== Math.round(t))
        throw new Error(
          `seed ${seed}: ${s.row.id} seq ${seq} acknowledged but ${row ? `stored with ct ${row.ct} not ${t}` : 'not stored'}`,
        );
    }
    s.acked = [];
  }

  function deliverDown(s: Honest | Hostile, n: number) {
    const w = s.wire;
    if (!w) return;
    for (let i = 0; i < n && w.down.length > 0; i++) {
      const m = w.down.shift()!;
      if (m.type === 'ack') {
        if (m.seq < w.lastAck) throw new Error(`seed ${seed}: ack went back from ${w.lastAck} to ${m.seq}`);
        w.lastAck = m.seq;
      }
      if (s.kind !== 'honest') continue;
      // What the outbox held before this message, with the values each seq carried.
      const held = s.client.outbox.pending().filter((p) => p.type === 'telemetry');
      s.client.receive(m, now);
      // Dropped by this message = acknowledged (a fresh welcome renumbers entries but drops none).
      const still = new Set(s.client.outbox.pending().map((p) => p.t));
      for (const p of held) if (!still.has(p.t)) s.acked.push({ seq: p.seq, t: p.t });
      checkAcked(s);
    }
  }

  function produce(s: Honest) {
    s.clientT += 1000; // one client second per message: every sample is stored (no downsampling)
    if (r() < 0.03)
      s.client.push({ type: 'self_report', t: s.clientT, kind: r() < 0.5 ? 'lost' : 'resolved' });
    else s.client.push(telemetryAt(s.clientT, r));
  }

  function checkStoredValid() {
    for (const row of store.samples.values()) {
      if (row.t < T0 - DAY - 1 || row.t > now + 1)
        throw new Error(`seed ${seed}: sample t ${row.t} outside the window`);
      if (Math.abs(row.ct - row.t) > DAY)
        throw new Error(`seed ${seed}: sample ct ${row.ct} a day off t ${row.t}`);
      if (row.frame && 'file' in row.frame) throw new Error(`seed ${seed}: frame.file stored`);
    }
    for (const c of store.statusChanges)
      if (c.t < T0 - DAY - 1 || c.t > now + 1) throw new Error(`seed ${seed}: status change at ${c.t}`);
  }

  for (const s of students) await connect(s);

  for (let step = 0; step < steps; step++) {
    const x = r();
    const s = students[Math.floor(r() * students.length)]!;
    if (x < 0.3) {
      if (s.kind === 'honest') produce(s);
      else if (s.wire) s.wire.up.push(hostileMessage(s, now, r));
    } else if (x < 0.5) await deliverUp(s, 1 + Math.floor(r() * 4));
    else if (x < 0.65) deliverDown(s, 1 + Math.floor(r() * 4));
    else if (x < 0.75) {
      now += Math.floor(r() * 600);
      store.poison = r() < 0.3 ? poisoned : null;
      await hub.tick();
    } else if (x < 0.82) {
      now += Math.floor(r() * 3000);
      for (const h of students) if (h.kind === 'honest') h.client.tick(now);
    } else if (x < 0.86) {
      store.down = r() < 0.5;
    } else if (x < 0.92) {
      if (s.wire) await disconnect(s);
      else await connect(s);
    } else if (x < 0.94 && s.kind === 'honest') {
      // The page reloads: the outbox is gone; the same token joins again.
      await disconnect(s);
      s.client = newClient(s);
      await connect(s);
    } else if (x < 0.945) {
      // The server process dies: what it had not committed is gone (never acknowledged), its live rows
      // lag behind the acks it sent; a new one starts on the same storage and everybody reconnects.
      for (const h of students) {
        if (h.wire) h.wire.open = false;
        h.wire = null;
        if (h.kind === 'honest') h.client.disconnected();
      }
      hub = newHub();
    }
    checkStoredValid();
  }

  // Quiesce: storage up, poison gone, everyone connected; every honest student must drain.
  store.down = false;
  store.poison = null;
  for (const s of students) if (!s.wire) await connect(s);
  for (let round = 0; round < 400; round++) {
    now += 1000;
    for (const s of students) {
      if (s.kind === 'honest') s.client.tick(now);
      await deliverUp(s, 1000);
    }
    await hub.tick();
    for (const s of students) deliverDown(s, 1000);
    const done = students.every((s) => s.kind !== 'honest' || s.client.outbox.size === 0);
    if (done) break;
  }
  for (const s of students) {
    if (s.kind !== 'honest') continue;
    expect(s.client.outbox.size, `seed ${seed}: ${s.row.id} did not drain`).toBe(0);
    checkAcked(s);
  }
  checkStoredValid();
  return { commits: store.commits, samples: store.samples.size };
}

describe('hub fuzz (real hub, gate, committer and rooms; in-memory links and store with faults)', () => {
  for (const p of PINNED) it(`pinned: ${p.name} (seed ${p.seed})`, () => run(p.seed, 3000));

  it('seeded runs: every ack means stored, nothing invalid stored, everyone drains', async () => {
    let samples = 0;
    for (let seed = 1; seed <= 12; seed++) samples += (await run(seed, 2500)).samples;
    expect(samples).toBeGreaterThan(1000);
  }, 120_000);
});
