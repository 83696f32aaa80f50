import { randomUUID } from 'node:crypto';
import type {
  Accommodations,
  AlertCode,
  AlertRecord,
  BatchMessage,
  FrameResult,
  Reason,
  Sample,
  SequencedMessage,
  SessionSettings,
  StudentState,
  StudentStatus,
  TelemetryMessage,
} from '@smartsession/protocol';
import type {
  AlertRow,
  NewSample,
  NewStatusChange,
  ParticipantLive,
  ParticipantRow,
} from '../db/repository.js';
import { readReason, stripEmotion } from '@smartsession/protocol';
import { SeqTracker } from './seq.js';

/** Stored samples are downsampled to about one per this many client ms per student. */
export const STORE_INTERVAL_MS = 950;
/**
 * Largest jump a seq may make above the highest contiguous stored one: 200,000 is 14 hours of telemetry at
 * 4 Hz, far beyond any outage a client's outbox covers (it thins and declares dropped seqs via `from`).
 */
export const MAX_SEQ_AHEAD = 200_000;

/** A student's live row (last seq, last seen) is rewritten at most this often without a change, ms. */
export const LIVE_WRITE_MS = 1000;

/** One student's live state inside a room. Times are server ms unless named otherwise. */
export interface LiveStudent {
  id: string;
  name: string;
  number: number;
  accommodations: Accommodations;
  status: StudentStatus;
  alert: AlertCode | null;
  reason: Reason | null;
  statusSince: number;
  lastSeenAt: number | null;
  connected: boolean;
  /** The student's device agreed to emotion inference (handshake); false: emotion is stripped. */
  emotionConsent: boolean;
  lostSince: number | null;
  frame: FrameResult | null;
  seq: SeqTracker;
  /** Highest seq whose writes are committed (what `welcome.lastSeq` and `ack` report). */
  ackedSeq: number;
  /** Client time (ms) of the last stored sample. */
  lastStoredCt: number;
  /**
   * Server ms minus client ms, from the latest live message; null until the first one ever. Kept across
   * reconnects and stored with the row (so it survives a restart): a reconnecting client replays its
   * outbox before any live message, and those items are stamped with the offset last measured.
   */
  clockOffset: number | null;
  /**
   * Seqs refused with `RATE_LIMITED` and not stored since. The client still holds them and re-sends
   * them, so a reconnect does not close these gaps (`welcome.lastSeq` stays below them).
   */
  rateRefused: Set<number>;
  openAlert: AlertRow | null;
  openLost: AlertRow | null;
  /** Live fields or seq changed since the row was last written. */
  dirty: boolean;
  /** The row must be written with the next flush (status, connection or self-report changed). */
  urgent: boolean;
  /** Server ms of the last row write. */
  liveWrittenAt: number;
}

/** Something the teacher's room must hear at once. */
export type RoomEvent = { type: 'student'; participantId: string } | { type: 'alert'; alert: AlertRow };

/** Outcome of ingesting one inbound message. */
export interface IngestResult {
  events: RoomEvent[];
  /** Items newly processed (duplicates excluded). */
  accepted: number;
  duplicates: number;
}

/** What must be written, and which acks may be sent once it is. */
export interface PendingWrites {
  samples: NewSample[];
  statusChanges: NewStatusChange[];
  alerts: AlertRow[];
  participants: ParticipantLive[];
  /** participantId → seq to acknowledge after the write commits. */
  acks: Map<string, number>;
}

/** Converts a stored alert row to the wire record. */
export function alertRecord(a: AlertRow): AlertRecord {
  return {
    id: a.id,
    participantId: a.participantId,
    kind: a.kind as AlertRecord['kind'],
    code: (a.code as AlertCode | null) ?? null,
    startedAt: a.startedAt,
    endedAt: a.endedAt,
    acknowledgedAt: a.acknowledgedAt,
  };
}

/**
 * The pure core of one class session: latest state per student, de-duplication by seq, status
 * changes, alerts opened and closed from status changes and self-reports, downsampling of stored
 * samples, and the queues the shell drains (writes, teacher samples). No I/O, no timers: every method
 * takes the current server time.
 */
export class SessionRoom {
  readonly students = new Map<string, LiveStudent>();
  private samplesOut: Sample[] = [];
  private writes: Omit<PendingWrites, 'acks' | 'participants'> = {
    samples: [],
    statusChanges: [],
    alerts: [],
  };
  private alertWrites = new Map<string, AlertRow>();

  constructor(
    readonly sessionId: string,
    public settings: SessionSettings,
    public endedAt: number | null,
  ) {}

  /** Adds a participant from its stored row (or returns the one already here). */
  load(row: ParticipantRow, openAlerts: AlertRow[] = []): LiveStudent {
    const existing = this.students.get(row.id);
    if (existing) return existing;
    const mine = openAlerts.filter((a) => a.participantId === row.id && a.endedAt === null);
    const s: LiveStudent = {
      id: row.id,
      name: row.name,
      number: row.number,
      accommodations: (row.accommodations ?? {}) as Accommodations,
      status: row.status as StudentStatus,
      alert: (row.alert as AlertCode | null) ?? null,
      reason: readReason(row.reason),
      statusSince: row.statusSince,
      lastSeenAt: row.lastSeenAt,
      connected: false,
      emotionConsent: false,
      lostSince: row.lostSince,
      frame: null,
      seq: new SeqTracker(row.lastSeq),
      ackedSeq: row.lastSeq,
      lastStoredCt: -Infinity,
      clockOffset: row.clockOffset ?? null,
      rateRefused: new Set(),
      openAlert: mine.find((a) => a.kind === 'proctor') ?? null,
      openLost: mine.find((a) => a.kind === 'self_report') ?? null,
      dirty: false,
      urgent: false,
      liveWrittenAt: -Infinity,
    };
    this.students.set(s.id, s);
    return s;
  }

  /** The student as the teacher stream shows it (pseudonym in anonymous sessions). */
  view(s: LiveStudent): StudentState {
    return {
      participantId: s.id,
      name: this.settings.anonymous ? `Student ${s.number}` : s.name,
      status: s.status,
      alert: s.alert,
      reason: s.reason,
      number: s.number,
      statusSince: s.statusSince,
      lastSeenAt: s.lastSeenAt,
      connected: s.connected,
      lostSince: s.lostSince,
      frame: this.emotionFor(s) ? s.frame : stripEmotion(s.frame),
      accommodations: s.accommodations,
    };
  }

  /**
   * A student's socket connected. Gaps below the highest seq seen are closed (a reloaded page numbers
   * above `welcome.lastSeq`), except seqs refused for rate: the client still holds those and replays
   * them, so `lastSeq` stays below the first one. The clock offset is kept (see `clockOffset`).
   */
  connect(id: string, now: number, emotionConsent = false): RoomEvent[] {
    const s = this.students.get(id);
    if (!s) return [];
    s.seq.closeGapsExcept(s.rateRefused);
    s.connected = true;
    s.emotionConsent = emotionConsent;
    s.lastSeenAt = now;
    s.dirty = true;
    s.urgent = true;
    if (s.status === 'offline')
      this.changeStatus(s, 'no-signal', null, { code: 'WAITING_FOR_SIGNAL' }, now, null);
    return [{ type: 'student', participantId: id }];
  }

  /** A student's socket closed: the student shows as `offline` and open proctor alerts end. */
  disconnect(id: string, now: number): RoomEvent[] {
    const s = this.students.get(id);
    if (!s) return [];
    s.connected = false;
    s.lastSeenAt = now;
    s.dirty = true;
    s.urgent = true;
    const events: RoomEvent[] = [];
    this.closeProctorAlert(s, now, events);
    this.changeStatus(s, 'offline', null, null, now, null);
    events.push({ type: 'student', participantId: id });
    return events;
  }

  /**
   * After a crash nobody wrote the student's `offline`: a student stored as connected or not offline,
   * with no socket, goes `offline` as of its last-seen time (open proctor alerts end there too), so the
   * dashboard shows it at once and reports count the downtime as offline. Returns whether it changed.
   */
  recoverOffline(id: string, storedConnected: boolean): RoomEvent[] {
    const s = this.students.get(id);
    if (!s || s.connected || (!storedConnected && s.status === 'offline')) return [];
    const t = Math.max(s.statusSince, s.lastSeenAt ?? s.statusSince);
    const events: RoomEvent[] = [];
    this.closeProctorAlert(s, t, events);
    if (s.status !== 'offline') this.changeStatus(s, 'offline', null, null, t, null);
    s.dirty = true;
    s.urgent = true;
    events.push({ type: 'student', participantId: id });
    return events;
  }

  /**
   * True when a message's seqs jump further than {@link MAX_SEQ_AHEAD} above what is stored: refused, so a
   * single message cannot make the gap bookkeeping (and every later reconnect) walk billions of seqs.
   */
  seqTooFar(id: string, msg: SequencedMessage | BatchMessage): boolean {
    const s = this.students.get(id);
    if (!s) return false;
    const seqs = msg.type === 'batch' ? msg.items.map((i) => i.seq) : [msg.seq];
    return Math.max(...seqs) > s.seq.contiguous + MAX_SEQ_AHEAD;
  }

  /** Seqs of a message refused for rate: kept as gaps until the client re-sends them (see `rateRefused`). */
  rateLimited(id: string, seqs: number[]): void {
    const s = this.students.get(id);
    if (!s) return;
    for (const seq of seqs) {
      // Bounded: a misbehaving client cannot grow this without limit (beyond it, gaps close as before).
      if (s.rateRefused.size >= 10_000) return;
      if (Number.isSafeInteger(seq) && seq > 0 && !s.seq.has(seq)) s.rateRefused.add(seq);
    }
  }

  /** Ingests a validated student message (single or batch). Duplicates are counted and ignored. */
  ingest(id: string, msg: SequencedMessage | BatchMessage, now: number): IngestResult {
    const s = this.students.get(id);
    const result: IngestResult = { events: [], accepted: 0, duplicates: 0 };
    if (!s) return result;
    s.lastSeenAt = now;
    s.dirty = true;
    if (msg.type === 'batch') {
      for (const item of msg.items) this.ingestOne(s, item, now, false, result);
      const last = msg.items[msg.items.length - 1]!.seq;
      s.seq.skip(msg.from ?? msg.items[0]!.seq, last);
      for (const r of s.rateRefused) if (s.seq.has(r)) s.rateRefused.delete(r);
    } else {
      this.ingestOne(s, msg, now, true, result);
    }
    return result;
  }

  private ingestOne(s: LiveStudent, m: SequencedMessage, now: number, live: boolean, out: IngestResult) {
    if (!s.seq.add(m.seq)) {
      out.duplicates++;
      return;
    }
    s.rateRefused.delete(m.seq);
    out.accepted++;
    if (live) s.clockOffset = now - m.t;
    const t = Math.min(now, Math.round(m.t + (s.clockOffset ?? 0)));
    if (m.type === 'self_report') {
      this.selfReport(s, m.kind, t, out.events);
      return;
    }
    this.telemetry(s, m, t, out.events);
  }

  private telemetry(s: LiveStudent, m: TelemetryMessage, t: number, events: RoomEvent[]) {
    const frame = this.emotionFor(s) ? m.frame : stripEmotion(m.frame);
    s.frame = frame;
    const alert = m.status === 'alert' ? (m.alert ?? null) : null;
    const changed = m.status !== s.status || alert !== s.alert;
    if (changed) {
      if (s.openAlert && (m.status !== 'alert' || s.openAlert.code !== alert))
        this.closeProctorAlert(s, t, events);
      const since = Math.min(t, Math.round(m.since + (s.clockOffset ?? 0)));
      this.changeStatus(s, m.status, alert, m.reason, since, m.seq);
      if (m.status === 'alert' && alert && !s.openAlert) {
        s.openAlert = this.newAlert(s, 'proctor', alert, since);
        events.push({ type: 'alert', alert: s.openAlert });
      }
      events.push({ type: 'student', participantId: s.id });
    } else {
      s.reason = m.reason;
    }
    const score = frame ? frame.confusion_score : null;
    this.samplesOut.push({ participantId: s.id, t, ct: m.t, seq: m.seq, score, status: m.status });
    if (changed || m.t - s.lastStoredCt >= STORE_INTERVAL_MS || m.t < s.lastStoredCt) {
      s.lastStoredCt = m.t;
      this.writes.samples.push({
        sessionId: this.sessionId,
        participantId: s.id,
        seq: m.seq,
        t,
        ct: Math.round(m.t),
        status: m.status,
        score,
        frame,
      });
    }
  }

  private selfReport(s: LiveStudent, kind: 'lost' | 'resolved', t: number, events: RoomEvent[]) {
    if (kind === 'lost') {
      if (s.openLost) return;
      s.openLost = this.newAlert(s, 'self_report', null, t);
      s.lostSince = t;
      events.push({ type: 'alert', alert: s.openLost });
    } else {
      if (!s.openLost) return;
      this.endAlert(s.openLost, t, events);
      s.openLost = null;
      s.lostSince = null;
    }
    s.dirty = true;
    s.urgent = true;
    events.push({ type: 'student', participantId: s.id });
  }

  private changeStatus(
    s: LiveStudent,
    status: StudentStatus,
    alert: AlertCode | null,
    reason: Reason | null,
    t: number,
    seq: number | null,
  ) {
    s.status = status;
    s.alert = alert;
    s.reason = reason;
    s.statusSince = t;
    s.dirty = true;
    s.urgent = true;
    this.writes.statusChanges.push({
      sessionId: this.sessionId,
      participantId: s.id,
      seq,
      t,
      status,
      alert,
      reason,
    });
  }

  private newAlert(
    s: LiveStudent,
    kind: 'proctor' | 'self_report',
    code: AlertCode | null,
    t: number,
  ): AlertRow {
    const a: AlertRow = {
      id: randomUUID(),
      sessionId: this.sessionId,
      participantId: s.id,
      kind,
      code,
      startedAt: t,
      endedAt: null,
      acknowledgedAt: null,
    };
    this.alertWrites.set(a.id, { ...a });
    return a;
  }

  private endAlert(a: AlertRow, t: number, events: RoomEvent[]) {
    a.endedAt = Math.max(a.startedAt, t);
    this.alertWrites.set(a.id, { ...a });
    events.push({ type: 'alert', alert: a });
  }

  private closeProctorAlert(s: LiveStudent, t: number, events: RoomEvent[]) {
    if (!s.openAlert) return;
    this.endAlert(s.openAlert, t, events);
    s.openAlert = null;
  }

  /** Emotion fields are kept for a student only when the session has emotion on and the student agreed. */
  private emotionFor(s: LiveStudent): boolean {
    return this.settings.emotion === 'on' && s.emotionConsent;
  }

  /**
   * The session ended at `t`: every open proctor alert and "I'm lost" press ends there (the teacher's
   * feed and the report show nothing still open).
   */
  end(t: number): RoomEvent[] {
    this.endedAt = t;
    const events: RoomEvent[] = [];
    for (const s of this.students.values()) {
      this.closeProctorAlert(s, t, events);
      if (s.openLost) {
        this.endAlert(s.openLost, t, events);
        s.openLost = null;
        s.lostSince = null;
        s.dirty = true;
        s.urgent = true;
        events.push({ type: 'student', participantId: s.id });
      }
    }
    return events;
  }

  /** Records a teacher's acknowledgement on the open alert held here, if any. */
  acknowledge(alertId: string, t: number): void {
    for (const s of this.students.values()) {
      for (const a of [s.openAlert, s.openLost])
        if (a && a.id === alertId && a.acknowledgedAt === null) a.acknowledgedAt = t;
    }
  }

  /** Numeric samples for the teacher since the last call. */
  takeSamples(): Sample[] {
    const out = this.samplesOut;
    this.samplesOut = [];
    return out;
  }

  /**
   * Everything to write since the last call, and the acks to send once it commits. A student's row
   * (and so its ack) is written at once after a status, connection or self-report change, otherwise at
   * most every `LIVE_WRITE_MS`; `force` writes every changed row (shutdown).
   */
  takeWrites(now = Date.now(), force = false): PendingWrites {
    const participants: ParticipantLive[] = [];
    const acks = new Map<string, number>();
    for (const s of this.students.values()) {
      if (!s.dirty || (!force && !s.urgent && now - s.liveWrittenAt < LIVE_WRITE_MS)) continue;
      s.dirty = false;
      s.urgent = false;
      s.liveWrittenAt = now;
      acks.set(s.id, s.seq.contiguous);
      participants.push({
        id: s.id,
        lastSeq: s.seq.contiguous,
        status: s.status,
        alert: s.alert,
        reason: s.reason,
        statusSince: s.statusSince,
        connected: s.connected,
        lastSeenAt: s.lastSeenAt,
        lostSince: s.lostSince,
        clockOffset: s.clockOffset,
      });
    }
    const out: PendingWrites = { ...this.writes, alerts: [...this.alertWrites.values()], participants, acks };
    this.writes = { samples: [], statusChanges: [], alerts: [] };
    this.alertWrites = new Map();
    return out;
  }

  /** Puts writes back after a failed commit so the next flush retries them. */
  restoreWrites(w: PendingWrites): void {
    this.writes.samples.unshift(...w.samples);
    this.writes.statusChanges.unshift(...w.statusChanges);
    for (const a of w.alerts) if (!this.alertWrites.has(a.id)) this.alertWrites.set(a.id, a);
    for (const p of w.participants) {
      const s = this.students.get(p.id);
      if (s) {
        s.dirty = true;
        s.urgent = true;
      }
    }
  }

  /** Open alerts held in memory, for the snapshot. */
  openAlerts(): AlertRow[] {
    const out: AlertRow[] = [];
    for (const s of this.students.values()) {
      if (s.openAlert) out.push(s.openAlert);
      if (s.openLost) out.push(s.openLost);
    }
    return out;
  }
}
