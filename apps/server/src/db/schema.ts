import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  real,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import type {
  Accommodations,
  AlertCode,
  AlertRecord,
  EmotionSetting,
  FrameResult,
  SessionMode,
  StudentStatus,
} from '@smartsession/protocol';

/** Times are stored as ms since the epoch (bigint, read as JS numbers). */
const ms = (name: string) => bigint(name, { mode: 'number' });

/** Key/value settings of the server itself (e.g. the generated cookie secret). */
export const meta = pgTable('meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

export const teachers = pgTable(
  'teachers',
  {
    id: text('id').primaryKey(),
    email: text('email').notNull(),
    name: text('name').notNull(),
    passwordHash: text('password_hash').notNull(),
    createdAt: ms('created_at').notNull(),
  },
  (t) => [uniqueIndex('teachers_email_idx').on(t.email)],
);

/** Signed-in browser sessions; `id` is the SHA-256 of the cookie token. */
export const authSessions = pgTable(
  'auth_sessions',
  {
    id: text('id').primaryKey(),
    teacherId: text('teacher_id')
      .notNull()
      .references(() => teachers.id, { onDelete: 'cascade' }),
    createdAt: ms('created_at').notNull(),
    expiresAt: ms('expires_at').notNull(),
  },
  (t) => [index('auth_sessions_teacher_idx').on(t.teacherId)],
);

export const sessions = pgTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    teacherId: text('teacher_id')
      .notNull()
      .references(() => teachers.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    joinCode: text('join_code').notNull(),
    mode: text('mode').$type<SessionMode>().notNull(),
    emotion: text('emotion').$type<EmotionSetting>().notNull(),
    lookAwaySeconds: real('look_away_seconds').notNull(),
    anonymous: boolean('anonymous').notNull(),
    /** Students whose device cannot analyse may send frames to this server (analysed in memory only). */
    serverAnalysis: boolean('server_analysis').notNull().default(false),
    createdAt: ms('created_at').notNull(),
    endedAt: ms('ended_at'),
    /** Students who ever joined: the next one gets number `participantCount + 1` (atomic numbering). */
    participantCount: integer('participant_count').notNull().default(0),
  },
  (t) => [
    uniqueIndex('sessions_join_code_idx').on(t.joinCode),
    index('sessions_teacher_idx').on(t.teacherId, t.createdAt),
    index('sessions_created_idx').on(t.createdAt),
  ],
);

/** A student in a session, with the live fields last written (status, connection, last stored seq). */
export const participants = pgTable(
  'participants',
  {
    id: text('id').primaryKey(),
    sessionId: text('session_id')
      .notNull()
      .references(() => sessions.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** 1-based join order in the session: the pseudonym "Student N". */
    number: integer('number').notNull(),
    tokenHash: text('token_hash').notNull(),
    accommodations: jsonb('accommodations')
      .$type<Accommodations>()
      .notNull()
      .default(sql`'{}'::jsonb`),
    createdAt: ms('created_at').notNull(),
    lastSeq: bigint('last_seq', { mode: 'number' }).notNull().default(0),
    status: text('status').$type<StudentStatus>().notNull().default('offline'),
    alert: text('alert').$type<AlertCode>(),
    /** Why, a protocol `Reason` (`{code, seconds?, count?}`); rows older than protocol 2 hold a string. */
    reason: jsonb('reason'),
    statusSince: ms('status_since').notNull(),
    connected: boolean('connected').notNull().default(false),
    lastSeenAt: ms('last_seen_at'),
    lostSince: ms('lost_since'),
    /** Server ms minus client ms from the student's latest live message (kept across restarts). */
    clockOffset: ms('clock_offset'),
  },
  (t) => [
    uniqueIndex('participants_token_idx').on(t.tokenHash),
    uniqueIndex('participants_session_number_idx').on(t.sessionId, t.number),
  ],
);

/** Stored telemetry, about 1 per second per student. `t` server ms, `ct` client ms. */
export const samples = pgTable(
  'samples',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    sessionId: text('session_id')
      .notNull()
      .references(() => sessions.id, { onDelete: 'cascade' }),
    participantId: text('participant_id')
      .notNull()
      .references(() => participants.id, { onDelete: 'cascade' }),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    t: ms('t').notNull(),
    ct: ms('ct').notNull(),
    status: text('status').$type<StudentStatus>().notNull(),
    score: real('score'),
    frame: jsonb('frame').$type<FrameResult>(),
  },
  (t) => [
    index('samples_session_t_idx').on(t.sessionId, t.t),
    index('samples_participant_t_idx').on(t.participantId, t.t),
    uniqueIndex('samples_participant_seq_idx').on(t.participantId, t.seq),
  ],
);

/** Every status change of a student (including `offline`). */
export const statusChanges = pgTable(
  'status_changes',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    sessionId: text('session_id')
      .notNull()
      .references(() => sessions.id, { onDelete: 'cascade' }),
    participantId: text('participant_id')
      .notNull()
      .references(() => participants.id, { onDelete: 'cascade' }),
    seq: bigint('seq', { mode: 'number' }),
    t: ms('t').notNull(),
    status: text('status').$type<StudentStatus>().notNull(),
    alert: text('alert').$type<AlertCode>(),
    /** Why, a protocol `Reason` (`{code, seconds?, count?}`); rows older than protocol 2 hold a string. */
    reason: jsonb('reason'),
  },
  (t) => [
    index('status_changes_session_t_idx').on(t.sessionId, t.t),
    index('status_changes_participant_t_idx').on(t.participantId, t.t),
    // A replayed status change (same seq) is stored once: writes are idempotent.
    uniqueIndex('status_changes_participant_seq_idx')
      .on(t.participantId, t.seq)
      .where(sql`seq is not null`),
  ],
);

/** Proctor alerts and "I'm lost" self-reports. */
export const alerts = pgTable(
  'alerts',
  {
    id: text('id').primaryKey(),
    sessionId: text('session_id')
      .notNull()
      .references(() => sessions.id, { onDelete: 'cascade' }),
    participantId: text('participant_id')
      .notNull()
      .references(() => participants.id, { onDelete: 'cascade' }),
    kind: text('kind').$type<AlertRecord['kind']>().notNull(),
    code: text('code').$type<AlertCode>(),
    startedAt: ms('started_at').notNull(),
    endedAt: ms('ended_at'),
    acknowledgedAt: ms('acknowledged_at'),
  },
  (t) => [
    index('alerts_session_t_idx').on(t.sessionId, t.startedAt),
    index('alerts_participant_t_idx').on(t.participantId, t.startedAt),
  ],
);

export const markers = pgTable(
  'markers',
  {
    id: text('id').primaryKey(),
    sessionId: text('session_id')
      .notNull()
      .references(() => sessions.id, { onDelete: 'cascade' }),
    t: ms('t').notNull(),
    label: text('label').notNull(),
  },
  (t) => [index('markers_session_t_idx').on(t.sessionId, t.t)],
);

/**
 * What a teacher did (exports, deletions, settings changes, sign-ins), for the teacher to review. Not
 * tied to sessions by a foreign key: the entry of a deletion outlives what it deleted.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    teacherId: text('teacher_id')
      .notNull()
      .references(() => teachers.id, { onDelete: 'cascade' }),
    t: ms('t').notNull(),
    action: text('action').notNull(),
    sessionId: text('session_id'),
    targetId: text('target_id'),
    details: jsonb('details').$type<Record<string, unknown>>(),
    ip: text('ip'),
  },
  (t) => [index('audit_log_teacher_t_idx').on(t.teacherId, t.t)],
);
