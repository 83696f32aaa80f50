import type { Logger } from 'pino';
import {
  PROTOCOL_VERSION,
  SAMPLE_BATCH_MS,
  type Marker,
  type Sample,
  type ServerToTeacherMessage,
  type ServiceMessage,
  type SessionSettings,
  type SnapshotMessage,
} from '@smartsession/protocol';
import type { AlertRow, ParticipantRow, Repository, SessionRow } from '../db/repository.js';
import { alertRecord, sessionSettings } from '../mapping.js';
import { Committer, FLUSH_MS } from './committer.js';
import { admit } from './gate.js';
import { ParticipantLimits } from './limits.js';
import type { Control, ControlBus, StudentLink, TeacherChannel } from './links.js';
import { SessionRoom, type RoomEvent } from './room.js';
import { PerTurnQueue } from './per-turn.js';
import { buildSnapshot, STALE_MS } from './snapshot.js';

/**
 * Acks sent per turn of the event loop. A commit acks every student of the instance at once (2,000 acks
 * at 2,000 students); sent in one go they held the loop for tens of milliseconds at every commit, and
 * a status change arriving then waited. In slices, incoming messages are handled between them.
 */
const ACK_SLICE = 25;

/**
 * Sample items per `samples` message, one message per turn of the event loop. At 2,500 students the
 * 250 ms fan-out is 2,500 items; encoded in one go it held the loop for about 10 ms (up to 40 ms after a
 * busy moment), and status changes waited behind it.
 */
const SAMPLES_SLICE = 500;

/** Alerts of the last hour are in the snapshot. */
const SNAPSHOT_ALERTS_MS = 3600_000;

/** What the hub reads and writes. */
export type LiveStore = Pick<
  Repository,
  | 'getSession'
  | 'listParticipants'
  | 'listAlerts'
  | 'latestStored'
  | 'listMarkers'
  | 'listSessionsWithLiveParticipants'
  | 'writeBatch'
>;

/** What the hub is built from. */
export interface HubDeps {
  store: LiveStore;
  teachers: TeacherChannel;
  /** Other instances (Redis), or null for a single instance. */
  bus: ControlBus | null;
  log: Logger;
  /** Unique ids for alerts. */
  newId: () => string;
  clock?: () => number;
  /** Called when storage goes down or comes back (health). */
  onStorage?: (ok: boolean, err?: unknown) => void;
  /** Most rows waiting for storage while it is down (default: the committer's). */
  maxPendingRows?: number;
  /**
   * Removes what the transport keeps about an id (a deleted session or participant): the Redis stream's
   * copies of teacher messages. Called at once and again a few seconds later (messages in flight).
   */
  purge?: (id: string) => Promise<unknown>;
  /** Hears each commit: called with its rows when it starts, the returned function with the outcome. */
  observeWrite?: (rows: number) => (ok: boolean) => void;
}

/** A student's connection as the hub sees it: messages in order, then close (both synchronous). */
export interface StudentConnection {
  /** Handles one raw inbound message of `bytes` serialized bytes. */
  message(raw: unknown, bytes: number): void;
  /** The link closed. */
  closed(): void;
}

/**
 * The live shell around {@link SessionRoom}s: a registry of rooms and student links, the inbound gate,
 * the write-behind committer (acks only after commit), fan-out to teachers (status changes at once,
 * samples every `SAMPLE_BATCH_MS`), and teacher actions applied here and on every other instance.
 * Transport-free: links, the teacher channel and the bus are interfaces (see `links.ts`).
 */
export class Hub {
  private readonly rooms = new Map<string, SessionRoom>();
  private readonly loading = new Map<string, Promise<SessionRoom | null>>();
  /** participantId → the link of that student here. */
  private readonly links = new Map<string, StudentLink>();
  /** Links that got their welcome (acks go only to those: before it, the client's seqs are not ours yet). */
  private readonly welcomed = new WeakSet<StudentLink>();
  /** Seqs that could not be stored and that the student has not been told of yet (told before any ack). */
  private readonly unstored = new Map<string, Array<{ seq: number; reason: string }>>();
  private readonly limits = new ParticipantLimits();
  private readonly committer: Committer;
  private readonly clock: () => number;
  private timers: NodeJS.Timeout[] = [];
  /**
   * Acks waiting to go out, in commit order (a student's acks never overtake each other), only to links
   * still current: an ack is only ever a promise kept.
   */
  private readonly acks = new PerTurnQueue<{ id: string; link: StudentLink; seq: number }>(
    ACK_SLICE,
    ({ id, link, seq }) => {
      if (this.links.get(id) === link) link.send({ type: 'ack', seq });
    },
  );
  /** Sample messages waiting to go out to teachers, in order (a room's never overtake each other). */
  private readonly samples = new PerTurnQueue<{ sessionId: string; items: Sample[] }>(
    1,
    ({ sessionId, items }) => this.toTeachers(sessionId, { type: 'samples', items }),
  );
  private closing = false;
  private clusterOk = true;

  constructor(private readonly deps: HubDeps) {
    this.clock = deps.clock ?? Date.now;
    this.committer = new Committer(
      deps.store,
      {
        rooms: () => this.rooms.values(),
        committed: (room, acks) => this.committed(room, acks),
        rejected: (_room, id, seqs, reason) => {
          const notices = this.unstored.get(id) ?? [];
          for (const seq of seqs) if (notices.length < 1000) notices.push({ seq, reason });
          this.unstored.set(id, notices);
          const link = this.links.get(id);
          if (link && this.welcomed.has(link)) this.tellUnstored(id, link);
        },
        storage: (ok, err) => this.storageChanged(ok, err),
        idle: (room) => this.unloadIfIdle(room),
      },
      deps.log,
      this.clock,
      deps.maxPendingRows,
      deps.observeWrite,
    );
    deps.bus?.subscribe((c) => this.applyControl(c));
  }

  /** Starts the flush and fan-out timers. */
  start(): this {
    this.timers.push(setInterval(() => this.fanOutSamples(), SAMPLE_BATCH_MS));
    this.timers.push(setInterval(() => void this.committer.flush(), FLUSH_MS));
    return this;
  }

  /** What the timers do, once (tests drive the hub with this and a fake clock). */
  async tick(): Promise<void> {
    this.fanOutSamples();
    this.samples.flush();
    await this.committer.flush();
    this.acks.flush();
  }

  /** True while storage is down (writes wait in memory, nothing is acked). */
  get storageDown(): boolean {
    return this.committer.storageDown;
  }

  /** Rows waiting for storage (while it is down). */
  get pendingRows(): number {
    return this.committer.pendingRows;
  }

  /** Number of students connected here. */
  get studentCount(): number {
    return this.links.size;
  }

  /** Seqs received here and not yet acknowledged to their student (stored or waiting for storage). */
  ackBacklog(): number {
    let n = 0;
    for (const room of this.rooms.values())
      for (const s of room.students.values()) n += Math.max(0, s.seq.max - s.ackedSeq);
    return n;
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
    const { store } = this.deps;
    const session = await store.getSession(sessionId);
    if (!session) return null;
    const [participants, alerts, latest] = await Promise.all([
      store.listParticipants(sessionId),
      store.listAlerts(sessionId, { since: this.clock() }),
      store.latestStored(sessionId),
    ]);
    const existing = this.rooms.get(sessionId);
    if (existing) return existing;
    const room = new SessionRoom(sessionId, sessionSettings(session), session.endedAt, this.deps.newId);
    const now = this.clock();
    for (const p of participants) {
      room.load(p, alerts, latest.get(p.id) ?? null);
      // A row still saying connected / not offline with no socket here is a crash leftover (nobody wrote
      // its `offline`). With several instances only rows not seen for STALE_MS: another may hold it.
      const orphan = !this.deps.bus || (p.lastSeenAt ?? 0) < now - STALE_MS;
      if (session.endedAt === null && orphan && !this.links.has(p.id))
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
    if (this.deps.bus) return 0;
    const ids = await this.deps.store.listSessionsWithLiveParticipants();
    for (const id of ids) await this.room(id);
    await this.committer.flush(true);
    return ids.length;
  }

  /**
   * Registers a student's link (the participant row comes from the handshake) and welcomes it once what
   * it sent before is committed. Returns null (and closes the link) when the student or session is gone.
   */
  async studentConnected(
    link: StudentLink,
    row: ParticipantRow,
    emotionConsent = false,
  ): Promise<StudentConnection | null> {
    // The handshake read the row a moment ago: no second read (a participant deleted in between is
    // refused by the database's foreign key at its first write, and its link closed by the deletion).
    const room = await this.room(row.sessionId);
    if (!room) {
      link.close();
      return null;
    }
    // No await between loading the room and registering the link: an idle room is not unloaded under us.
    const s = room.load(row, room.openAlerts());
    const previous = this.links.get(row.id);
    this.links.set(row.id, link);
    if (previous && previous !== link) previous.close();
    this.emitEvents(room, room.connect(row.id, this.clock(), emotionConsent));
    // No commit before the welcome: `lastSeq` is what is stored, `maxSeq` what was seen; the client
    // replays everything above `lastSeq` and the room ignores what it already has.
    if (this.links.get(row.id) !== link) return null;
    this.welcomed.add(link);
    // Refusals the student missed while away come first: the welcome's lastSeq covers their seqs.
    this.tellUnstored(row.id, link);
    link.send({
      type: 'welcome',
      protocol: PROTOCOL_VERSION,
      participantId: s.id,
      sessionId: room.sessionId,
      name: s.name,
      settings: room.settings,
      accommodations: s.accommodations,
      lastSeq: s.ackedSeq,
      maxSeq: s.seq.max,
    });
    if (room.endedAt !== null) link.send({ type: 'session_ended' });
    else if (this.committer.storageDown) link.send({ type: 'hold' });
    return {
      message: (raw, bytes) => this.studentMessage(link, row.id, room, raw, bytes),
      closed: () => this.studentDisconnected(link, row.id, room.sessionId),
    };
  }

  private studentMessage(
    link: StudentLink,
    id: string,
    room: SessionRoom,
    raw: unknown,
    bytes: number,
  ): void {
    if (this.links.get(id) !== link || this.rooms.get(room.sessionId) !== room) return;
    const now = this.clock();
    const verdict = admit(raw, {
      room,
      participantId: id,
      limits: this.limits,
      bytes,
      storageFull: this.committer.full,
      now,
    });
    if (!verdict.ok) {
      link.send({
        type: 'error',
        error: { code: verdict.code, message: verdict.message },
        ...(verdict.seq === undefined ? {} : { seq: verdict.seq }),
      });
      return;
    }
    const result = room.ingest(id, verdict.msg, now);
    this.limits.chargeRows(id, result.rows, now);
    this.emitEvents(room, result.events);
  }

  private tellUnstored(id: string, link: StudentLink): void {
    const notices = this.unstored.get(id);
    if (!notices) return;
    this.unstored.delete(id);
    for (const { seq, reason } of notices)
      link.send({
        type: 'error',
        error: { code: 'BAD_MESSAGE', message: `Could not be stored: ${reason}` },
        seq,
      });
  }

  private studentDisconnected(link: StudentLink, id: string, sessionId: string): void {
    if (this.links.get(id) !== link) return;
    this.links.delete(id);
    const room = this.rooms.get(sessionId);
    if (room) this.emitEvents(room, room.disconnect(id, this.clock()));
  }

  /**
   * What analysis on the server needs to know about a student connected to this instance (settings,
   * emotion consent, ended), or null when the student is not connected here.
   */
  analysisContext(
    participantId: string,
    sessionId: string,
  ): { settings: SessionSettings; emotionConsent: boolean; ended: boolean } | null {
    const room = this.rooms.get(sessionId);
    const s = room?.students.get(participantId);
    if (!room || !s || !this.links.has(participantId)) return null;
    return { settings: room.settings, emotionConsent: s.emotionConsent, ended: room.endedAt !== null };
  }

  /** Sends a message to every teacher watching a session (across instances). */
  toTeachers(sessionId: string, msg: ServerToTeacherMessage): void {
    this.deps.teachers.send(sessionId, msg);
  }

  /** Pushes the teacher-visible consequences of a room's events. */
  private emitEvents(room: SessionRoom, events: RoomEvent[]): void {
    for (const e of events) {
      if (e.type === 'alert') this.toTeachers(room.sessionId, { type: 'alert', alert: alertRecord(e.alert) });
      else {
        const s = room.students.get(e.participantId);
        if (s) this.toTeachers(room.sessionId, { type: 'student', student: room.view(s) });
      }
    }
  }

  /** Takes every room's samples and queues them in messages of at most SAMPLES_SLICE items. */
  private fanOutSamples(): void {
    for (const room of this.rooms.values()) {
      const items = room.takeSamples();
      for (let i = 0; i < items.length; i += SAMPLES_SLICE)
        this.samples.push({
          sessionId: room.sessionId,
          items: items.length <= SAMPLES_SLICE ? items : items.slice(i, i + SAMPLES_SLICE),
        });
    }
    this.samples.schedule();
  }

  /** Commits every room's pending writes, then acknowledges; resolves when done (or when storage is down). */
  flush(): Promise<void> {
    return this.committer.flush(true);
  }

  private committed(room: SessionRoom, acks: ReadonlyMap<string, number>): void {
    room.committed(acks);
    for (const [id, seq] of acks) {
      const link = this.links.get(id);
      if (link && this.welcomed.has(link)) this.acks.push({ id, link, seq });
    }
    // While closing, the last acks go out at once after the final commit (close()).
    if (!this.closing) this.acks.schedule();
  }

  private storageChanged(ok: boolean, err?: unknown): void {
    this.deps.onStorage?.(ok, err);
    for (const link of this.links.values()) link.send({ type: ok ? 'resume' : 'hold' });
    const msg = this.service();
    for (const id of this.deps.teachers.localSessions()) this.deps.teachers.sendLocal(id, msg);
  }

  /**
   * Other instances became unreachable (Redis down) or reachable again. While down, teacher messages go to
   * this instance's teachers only; once back (after a moment, so that messages queued during the cut are
   * out first), this instance's teachers get a fresh snapshot of their class, whatever they missed.
   */
  clusterChanged(ok: boolean): void {
    if (this.clusterOk === ok) return;
    this.clusterOk = ok;
    const { teachers } = this.deps;
    const msg = this.service();
    for (const id of teachers.localSessions()) teachers.sendLocal(id, msg);
    if (!ok) return;
    setTimeout(() => {
      for (const id of teachers.localSessions()) {
        void this.deps.store
          .getSession(id)
          .then((session) => (session ? this.snapshot(session) : null))
          .then(
            (snap) => {
              if (snap) teachers.sendLocal(id, snap);
            },
            (err: unknown) => this.deps.log.warn({ err }, 'snapshot after the cluster came back failed'),
          );
      }
    }, 1000).unref();
  }

  /** True while other instances are reachable (or there are none). */
  get clusterUp(): boolean {
    return this.clusterOk;
  }

  /** The server's health as a teacher should know it. */
  service(): ServiceMessage {
    return {
      type: 'service',
      storage: this.committer.storageDown ? 'down' : 'ok',
      cluster: this.deps.bus ? (this.clusterOk ? 'ok' : 'down') : 'single',
    };
  }

  /** Forgets a room nobody uses here (no student link, no teacher, nothing pending). */
  private unloadIfIdle(room: SessionRoom): void {
    if (this.closing || this.loading.has(room.sessionId) || this.committer.storageDown) return;
    for (const id of room.students.keys()) if (this.links.has(id)) return;
    if (this.deps.teachers.watching(room.sessionId)) return;
    this.rooms.delete(room.sessionId);
  }

  /** The full state of a session for a teacher that just connected. */
  async snapshot(session: SessionRow): Promise<SnapshotMessage> {
    const now = this.clock();
    const { store } = this.deps;
    const [rows, alerts, markers] = await Promise.all([
      store.listParticipants(session.id),
      store.listAlerts(session.id, { since: now - SNAPSHOT_ALERTS_MS }),
      store.listMarkers(session.id),
    ]);
    return buildSnapshot({
      sessionId: session.id,
      settings: this.rooms.get(session.id)?.settings ?? sessionSettings(session),
      endedAt: session.endedAt,
      rows,
      alerts,
      markers,
      room: this.rooms.get(session.id) ?? null,
      connectedHere: (id) => this.links.has(id),
      now,
    });
  }

  // ---- teacher actions (HTTP), applied here and on every other instance ----------------------------

  private control(c: Control): void {
    this.applyControl(c);
    this.deps.bus?.publish(c);
  }

  /** Sends a student (when connected here) the session settings and their accommodations. */
  private sendSettings(room: SessionRoom, id: string): void {
    const s = room.students.get(id);
    const link = this.links.get(id);
    if (s && link) link.send({ type: 'settings', settings: room.settings, accommodations: s.accommodations });
  }

  private applyControl(c: Control): void {
    const room = this.rooms.get(c.sessionId);
    switch (c.kind) {
      case 'settings': {
        if (!room) return;
        room.setSettings(c.settings);
        for (const id of room.students.keys()) this.sendSettings(room, id);
        return;
      }
      case 'accommodations': {
        if (room?.setAccommodations(c.participantId, c.accommodations))
          this.sendSettings(room, c.participantId);
        return;
      }
      case 'ended': {
        if (!room) return;
        this.emitEvents(room, room.end(c.endedAt));
        for (const id of room.students.keys()) this.links.get(id)?.send({ type: 'session_ended' });
        return;
      }
      case 'ack_alert':
        room?.acknowledge(c.alertId, c.t);
        return;
      case 'participant_deleted': {
        room?.remove(c.participantId);
        this.limits.forget(c.participantId);
        this.unstored.delete(c.participantId);
        this.links.get(c.participantId)?.close();
        this.links.delete(c.participantId);
        return;
      }
      case 'deleted': {
        this.rooms.delete(c.sessionId);
        if (room) {
          for (const id of room.students.keys()) {
            this.links.get(id)?.close();
            this.links.delete(id);
            this.limits.forget(id);
            this.unstored.delete(id);
          }
        }
        return;
      }
    }
  }

  /** Settings changed: students apply them; teachers get the settings and a fresh snapshot (names). */
  async settingsChanged(session: SessionRow): Promise<void> {
    const settings = sessionSettings(session);
    this.control({ kind: 'settings', sessionId: session.id, settings });
    this.toTeachers(session.id, { type: 'session_settings', settings });
    this.toTeachers(session.id, await this.snapshot(session));
  }

  /** Accommodations changed: the student applies them; teachers see the updated student. */
  accommodationsChanged(session: SessionRow, p: ParticipantRow): void {
    this.control({
      kind: 'accommodations',
      sessionId: session.id,
      participantId: p.id,
      accommodations: p.accommodations,
    });
    const room = this.rooms.get(session.id);
    const s = room?.students.get(p.id);
    if (room && s) this.toTeachers(session.id, { type: 'student', student: room.view(s) });
  }

  /** The session ended: ingestion stops everywhere, and open alerts end. */
  async sessionEnded(session: SessionRow): Promise<void> {
    this.control({ kind: 'ended', sessionId: session.id, endedAt: session.endedAt ?? this.clock() });
    this.toTeachers(session.id, { type: 'session_ended' });
    await this.committer.flush(true);
  }

  /** The session is being deleted: drop its room, links and teachers (call before deleting the rows). */
  async sessionDeleted(sessionId: string): Promise<void> {
    await this.committer.flush(true);
    this.control({ kind: 'deleted', sessionId });
    this.deps.teachers.closeSession(sessionId);
    this.purgeSoon(sessionId);
  }

  /** A participant is being deleted. */
  async participantDeleted(sessionId: string, participantId: string): Promise<void> {
    await this.committer.flush(true);
    this.control({ kind: 'participant_deleted', sessionId, participantId });
    this.purgeSoon(participantId);
  }

  private purgeSoon(id: string): void {
    const purge = this.deps.purge;
    if (!purge) return;
    const run = () =>
      purge(id).catch((err: unknown) => this.deps.log.warn({ err }, 'could not purge the live stream'));
    void run();
    setTimeout(() => void run(), 3000).unref();
  }

  /** A teacher signed out: their live connections end on every instance. */
  signedOut(authSessionId: string): void {
    this.deps.teachers.closeAuth(authSessionId);
  }

  /** A teacher dropped a marker. */
  markerAdded(sessionId: string, marker: Marker): void {
    this.toTeachers(sessionId, { type: 'marker', marker });
  }

  /** A teacher acknowledged an alert. */
  alertAcknowledged(sessionId: string, alert: AlertRow): void {
    this.control({
      kind: 'ack_alert',
      sessionId,
      alertId: alert.id,
      t: alert.acknowledgedAt ?? this.clock(),
    });
    this.toTeachers(sessionId, { type: 'alert', alert: alertRecord(alert) });
  }

  /** Stops the timers and commits what is pending (once, if storage answers). */
  async close(): Promise<void> {
    this.closing = true;
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    this.fanOutSamples();
    this.samples.flush();
    await this.committer.flush(true);
    // The last acks go out at once: the sockets close next.
    this.acks.flush();
  }
}
