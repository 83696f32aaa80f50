import type { Logger } from 'pino';
import type { Server, Socket } from 'socket.io';
import {
  MESSAGE_EVENT,
  PROTOCOL_VERSION,
  SAMPLE_BATCH_MS,
  type AlertRecord,
  type Marker,
  type ServerToStudentMessage,
  type ServerToTeacherMessage,
  type SnapshotMessage,
  type StudentState,
  readReason,
} from '@smartsession/protocol';
import type { AlertRow, ParticipantRow, Repository, SessionRow } from '../db/repository.js';
import { displayName, sessionSettings } from '../http/views.js';
import { alertRecord, SessionRoom, type LiveStudent, type PendingWrites, type RoomEvent } from './room.js';

/** How often pending writes are committed (and acks sent), ms. */
export const FLUSH_MS = 200;
/** A student not seen locally for this long, with no socket here, counts as offline in a snapshot. */
const STALE_MS = 15_000;
/** Alerts of the last hour are in the snapshot. */
const SNAPSHOT_ALERTS_MS = 3600_000;

/** Socket.IO room of a session's teachers. */
export const teacherRoom = (sessionId: string) => `t:${sessionId}`;

/** Control events every instance applies to its local sockets and rooms (serverSideEmit). */
type Control =
  | { kind: 'settings'; sessionId: string; session: SessionRow }
  | {
      kind: 'accommodations';
      sessionId: string;
      participantId: string;
      accommodations: Record<string, unknown>;
    }
  | { kind: 'ended'; sessionId: string; endedAt: number }
  | { kind: 'deleted'; sessionId: string }
  | { kind: 'participant_deleted'; sessionId: string; participantId: string }
  | { kind: 'ack_alert'; sessionId: string; alertId: string; t: number };

const CONTROL_EVENT = 'smartsession:control';

/**
 * The live shell around {@link SessionRoom}s: loads rooms, commits their writes in batches and then
 * acknowledges, fans out teacher updates (status changes at once, samples every `SAMPLE_BATCH_MS`),
 * and applies teacher actions across instances.
 */
export class Hub {
  private rooms = new Map<string, SessionRoom>();
  private loading = new Map<string, Promise<SessionRoom | null>>();
  /** participantId → the local socket of that student. */
  private students = new Map<string, Socket>();
  private flushing: Promise<void> = Promise.resolve();
  private queued: Promise<void> | null = null;
  private timers: NodeJS.Timeout[] = [];
  private failures = new Map<string, number>();
  private closed = false;

  constructor(
    private readonly repo: Repository,
    private readonly io: Server,
    private readonly log: Logger,
    /** True when other instances share the adapter (Redis): teacher actions are forwarded to them. */
    private readonly clustered = false,
  ) {
    io.on(CONTROL_EVENT, (c: Control) => this.applyControl(c));
    this.timers.push(setInterval(() => this.fanOutSamples(), SAMPLE_BATCH_MS));
    this.timers.push(
      setInterval(() => {
        void this.flush();
      }, FLUSH_MS),
    );
  }

  /** The room of a session, loaded from storage on first use; null when the session does not exist. */
  async room(sessionId: string): Promise<SessionRoom | null> {
    const existing = this.rooms.get(sessionId);
    if (existing) return existing;
    let p = this.loading.get(sessionId);
    if (!p) {
      p = this.loadRoom(sessionId).finally(() => this.loading.delete(sessionId));
      this.loading.set(sessionId, p);
    }
    return p;
  }

  private async loadRoom(sessionId: string): Promise<SessionRoom | null> {
    const session = await this.repo.getSession(sessionId);
    if (!session) return null;
    const [participants, alerts] = await Promise.all([
      this.repo.listParticipants(sessionId),
      this.repo.listAlerts(sessionId, { since: Date.now() }),
    ]);
    const room = new SessionRoom(sessionId, sessionSettings(session), session.endedAt);
    const now = Date.now();
    for (const p of participants) {
      room.load(p, alerts);
      // A row still saying connected / not offline with no socket here is a crash leftover (nobody wrote
      // its `offline`). With several instances only rows not seen for STALE_MS: another may hold it.
      const orphan = !this.clustered || (p.lastSeenAt ?? 0) < now - STALE_MS;
      if (session.endedAt === null && orphan && !this.students.has(p.id))
        this.emitEvents(room, room.recoverOffline(p.id, p.connected));
    }
    this.rooms.set(sessionId, room);
    return room;
  }

  /**
   * Startup after a crash (single instance only: in a cluster the others may hold these students):
   * loads every un-ended session with students stored as connected or not offline, which writes their
   * `offline` status change at their last-seen time (see {@link SessionRoom.recoverOffline}).
   */
  async recoverAfterCrash(): Promise<number> {
    if (this.clustered) return 0;
    const ids = await this.repo.listSessionsWithLiveParticipants();
    for (const id of ids) await this.room(id);
    await this.flush();
    return ids.length;
  }

  /** Registers a student's socket (the participant row comes from the handshake). */
  async studentConnected(
    socket: Socket,
    row: ParticipantRow,
    emotionConsent = false,
  ): Promise<SessionRoom | null> {
    const fresh = await this.repo.getParticipant(row.id);
    if (!fresh) return null;
    const room = await this.room(row.sessionId);
    if (!room) return null;
    // No await between loading the room and registering the socket: an idle room is not unloaded under us.
    const s = room.load(fresh, room.openAlerts());
    const previous = this.students.get(row.id);
    this.students.set(row.id, socket);
    if (previous && previous !== socket) previous.disconnect(true);
    this.emitEvents(room, room.connect(row.id, Date.now(), emotionConsent));
    // Commit first, so `lastSeq` is stored and covers everything this student sent before.
    await this.flush();
    this.toStudent(socket, {
      type: 'welcome',
      protocol: PROTOCOL_VERSION,
      participantId: s.id,
      sessionId: room.sessionId,
      name: s.name,
      settings: room.settings,
      accommodations: s.accommodations,
      lastSeq: s.ackedSeq,
    });
    if (room.endedAt !== null) this.toStudent(socket, { type: 'session_ended' });
    return room;
  }

  /** A student's socket closed; ignored when a newer socket of the same student is here. */
  studentDisconnected(socket: Socket, participantId: string, sessionId: string): void {
    if (this.students.get(participantId) !== socket) return;
    this.students.delete(participantId);
    const room = this.rooms.get(sessionId);
    if (room) this.emitEvents(room, room.disconnect(participantId, Date.now()));
  }

  /** Sends a message to a student's socket. */
  toStudent(socket: Socket, msg: ServerToStudentMessage): void {
    socket.emit(MESSAGE_EVENT, msg);
  }

  /** Sends a message to every teacher watching a session (across instances). */
  toTeachers(sessionId: string, msg: ServerToTeacherMessage): void {
    this.io.to(teacherRoom(sessionId)).emit(MESSAGE_EVENT, msg);
  }

  /** Pushes the teacher-visible consequences of a room's events. */
  emitEvents(room: SessionRoom, events: RoomEvent[]): void {
    for (const e of events) {
      if (e.type === 'alert') this.toTeachers(room.sessionId, { type: 'alert', alert: alertRecord(e.alert) });
      else {
        const s = room.students.get(e.participantId);
        if (s) this.toTeachers(room.sessionId, { type: 'student', student: room.view(s) });
      }
    }
  }

  private fanOutSamples(): void {
    for (const room of this.rooms.values()) {
      const items = room.takeSamples();
      if (items.length > 0) this.toTeachers(room.sessionId, { type: 'samples', items });
    }
  }

  /** Commits every room's pending writes, then acknowledges. Serialized; resolves when done. */
  flush(): Promise<void> {
    // At most one flush runs and one waits: callers arriving meanwhile share the waiting one.
    if (this.queued) return this.queued;
    const next = this.flushing
      .then(() => {
        this.queued = null;
        return this.flushOnce();
      })
      .catch((err: unknown) => {
        this.log.error({ err }, 'flush failed');
      });
    this.queued = next;
    this.flushing = next;
    return next;
  }

  private async flushOnce(): Promise<void> {
    const pending: Array<[SessionRoom, PendingWrites]> = [];
    for (const room of this.rooms.values()) {
      const w = room.takeWrites(Date.now(), this.closed);
      if (w.samples.length + w.statusChanges.length + w.alerts.length + w.participants.length > 0)
        pending.push([room, w]);
      else this.unloadIfIdle(room);
    }
    if (pending.length === 0) return;
    try {
      await this.repo.writeBatch({
        samples: pending.flatMap(([, w]) => w.samples),
        statusChanges: pending.flatMap(([, w]) => w.statusChanges),
        alerts: pending.flatMap(([, w]) => w.alerts),
        participants: pending.flatMap(([, w]) => w.participants),
      });
      for (const [room, w] of pending) this.acknowledge(room, w);
    } catch (err) {
      // One bad room (e.g. deleted meanwhile on another instance) must not block the others.
      this.log.warn({ err }, 'batch write failed, retrying room by room');
      for (const [room, w] of pending) {
        try {
          await this.repo.writeBatch(w);
          this.failures.delete(room.sessionId);
          this.acknowledge(room, w);
        } catch (roomErr) {
          const n = (this.failures.get(room.sessionId) ?? 0) + 1;
          this.failures.set(room.sessionId, n);
          if (n < 5 && !this.closed) room.restoreWrites(w);
          else
            this.log.error({ err: roomErr, sessionId: room.sessionId }, 'dropping writes that keep failing');
        }
      }
    }
  }

  /** Forgets a room nobody uses here (no student socket, no teacher socket, nothing pending). */
  private unloadIfIdle(room: SessionRoom): void {
    if (this.closed || this.loading.has(room.sessionId)) return;
    for (const id of room.students.keys()) if (this.students.has(id)) return;
    if ((this.io.of('/').adapter.rooms.get(teacherRoom(room.sessionId))?.size ?? 0) > 0) return;
    this.rooms.delete(room.sessionId);
  }

  private acknowledge(room: SessionRoom, w: PendingWrites): void {
    for (const [pid, seq] of w.acks) {
      const s = room.students.get(pid);
      if (s) s.ackedSeq = Math.max(s.ackedSeq, seq);
      const socket = this.students.get(pid);
      if (socket) this.toStudent(socket, { type: 'ack', seq });
    }
  }

  /** The full state of a session for a teacher that just connected. */
  async snapshot(session: SessionRow): Promise<SnapshotMessage> {
    const now = Date.now();
    const settings = sessionSettings(session);
    const room = this.rooms.get(session.id);
    const [rows, stored, markers] = await Promise.all([
      this.repo.listParticipants(session.id),
      this.repo.listAlerts(session.id, { since: now - SNAPSHOT_ALERTS_MS }),
      this.repo.listMarkers(session.id),
    ]);
    const students: StudentState[] = rows.map((row) => {
      const live = room?.students.get(row.id);
      if (live && (this.students.has(row.id) || (live.lastSeenAt ?? 0) > (row.lastSeenAt ?? 0))) {
        return room!.view(live);
      }
      const stale = !row.connected || (row.lastSeenAt ?? 0) < now - STALE_MS;
      return {
        participantId: row.id,
        name: displayName(row, settings.anonymous),
        status: stale ? 'offline' : (row.status as StudentState['status']),
        alert: stale ? null : ((row.alert as StudentState['alert']) ?? null),
        reason: stale ? null : readReason(row.reason),
        number: row.number,
        statusSince: row.statusSince,
        lastSeenAt: row.lastSeenAt,
        connected: !stale,
        lostSince: row.lostSince,
        frame: null,
        accommodations: (row.accommodations ?? {}) as StudentState['accommodations'],
      };
    });
    const alerts = new Map<string, AlertRecord>(stored.map((a) => [a.id, alertRecord(a)]));
    for (const a of room?.openAlerts() ?? []) alerts.set(a.id, alertRecord(a));
    return {
      type: 'snapshot',
      sessionId: session.id,
      serverTime: now,
      settings,
      endedAt: session.endedAt,
      students,
      alerts: [...alerts.values()].sort((a, b) => a.startedAt - b.startedAt),
      markers: markers.map((m) => ({ id: m.id, t: m.t, label: m.label })),
    };
  }

  // ---- teacher actions (HTTP), applied here and on every other instance ----------------------------

  private control(c: Control): void {
    this.applyControl(c);
    if (this.clustered) this.io.serverSideEmit(CONTROL_EVENT, c);
  }

  /** Sends a student (when connected here) the session settings and their accommodations. */
  private sendSettings(room: SessionRoom, s: LiveStudent): void {
    const socket = this.students.get(s.id);
    if (socket)
      this.toStudent(socket, { type: 'settings', settings: room.settings, accommodations: s.accommodations });
  }

  private applyControl(c: Control): void {
    const room = this.rooms.get(c.sessionId);
    switch (c.kind) {
      case 'settings': {
        if (!room) return;
        room.settings = sessionSettings(c.session);
        for (const s of room.students.values()) this.sendSettings(room, s);
        return;
      }
      case 'accommodations': {
        const s = room?.students.get(c.participantId);
        if (!room || !s) return;
        s.accommodations = c.accommodations;
        this.sendSettings(room, s);
        return;
      }
      case 'ended': {
        if (!room) return;
        this.emitEvents(room, room.end(c.endedAt));
        for (const s of room.students.values()) {
          const socket = this.students.get(s.id);
          if (socket) this.toStudent(socket, { type: 'session_ended' });
        }
        return;
      }
      case 'ack_alert':
        room?.acknowledge(c.alertId, c.t);
        return;
      case 'participant_deleted': {
        room?.students.delete(c.participantId);
        this.students.get(c.participantId)?.disconnect(true);
        this.students.delete(c.participantId);
        return;
      }
      case 'deleted': {
        this.rooms.delete(c.sessionId);
        if (room) {
          for (const id of room.students.keys()) {
            this.students.get(id)?.disconnect(true);
            this.students.delete(id);
          }
        }
        this.io.in(teacherRoom(c.sessionId)).disconnectSockets(true);
        return;
      }
    }
  }

  /** Settings changed: students apply them; teachers get the settings and a fresh snapshot (names). */
  async settingsChanged(session: SessionRow): Promise<void> {
    this.control({ kind: 'settings', sessionId: session.id, session });
    this.toTeachers(session.id, { type: 'session_settings', settings: sessionSettings(session) });
    this.toTeachers(session.id, await this.snapshot(session));
  }

  /** Accommodations changed: the student applies them; teachers see the updated student. */
  async accommodationsChanged(session: SessionRow, p: ParticipantRow): Promise<void> {
    const accommodations = (p.accommodations ?? {}) as Record<string, unknown>;
    this.control({ kind: 'accommodations', sessionId: session.id, participantId: p.id, accommodations });
    const room = this.rooms.get(session.id);
    const s = room?.students.get(p.id);
    if (room && s) this.toTeachers(session.id, { type: 'student', student: room.view(s) });
  }

  /** The session ended: ingestion stops everywhere. */
  async sessionEnded(session: SessionRow): Promise<void> {
    this.control({ kind: 'ended', sessionId: session.id, endedAt: session.endedAt ?? Date.now() });
    this.toTeachers(session.id, { type: 'session_ended' });
  }

  /** The session is being deleted: drop its room and sockets (call before deleting the rows). */
  async sessionDeleted(sessionId: string): Promise<void> {
    await this.flush();
    this.control({ kind: 'deleted', sessionId });
  }

  /** A participant is being deleted. */
  async participantDeleted(sessionId: string, participantId: string): Promise<void> {
    await this.flush();
    this.control({ kind: 'participant_deleted', sessionId, participantId });
  }

  /** A teacher dropped a marker. */
  markerAdded(sessionId: string, marker: Marker): void {
    this.toTeachers(sessionId, { type: 'marker', marker });
  }

  /** A teacher acknowledged an alert. */
  async alertAcknowledged(sessionId: string, alert: AlertRow): Promise<void> {
    this.control({ kind: 'ack_alert', sessionId, alertId: alert.id, t: alert.acknowledgedAt ?? Date.now() });
    this.toTeachers(sessionId, { type: 'alert', alert: alertRecord(alert) });
  }

  /** Stops the timers and commits what is pending. */
  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) clearInterval(t);
    this.fanOutSamples();
    await this.flush();
  }
}
