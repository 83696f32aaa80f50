import type { WriteBatch } from '../records.js';
import type * as schema from './schema.js';

export type { ParticipantLive, SampleWrite, WriteBatch } from '../records.js';

/** Row types as stored (times in ms since the epoch). */
export type TeacherRow = typeof schema.teachers.$inferSelect;
export type SessionRow = typeof schema.sessions.$inferSelect;
export type NewSession = typeof schema.sessions.$inferInsert;
export type ParticipantRow = typeof schema.participants.$inferSelect;
export type SampleRow = typeof schema.samples.$inferSelect;
export type StatusChangeRow = typeof schema.statusChanges.$inferSelect;
export type NewStatusChange = typeof schema.statusChanges.$inferInsert;
export type AlertRow = typeof schema.alerts.$inferSelect;
export type MarkerRow = typeof schema.markers.$inferSelect;
export type AuditRow = typeof schema.auditLog.$inferSelect;
export type NewAudit = typeof schema.auditLog.$inferInsert;

/** What a join stores about a new participant. */
export interface NewParticipant {
  id: string;
  sessionId: string;
  name: string;
  tokenHash: string;
  createdAt: number;
}

/** Settings a teacher may change. */
export type SessionPatch = Partial<
  Pick<SessionRow, 'mode' | 'emotion' | 'lookAwaySeconds' | 'anonymous' | 'serverAnalysis'>
>;

/**
 * Storage used by the server. One implementation (Drizzle) serves PGlite and PostgreSQL; the contract
 * test suite runs against both.
 */
export interface Repository {
  /** A trivial round trip: resolves when the database answers (health probe). */
  ping(): Promise<void>;
  getMeta(key: string): Promise<string | null>;
  /** Stores `value` unless the key exists; returns the stored value either way. */
  setMetaIfAbsent(key: string, value: string): Promise<string>;

  /** Returns false when the e-mail is taken. */
  createTeacher(row: TeacherRow): Promise<boolean>;
  findTeacherByEmail(email: string): Promise<TeacherRow | null>;
  createAuthSession(row: {
    id: string;
    teacherId: string;
    createdAt: number;
    expiresAt: number;
  }): Promise<void>;
  /** The teacher of an unexpired auth session, or null. */
  findAuthSessionTeacher(id: string, now: number): Promise<TeacherRow | null>;
  deleteAuthSession(id: string): Promise<void>;

  /** Returns false when the join code is taken. */
  createSession(row: NewSession): Promise<boolean>;
  getSession(id: string): Promise<SessionRow | null>;
  getSessionByCode(joinCode: string): Promise<SessionRow | null>;
  /** The teacher's sessions, newest first, with participant counts. */
  listSessions(teacherId: string): Promise<Array<SessionRow & { participantCount: number }>>;
  updateSession(id: string, patch: SessionPatch): Promise<SessionRow | null>;
  endSession(id: string, t: number): Promise<SessionRow | null>;
  /** Deletes a session and all its data. */
  deleteSession(id: string): Promise<boolean>;

  /**
   * Creates a participant numbered after the session's last one. Atomic: the session row's counter is
   * taken and the participant inserted in one transaction, so concurrent joins never collide.
   */
  createParticipant(row: NewParticipant): Promise<ParticipantRow>;
  /** The same, or null when the session already has `maxParticipants`. */
  createParticipant(row: NewParticipant, maxParticipants: number): Promise<ParticipantRow | null>;
  /**
   * Creates several participants of one session at once (one transaction, numbered in the order
   * given); an entry is null where the session already had `maxParticipants`.
   */
  createParticipants(
    sessionId: string,
    rows: NewParticipant[],
    maxParticipants: number,
  ): Promise<Array<ParticipantRow | null>>;
  findParticipantByToken(tokenHash: string): Promise<ParticipantRow | null>;
  getParticipant(id: string): Promise<ParticipantRow | null>;
  listParticipants(sessionId: string): Promise<ParticipantRow[]>;
  /** Ids of sessions not ended that have a participant stored as connected or not `offline`. */
  listSessionsWithLiveParticipants(): Promise<string[]>;
  updateAccommodations(id: string, accommodations: Record<string, unknown>): Promise<ParticipantRow | null>;
  deleteParticipant(id: string): Promise<boolean>;

  writeBatch(batch: WriteBatch): Promise<void>;
  /**
   * Per participant of a session, the highest seq and the latest time (server ms) of its stored samples
   * and status changes: what its lazily written live row may not say yet.
   */
  latestStored(sessionId: string): Promise<Map<string, { seq: number; t: number }>>;
  listSamples(
    sessionId: string,
    opts?: { participantId?: string; since?: number; limit?: number },
  ): Promise<SampleRow[]>;
  listStatusChanges(sessionId: string, participantId?: string): Promise<StatusChangeRow[]>;
  listAlerts(sessionId: string, opts?: { participantId?: string; since?: number }): Promise<AlertRow[]>;
  getAlert(id: string): Promise<AlertRow | null>;
  acknowledgeAlert(id: string, t: number): Promise<AlertRow | null>;
  createMarker(row: MarkerRow): Promise<void>;
  listMarkers(sessionId: string): Promise<MarkerRow[]>;

  addAudit(row: NewAudit): Promise<void>;
  /** A teacher's audit entries, newest first; `before`: only entries with a smaller id (paging). */
  listAudit(teacherId: string, opts?: { limit?: number; before?: number }): Promise<AuditRow[]>;
}
