import type {
  AnalysisPlace,
  Accommodations,
  AlertCode,
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
import { LIMITS, readReason, stripEmotion } from '@smartsession/protocol';
import {
  frameText,
  type AlertState,
  type ParticipantLive,
  type StoredParticipant,
  type WriteBatch,
} from '../records.js';
import { displayName } from '../mapping.js';
import { keepFrame } from './frame-slot.js';
import { SampleColumns } from './sample-columns.js';
import { SeqTracker } from './seq.js';

/** Stored samples are downsampled to about one per this many client ms per student. */
export const STORE_INTERVAL_MS = 950;
/**
 * Largest jump a seq may make above the highest contiguous stored one: 200,000 is 14 hours of telemetry at
 * 4 Hz, far beyond any outage a client's outbox covers (it thins and declares dropped seqs via `from`).
 */
export const MAX_SEQ_AHEAD = 200_000;
/** Most separate runs of seqs a student may hold above its contiguous one (honest clients keep 1-2). */
const MAX_SEQ_RANGES = 1000;
/** Most seqs a student may have outstanding after `RATE_LIMITED` / `UNAVAILABLE` refusals. */
const MAX_HELD_SEQS = 10_000;

/** Window over which the clock offset is the smallest measured, ms. */
const OFFSET_WINDOW_MS = 10_000;

/**
 * A student's live row (status, last seen, last seq) is rewritten at most this often without a status,
 * connection or self-report change, ms. Acks do not wait for it: they follow the data rows. A stored
 * `lastSeq` that lags behind the acks is safe (see `load` and the client's `resume`), and 5 s keeps rows
 * fresh well inside the 15 s after which another instance treats a student as gone.
 */
export const LIVE_WRITE_MS = 5000;

/** One student's live state inside a room. Times are server ms unless named otherwise. */
export interface LiveStudent {
  readonly id: string;
  readonly name: string;
  readonly number: number;
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
  /** The latest frame: the room's own object, updated in place (see frame-slot.ts). */
  frame: FrameResult | null;
  /** Where the student's frames are analysed, as its last live telemetry said (absent: not said). */
  analysis?: AnalysisPlace;
  readonly seq: SeqTracker;
  /** Highest seq whose writes are committed (what `welcome.lastSeq` and `ack` report). */
  ackedSeq: number;
  /** Client time (ms) of the last stored sample. */
  lastStoredCt: number;
  /** Highest seq whose status was applied to the live state (later arrivals of lower seqs are history). */
  appliedSeq: number;
  /**
   * Server ms minus client ms: the smallest `arrival − t` of the live messages of the last
   * {@link OFFSET_WINDOW_MS} (the least delayed one is the best estimate, as in NTP; the window lets a
   * client clock that was reset win within seconds); null until the first one ever. Kept across
   * reconnects and stored with the row (so it survives a restart): a reconnecting client replays its
   * outbox before any live message, and those items are stamped with the offset last measured.
   */
  clockOffset: number | null;
  /** Recent offset samples as a monotonic queue: times and values, values increasing. */
  offsets: { t: number[]; v: number[] };
  /**
   * Seqs refused with a retry code (`RATE_LIMITED`, `UNAVAILABLE`) and not processed since. The client
   * still holds them and re-sends them, so a reconnect does not close these gaps (`welcome.lastSeq` stays
   * below them), and nothing above the lowest is accepted before it (seqs are processed in order).
   */
  held: Map<number, HeldCode>;
  openAlert: AlertState | null;
  openLost: AlertState | null;
  /** Live fields or seq changed since the row was last written. */
  dirty: boolean;
  /** The row must be written with the next flush (status, connection or self-report changed). */
  urgent: boolean;
  /** Server ms of the last row write. */
  liveWrittenAt: number;
}

/** Refusal codes after which the client re-sends. */
export type HeldCode = 'RATE_LIMITED' | 'UNAVAILABLE';

/** Something the teacher's room must hear at once. */
export type RoomEvent = { type: 'student'; participantId: string } | { type: 'alert'; alert: AlertState };

/** Outcome of ingesting one inbound message. */
export interface IngestResult {
  events: RoomEvent[];
  /** Items newly processed (duplicates excluded). */
  accepted: number;
  duplicates: number;
  /** Rows this message adds to storage (samples and status changes). */
  rows: number;
}

/** What must be written, and which acks may be sent once it is. */
export interface PendingWrites extends WriteBatch {
  /** participantId → seq to acknowledge after the write commits. */
  acks: Map<string, number>;
}

/** Seqs a message accounts for: its own, or a batch's items. */
function messageSeqs(msg: SequencedMessage | BatchMessage): number[] {
  return msg.type === 'batch' ? msg.items.map((i) => i.seq) : [msg.seq];
}

/**
 * The pure core of one class session: latest state per student, de-duplication by seq, status
 * changes, alerts opened and closed from status changes and self-reports, downsampling of stored
 * samples, and the queues the shell drains (writes, teacher samples). No I/O, no timers, no randomness:
 * every method takes the current server time, and ids come from the injected `newId`.
 */
export class SessionRoom {
  private readonly live = new Map<string, LiveStudent>();
  private readonly samplesOut = new SampleColumns();
  private writes: Pick<WriteBatch, 'samples' | 'statusChanges'> = { samples: [], statusChanges: [] };
  private alertWrites = new Map<string, AlertState>();

  constructor(
    readonly sessionId: string,
    private currentSettings: SessionSettings,
    private ended: number | null,
    private readonly newId: () => string,
  ) {}

  /** The students loaded here, by participant id (read-only: change them through the methods). */
  get students(): ReadonlyMap<string, Readonly<LiveStudent>> {
    return this.live;
  }

  /** The session settings in force. */
  get settings(): SessionSettings {
    return this.currentSettings;
  }

  /** When the session ended (server ms), or null. */
  get endedAt(): number | null {
    return this.ended;
  }

  /**
   * Adds a participant from its stored row (or returns the one already here). `latest` is what its stored
   * samples and status changes say (their highest seq and time): the row's `lastSeq` and `lastSeenAt` are
   * written lazily and may lag, so a fresh client numbers above `latest.seq` (`welcome.maxSeq`) and crash
   * recovery dates `offline` no earlier than `latest.t`.
   */
  load(
    row: StoredParticipant,
    openAlerts: readonly AlertState[] = [],
    latest: { seq: number; t: number } | null = null,
  ): Readonly<LiveStudent> {
    const existing = this.live.get(row.id);
    if (existing) return existing;
    const mine = openAlerts.filter((a) => a.participantId === row.id && a.endedAt === null);
    const s: LiveStudent = {
      id: row.id,
      name: row.name,
      number: row.number,
      accommodations: row.accommodations,
      status: row.status,
      alert: row.alert,
      reason: readReason(row.reason),
      statusSince: row.statusSince,
      lastSeenAt: latest && latest.t > (row.lastSeenAt ?? 0) ? latest.t : row.lastSeenAt,
      connected: false,
      emotionConsent: false,
      lostSince: row.lostSince,
      frame: null,
      seq: new SeqTracker(row.lastSeq, latest?.seq),
      ackedSeq: row.lastSeq,
      lastStoredCt: -Infinity,
      appliedSeq: row.lastSeq,
      clockOffset: row.clockOffset,
      offsets: { t: [], v: [] },
      held: new Map(),
      openAlert: mine.find((a) => a.kind === 'proctor') ?? null,
      openLost: mine.find((a) => a.kind === 'self_report') ?? null,
      dirty: false,
      urgent: false,
      liveWrittenAt: -Infinity,
    };
    this.live.set(s.id, s);
    return s;
  }

  /** Forgets a student (deleted by the teacher). */
  remove(id: string): void {
    this.live.delete(id);
  }

  /** The student as the teacher stream shows it (pseudonym in anonymous sessions). */
  view(s: Readonly<LiveStudent>): StudentState {
    return {
      participantId: s.id,
      name: displayName(s, this.settings.anonymous),
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
      ...(s.analysis ? { analysis: s.analysis } : {}),
    };
  }

  /** The teacher changed the session settings. */
  setSettings(settings: SessionSettings): void {
    this.currentSettings = settings;
  }

  /** The teacher changed a student's accommodations; returns the student, if here. */
  setAccommodations(id: string, accommodations: Accommodations): Readonly<LiveStudent> | null {
    const s = this.live.get(id);
    if (!s) return null;
    s.accommodations = accommodations;
    return s;
  }

  /**
   * The session ended at `t`: ingestion stops, and every alert still open (proctor or "I'm lost") ends at
   * `t`, so nothing stays "ongoing" in the feed or the report.
   */
  end(t: number): RoomEvent[] {
    if (this.ended === null) this.ended = t;
    const events: RoomEvent[] = [];
    for (const s of this.live.values()) {
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

  /**
   * A student's socket connected. Gaps below the highest seq seen are closed (a reloaded page numbers
   * above `welcome.maxSeq`), except seqs held after a retry refusal: the client still holds those and
   * replays them, so `lastSeq` stays below the first one. The clock offset is kept (see `clockOffset`).
   */
  connect(id: string, now: number, emotionConsent = false): RoomEvent[] {
    const s = this.live.get(id);
    if (!s) return [];
    s.seq.closeGapsExcept(new Set(s.held.keys()));
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
    const s = this.live.get(id);
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
   * dashboard shows it at once and reports count the downtime as offline.
   */
  recoverOffline(id: string, storedConnected: boolean): RoomEvent[] {
    const s = this.live.get(id);
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
   * Why a valid message cannot be ingested as it is, or null: seqs too far ahead, too many open gaps,
   * or times outside the window around the server clock (see `LIMITS`). Such a refusal is final.
   */
  check(id: string, msg: SequencedMessage | BatchMessage, now: number): string | null {
    const s = this.live.get(id);
    if (!s) return null;
    const seqs = messageSeqs(msg);
    if (seqs[seqs.length - 1]! > s.seq.contiguous + MAX_SEQ_AHEAD)
      return `seq jumps more than ${MAX_SEQ_AHEAD} above the last stored one`;
    if (s.seq.ranges > MAX_SEQ_RANGES) return `more than ${MAX_SEQ_RANGES} separate runs of seqs are open`;
    if (msg.type !== 'batch') {
      if (Math.abs(msg.t - now) > LIMITS.maxClockSkewMs)
        return `t is ${hours(msg.t - now)} from the server clock; set this device's clock automatically`;
      return null;
    }
    const offset = s.clockOffset ?? 0;
    for (const item of msg.items) {
      const t = item.t + offset;
      if (t < now - LIMITS.maxReplayAgeMs || t > now + LIMITS.maxClockSkewMs)
        return `item ${item.seq}: t is ${hours(t - now)} from the server clock`;
    }
    return null;
  }

  /**
   * The retry refusal (`RATE_LIMITED` or `UNAVAILABLE`) a message must get because a lower seq of this
   * student is still held (refused and not re-sent yet): seqs are processed in order. Null when none.
   */
  waitingFor(id: string, msg: SequencedMessage | BatchMessage): HeldCode | null {
    const s = this.live.get(id);
    if (!s || s.held.size === 0) return null;
    const first = msg.type === 'batch' ? (msg.from ?? msg.items[0]!.seq) : msg.seq;
    let lowest = Infinity;
    let code: HeldCode | null = null;
    for (const [seq, c] of s.held) {
      if (seq < lowest) {
        lowest = seq;
        code = c;
      }
    }
    return first > lowest ? code : null;
  }

  /**
   * Seqs of a message refused with a retry code: kept as held gaps until the client re-sends them (see
   * `held`). Bounded: beyond {@link MAX_HELD_SEQS} the rest are not recorded (and are closed as gaps at
   * the next reconnect, like any unseen seq).
   */
  hold(id: string, seqs: readonly number[], code: HeldCode): void {
    const s = this.live.get(id);
    if (!s) return;
    for (const seq of seqs) {
      if (s.held.size >= MAX_HELD_SEQS) return;
      if (Number.isSafeInteger(seq) && seq > 0 && seq <= s.seq.contiguous + MAX_SEQ_AHEAD && !s.seq.has(seq))
        s.held.set(seq, code);
    }
  }

  /**
   * Seqs of a message refused for good (invalid, too large): the client was told and will not send them
   * again, so they count as accounted for, like seqs a batch declares thinned. Seqs outside the window
   * of {@link MAX_SEQ_AHEAD} are ignored.
   */
  refuse(id: string, seqs: readonly number[]): void {
    const s = this.live.get(id);
    if (!s) return;
    for (const seq of seqs) {
      if (!Number.isSafeInteger(seq) || seq <= 0 || seq > s.seq.contiguous + MAX_SEQ_AHEAD) continue;
      if (s.held.has(seq)) s.held.delete(seq);
      if (s.seq.add(seq)) s.dirty = true;
    }
  }

  /** Ingests a validated, checked student message (single or batch). Duplicates are counted and ignored. */
  ingest(id: string, msg: SequencedMessage | BatchMessage, now: number): IngestResult {
    const s = this.live.get(id);
    const result: IngestResult = { events: [], accepted: 0, duplicates: 0, rows: 0 };
    if (!s) return result;
    s.lastSeenAt = now;
    s.dirty = true;
    if (msg.type === 'batch') {
      for (const item of msg.items) this.ingestOne(s, item, now, false, result);
      const last = msg.items[msg.items.length - 1]!.seq;
      s.seq.skip(msg.from ?? msg.items[0]!.seq, last);
      for (const r of s.held.keys()) if (s.seq.has(r)) s.held.delete(r);
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
    s.held.delete(m.seq);
    out.accepted++;
    if (live) s.clockOffset = measureOffset(s.offsets, now, now - m.t);
    const t = Math.min(now, Math.round(m.t + (s.clockOffset ?? 0)));
    if (m.type === 'self_report') {
      this.selfReport(s, m.kind, t, out.events);
      return;
    }
    this.telemetry(s, m, t, out);
  }

  private telemetry(s: LiveStudent, m: TelemetryMessage, t: number, out: IngestResult) {
    const frame = this.emotionFor(s) ? m.frame : stripEmotion(m.frame);
    const alert = m.status === 'alert' ? (m.alert ?? null) : null;
    // An item older than one already applied is history: it is stored, but the live state stays newer.
    const late = m.seq < s.appliedSeq;
    let changed = false;
    if (!late) {
      s.appliedSeq = m.seq;
      s.frame = keepFrame(s.frame, frame);
      const moved = m.analysis !== undefined && m.analysis !== s.analysis;
      if (moved) s.analysis = m.analysis;
      changed = m.status !== s.status || alert !== s.alert;
      if (moved && !changed) out.events.push({ type: 'student', participantId: s.id });
      if (changed) {
        if (s.openAlert && (m.status !== 'alert' || s.openAlert.code !== alert))
          this.closeProctorAlert(s, t, out.events);
        const since = Math.min(t, Math.round(m.since + (s.clockOffset ?? 0)));
        this.changeStatus(s, m.status, alert, m.reason, since, m.seq);
        out.rows++;
        if (m.status === 'alert' && alert && !s.openAlert) {
          s.openAlert = this.newAlert(s, 'proctor', alert, since);
          out.events.push({ type: 'alert', alert: s.openAlert });
        }
        out.events.push({ type: 'student', participantId: s.id });
      } else {
        s.reason = m.reason;
      }
    }
    const score = frame ? frame.confusion_score : null;
    this.samplesOut.push(s.id, t, m.t, m.seq, score, m.status);
    if (late || changed || m.t - s.lastStoredCt >= STORE_INTERVAL_MS || m.t < s.lastStoredCt) {
      if (!late) s.lastStoredCt = m.t;
      out.rows++;
      this.writes.samples.push({
        sessionId: this.sessionId,
        participantId: s.id,
        seq: m.seq,
        t,
        ct: Math.round(m.t),
        status: m.status,
        score,
        frame: frameText(frame),
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
  ): AlertState {
    const a: AlertState = {
      id: this.newId(),
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

  private endAlert(a: AlertState, t: number, events: RoomEvent[]) {
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

  /** Records a teacher's acknowledgement on the open alert held here, if any. */
  acknowledge(alertId: string, t: number): void {
    for (const s of this.live.values()) {
      for (const a of [s.openAlert, s.openLost])
        if (a && a.id === alertId && a.acknowledgedAt === null) a.acknowledgedAt = t;
    }
  }

  /** Numeric samples for the teacher since the last call. */
  takeSamples(): Sample[] {
    return this.samplesOut.take();
  }

  /** Rows waiting to be taken by {@link takeWrites} (samples, status changes, alerts). */
  get pendingRows(): number {
    return this.writes.samples.length + this.writes.statusChanges.length + this.alertWrites.size;
  }

  /**
   * Everything to write since the last call, and the acks to send once it commits. A student's row
   * (and so its ack) is written at once after a status, connection or self-report change, otherwise at
   * most every `LIVE_WRITE_MS`; `force` writes every changed row (shutdown).
   */
  takeWrites(now: number, force = false): PendingWrites {
    const participants: ParticipantLive[] = [];
    const acks = new Map<string, number>();
    for (const s of this.live.values()) {
      // Acks follow the data rows (all queued at ingest), not the live row.
      if (s.seq.contiguous > s.ackedSeq) acks.set(s.id, s.seq.contiguous);
      if (!s.dirty || (!force && !s.urgent && now - s.liveWrittenAt < LIVE_WRITE_MS)) continue;
      s.dirty = false;
      s.urgent = false;
      s.liveWrittenAt = now;
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
    this.writes = { samples: [], statusChanges: [] };
    this.alertWrites = new Map();
    return out;
  }

  /**
   * Puts writes back after a failed commit, ahead of anything newer, so the next flush retries them.
   * Their acks are not sent: the students concerned are marked so the next flush computes them again.
   */
  restoreWrites(w: WriteBatch): void {
    this.writes.samples.unshift(...w.samples);
    this.writes.statusChanges.unshift(...w.statusChanges);
    const newer = this.alertWrites;
    this.alertWrites = new Map(w.alerts.map((a) => [a.id, a]));
    for (const [id, a] of newer) this.alertWrites.set(id, a);
    const touched = new Set<string>(w.participants.map((p) => p.id));
    for (const r of [...w.samples, ...w.statusChanges, ...w.alerts]) touched.add(r.participantId);
    for (const id of touched) {
      const s = this.live.get(id);
      if (s) {
        s.dirty = true;
        s.urgent = true;
      }
    }
  }

  /** Writes up to `acks` are committed: what `ack` and `welcome.lastSeq` report from now on. */
  committed(acks: ReadonlyMap<string, number>): void {
    for (const [id, seq] of acks) {
      const s = this.live.get(id);
      if (s) s.ackedSeq = Math.max(s.ackedSeq, seq);
    }
  }

  /** Open alerts held in memory, for the snapshot. */
  openAlerts(): AlertState[] {
    const out: AlertState[] = [];
    for (const s of this.live.values()) {
      if (s.openAlert) out.push(s.openAlert);
      if (s.openLost) out.push(s.openLost);
    }
    return out;
  }
}

/** Adds an offset sample and returns the smallest of the window (amortised O(1)). */
function measureOffset(q: { t: number[]; v: number[] }, now: number, sample: number): number {
  while (q.v.length > 0 && q.v[q.v.length - 1]! >= sample) {
    q.v.pop();
    q.t.pop();
  }
  q.v.push(sample);
  q.t.push(now);
  while (q.t[0]! < now - OFFSET_WINDOW_MS) {
    q.t.shift();
    q.v.shift();
  }
  return q.v[0]!;
}

function hours(ms: number): string {
  return `${(ms / 3600_000).toFixed(1)} h`;
}
