/**
 * Stored rows to wire shapes, in one place: the live layer, the HTTP routes and the reports map rows the
 * same way (pseudonyms in anonymous sessions, the settings of a session row, alerts).
 */
import {
  readReason,
  type AlertRecord,
  type SessionSettings,
  type StudentState,
} from '@smartsession/protocol';
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
