/** The full state of a session for a teacher that just connected (pure). */
import type {
  AlertRecord,
  Marker,
  SessionSettings,
  SnapshotMessage,
  StudentState,
} from '@smartsession/protocol';
import { alertRecord, storedStudentState } from '../mapping.js';
import type { AlertState, StoredParticipant } from '../records.js';
import type { SessionRoom } from './room.js';

/** A student not seen locally for this long, with no socket here, counts as offline in a snapshot. */
export const STALE_MS = 15_000;

/** What a snapshot is built from. */
export interface SnapshotInput {
  sessionId: string;
  settings: SessionSettings;
  endedAt: number | null;
  /** Stored participants, in join order. */
  rows: readonly StoredParticipant[];
  /** Stored alerts of the last hour and open ones. */
  alerts: readonly AlertState[];
  markers: readonly Marker[];
  /** The room loaded here, if any. */
  room: SessionRoom | null;
  /** True when the student has a connection on this instance. */
  connectedHere: (participantId: string) => boolean;
  now: number;
}

/**
 * Students from the room where it knows better (connected here, or seen here after the row was written),
 * otherwise from their rows; alerts stored plus those open in memory; oldest alert first.
 */
export function buildSnapshot(input: SnapshotInput): SnapshotMessage {
  const { room, settings } = input;
  const students: StudentState[] = input.rows.map((row) => {
    const live = room?.students.get(row.id);
    if (live && (input.connectedHere(row.id) || (live.lastSeenAt ?? 0) > (row.lastSeenAt ?? 0)))
      return room!.view(live);
    return storedStudentState(row, settings.anonymous, input.now - STALE_MS);
  });
  const alerts = new Map<string, AlertRecord>(input.alerts.map((a) => [a.id, alertRecord(a)]));
  for (const a of room?.openAlerts() ?? []) alerts.set(a.id, alertRecord(a));
  return {
    type: 'snapshot',
    sessionId: input.sessionId,
    serverTime: input.now,
    settings,
    endedAt: input.endedAt,
    students,
    alerts: [...alerts.values()].sort((a, b) => a.startedAt - b.startedAt),
    markers: input.markers.map((m) => ({ id: m.id, t: m.t, label: m.label })),
  };
}
