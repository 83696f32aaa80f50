/**
 * The records the live layer reads and writes, as plain data. The database layer stores exactly these
 * shapes (its row types are structurally the same); the live core never imports the database.
 */
import type {
  Accommodations,
  AlertCode,
  AlertRecord,
  FrameResult,
  Reason,
  StudentStatus,
} from '@smartsession/protocol';

/** A participant as stored: what a room needs to load a student. Times are server ms. */
export interface StoredParticipant {
  id: string;
  name: string;
  /** 1-based join order: the pseudonym "Student N". */
  number: number;
  accommodations: Accommodations;
  status: StudentStatus;
  alert: AlertCode | null;
  /** A `Reason` as stored (read it with `readReason`: rows older than protocol 2 hold a sentence). */
  reason: unknown;
  statusSince: number;
  lastSeenAt: number | null;
  lostSince: number | null;
  /** Highest contiguous seq stored. */
  lastSeq: number;
  /** Server ms minus client ms, from the latest live message. */
  clockOffset: number | null;
  connected: boolean;
}

/** The live fields of a participant written with each batch. */
export interface ParticipantLive {
  id: string;
  lastSeq: number;
  status: StudentStatus;
  alert: AlertCode | null;
  reason: Reason | null;
  statusSince: number;
  connected: boolean;
  lastSeenAt: number | null;
  lostSince: number | null;
  /** Server ms minus client ms (null or absent: keep the stored one). */
  clockOffset?: number | null;
}

/** One stored telemetry sample. `t` is server ms, `ct` the client's ms. */
export interface SampleWrite {
  sessionId: string;
  participantId: string;
  seq: number;
  t: number;
  ct: number;
  status: StudentStatus;
  score: number | null;
  /**
   * The frame as JSON text (`frameText`), written when the sample is queued. A row waits up to two
   * seconds for its commit; holding the frame as parsed objects (five, nested) kept every one alive
   * through several collections of the young generation and into the old one. One string is copied, not
   * traced, and the commit embeds it as it is instead of serializing it then.
   */
  frame: string | null;
}

/** A frame as a sample row stores it (see `SampleWrite.frame`). */
export function frameText(frame: FrameResult | null): string | null {
  return frame ? JSON.stringify(frame) : null;
}

/** One stored status change (seq null when the server decided it: connect, disconnect, crash). */
export interface StatusChangeWrite {
  sessionId: string;
  participantId: string;
  seq: number | null;
  t: number;
  status: StudentStatus;
  alert: AlertCode | null;
  reason: Reason | null;
}

/** An alert as stored (inserted, or its end and acknowledgement updated by id). Times are server ms. */
export interface AlertState {
  id: string;
  sessionId: string;
  participantId: string;
  kind: AlertRecord['kind'];
  code: AlertCode | null;
  startedAt: number;
  endedAt: number | null;
  acknowledgedAt: number | null;
}

/** Everything one commit writes, in one transaction. */
export interface WriteBatch {
  samples: SampleWrite[];
  statusChanges: StatusChangeWrite[];
  /** Inserted, or (same id) their end/acknowledge times updated. */
  alerts: AlertState[];
  participants: ParticipantLive[];
}

/** Number of rows a batch writes. */
export function batchRows(b: WriteBatch): number {
  return b.samples.length + b.statusChanges.length + b.alerts.length + b.participants.length;
}
