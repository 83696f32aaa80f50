/** The benchmark lesson: 30 students x 1 hour written through the real ingestion core. */
import { randomUUID } from 'node:crypto';
import type { SessionSettings, TelemetryMessage } from '@smartsession/protocol';
import type { DrizzleRepository } from '../src/db/drizzle-repository.js';
import { SessionRoom } from '../src/live/room.js';

export const STUDENTS = 30;
export const SECONDS = 3600;
const FLUSH_EVERY_S = 5;

/** Deterministic PRNG (mulberry32). */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function telemetryAt(
  seq: number,
  t: number,
  status: TelemetryMessage['status'],
  score: number,
  since: number,
): TelemetryMessage {
  const alert = status === 'alert' ? ('GAZE_AWAY' as const) : null;
  return {
    type: 'telemetry',
    seq,
    t,
    status,
    alert,
    since,
    reason: alert ? { code: 'LOOKING_AWAY' as const, seconds: 5 } : null,
    frame: {
      face_count: 1,
      status: 'OK',
      emotion: score > 0.6 ? 'Confused' : 'Focused / Neutral',
      happy_prob: 0.31,
      gaze: alert ? 'LEFT' : 'CENTER',
      confused: score > 0.6,
      confusion_score: score,
      head: { yaw: alert ? 31.2 : 2.4, pitch: 4.1, roll: -1.3 },
      eyes: 'CENTER',
      signals: { brow: score, happy: 0.31, tilt: 0.12 },
      contributions: { brow: score * 0.5, happy: score * 0.3, tilt: score * 0.2 },
    },
  } as TelemetryMessage;
}

/** Writes the lesson through SessionRoom, exactly as the live server's flush loop does. */
export async function buildLesson(repo: DrizzleRepository, start: number): Promise<string> {
  const id = `bench-${start}`;
  await repo.createTeacher({
    id: `t-${id}`,
    email: `${id}@bench`,
    name: 'B',
    passwordHash: 'x',
    createdAt: start,
  });
  const settings: SessionSettings = { mode: 'support', emotion: 'on', lookAwaySeconds: 4, anonymous: false };
  await repo.createSession({
    id,
    teacherId: `t-${id}`,
    title: 'Bench',
    joinCode: id.slice(-10),
    ...settings,
    createdAt: start,
    endedAt: null,
  });
  const room = new SessionRoom(id, settings, null, randomUUID);
  const random = rng(42);
  const state: Array<{ seq: number; status: TelemetryMessage['status']; since: number; confused: boolean }> =
    [];
  for (let i = 0; i < STUDENTS; i++) {
    const p = await repo.createParticipant({
      id: `${id}-p${i}`,
      sessionId: id,
      name: `Student ${i}`,
      tokenHash: `${id}-${i}`,
      createdAt: start,
    });
    room.load(p);
    room.connect(p.id, start + 500);
    state.push({ seq: 0, status: 'calibrating', since: start, confused: false });
  }
  for (let s = 1; s <= SECONDS; s++) {
    const now = start + s * 1000;
    if (s % 600 === 0)
      await repo.createMarker({ id: `${id}-m${s}`, sessionId: id, t: now, label: `Part ${s / 600}` });
    const classConfused = s % 900 > 780; // a confusing stretch every 15 minutes
    for (let i = 0; i < STUDENTS; i++) {
      const st = state[i]!;
      const pid = `${id}-p${i}`;
      if (s === 1800 + i * 10) room.disconnect(pid, now); // everyone drops once for 20 s
      if (s === 1820 + i * 10) room.connect(pid, now);
      if (s >= 1800 + i * 10 && s < 1820 + i * 10) continue;
      // Confusion comes in bouts (about 20 s long), far more often in the confusing stretches.
      const r = random();
      if (st.confused) st.confused = r >= 0.05;
      else st.confused = r < (classConfused ? 0.08 : 0.004);
      let status: TelemetryMessage['status'] = s < 10 ? 'calibrating' : st.confused ? 'confused' : 'focused';
      if (s >= 10 && (s + i * 37) % 400 < 6) status = 'alert';
      if (status !== st.status) st.since = now;
      st.status = status;
      const score = status === 'confused' ? 0.6 + 0.4 * random() : 0.1 + 0.3 * random();
      room.ingest(pid, telemetryAt(++st.seq, now, status, Math.round(score * 1000) / 1000, st.since), now);
    }
    if (s % FLUSH_EVERY_S === 0) {
      const w = room.takeWrites(now);
      await repo.writeBatch(w);
      room.takeSamples();
    }
  }
  await repo.writeBatch(room.takeWrites(start + SECONDS * 1000));
  await repo.endSession(id, start + SECONDS * 1000);
  return id;
}
