/**
 * Stored rows to wire shapes, in one place: the live layer, the HTTP routes and the reports map rows the
 * same way (pseudonyms in anonymous sessions, the settings of a session row, alerts, samples). The
 * columns are typed as the protocol's enums at the schema (`$type<>()` in db/schema.ts), so nothing here
 * casts.
 */
import {
  readReason,
  type AlertRecord,
  type AuditEntry,
  type Marker,
  type ParticipantExport,
  type ParticipantInfo,
  type SessionInfo,
  type SessionSettings,
  type StudentState,
  type TimelinePoint,
} from '@smartsession/protocol';
import { formatJoinCode } from './auth/crypto.js';
import type {
  AuditRow,
  MarkerRow,
  ParticipantRow,
  SampleRow,
  SessionRow,
  StatusChangeRow,
} from './db/repository.js';
import type { AlertState, StoredParticipant } from './records.js';

/** The settings part of a stored session. */
export function sessionSettings(s: {
  mode: SessionSettings['mode'];
  emotion: SessionSettings['emotion'];
  lookAwaySeconds: number;
  anonymous: boolean;
  serverAnalysis?: boolean;
}): SessionSettings {
  return {
    mode: s.mode,
    emotion: s.emotion,
    lookAwaySeconds: s.lookAwaySeconds,
    anonymous: s.anonymous,
    serverAnalysis: s.serverAnalysis ?? false,
  };
}

/** The name a teacher sees: a pseudonym ("Student 3", by join order) in anonymous sessions. */
export function displayName(p: { name: string; number: number }, anonymous: boolean): string {
  return anonymous ? `Student ${p.number}` : p.name;
}

/** A stored alert as the wire record. */
export function alertRecord(a: AlertState): AlertRecord {
  return {
    id: a.id,
    participantId: a.participantId,
    kind: a.kind,
    code: a.code,
    startedAt: a.startedAt,
    endedAt: a.endedAt,
    acknowledgedAt: a.acknowledgedAt,
  };
}

/**
 * A student as stored, as the teacher stream shows it when no live state is at hand: `offline` when the
 * row is not connected or was not seen since `staleBefore` (server ms).
 */
export function storedStudentState(
  row: StoredParticipant,
  anonymous: boolean,
  staleBefore: number,
): StudentState {
  const stale = !row.connected || (row.lastSeenAt ?? 0) < staleBefore;
  return {
    participantId: row.id,
    name: displayName(row, anonymous),
    status: stale ? 'offline' : row.status,
    alert: stale ? null : row.alert,
    reason: stale ? null : readReason(row.reason),
    number: row.number,
    statusSince: row.statusSince,
    lastSeenAt: row.lastSeenAt,
    connected: !stale,
    lostSince: row.lostSince,
    frame: null,
    accommodations: row.accommodations,
  };
}

/** A stored session as its teacher sees it; `base` is the public origin (`PUBLIC_URL`), never a request's Host. */
export function sessionInfo(s: SessionRow, base: string, participantCount?: number): SessionInfo {
  const code = formatJoinCode(s.joinCode);
  return {
    id: s.id,
    title: s.title,
    joinCode: code,
    joinUrl: `${base}/join/${code}`,
    settings: sessionSettings(s),
    createdAt: s.createdAt,
    endedAt: s.endedAt,
    ...(participantCount === undefined ? {} : { participantCount }),
  };
}

/** A participant as the HTTP API lists it. */
export function participantInfo(p: ParticipantRow, anonymous: boolean): ParticipantInfo {
  return {
    id: p.id,
    name: displayName(p, anonymous),
    joinedAt: p.createdAt,
    accommodations: p.accommodations,
  };
}

/** A stored sample as a timeline point. */
export function timelinePoint(r: SampleRow): TimelinePoint {
  return {
    participantId: r.participantId,
    t: r.t,
    ct: r.ct,
    seq: r.seq,
    score: r.score,
    status: r.status,
  };
}

/** A stored status change as a participant export lists it. */
export function statusChangeRecord(c: StatusChangeRow): ParticipantExport['statusChanges'][number] {
  return { t: c.t, seq: c.seq, status: c.status, alert: c.alert, reason: c.reason };
}

/** A stored marker as the wire record. */
export function markerRecord(m: MarkerRow): Marker {
  return { id: m.id, t: m.t, label: m.label };
}

/** A stored audit log entry as the teacher reads it. */
export function auditEntry(r: AuditRow): AuditEntry {
  return {
    id: r.id,
    t: r.t,
    action: r.action,
    sessionId: r.sessionId,
    targetId: r.targetId,
    details: r.details ?? null,
    ip: r.ip,
  };
}
