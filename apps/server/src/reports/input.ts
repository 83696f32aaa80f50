/**
 * Plain inputs of the report computation (what the report queries read from storage). Times are server
 * ms since the epoch.
 */
import type {
  AlertCode,
  AlertRecord,
  EmotionSetting,
  SessionMode,
  StudentStatus,
} from '@smartsession/protocol';

/** The session being reported on (its stored row's columns of the same names). */
export interface ReportSessionInput {
  id: string;
  title: string;
  mode: SessionMode;
  emotion: EmotionSetting;
  anonymous: boolean;
  createdAt: number;
  endedAt: number | null;
}

/** A participant, as joined. */
interface ReportParticipantInput {
  id: string;
  name: string;
  number: number;
  createdAt: number;
}

/** A stored status change (listed in the order stored, i.e. by id). */
export interface ReportStatusChangeInput {
  participantId: string;
  t: number;
  status: StudentStatus;
  alert: AlertCode | null;
}

/** A stored alert row: `kind` `proctor` (with `code`) or `self_report`. */
interface ReportAlertInput {
  id: string;
  participantId: string;
  kind: AlertRecord['kind'];
  code: AlertCode | null;
  startedAt: number;
  endedAt: number | null;
}

/** Stored samples summed: how many, how many carried a score, and the sum of those scores. */
interface SampleSum {
  count: number;
  scoreCount: number;
  scoreSum: number;
}

/**
 * Stored samples within the report's time, summed once per participant and once per timeline bucket
 * (`floor((t - session.createdAt) / bucketMs)`, a sample at the very end going to the last bucket).
 */
export interface SampleSums {
  byParticipant: Array<SampleSum & { participantId: string }>;
  byBucket: Array<SampleSum & { bucket: number }>;
}

/** A teacher's marker. */
export interface ReportMarkerInput {
  id: string;
  t: number;
  label: string;
}

/** Everything {@link buildReport} needs. */
export interface ReportInput {
  session: ReportSessionInput;
  /** Report time: the end of the report while the session runs. */
  now: number;
  /** Timeline bucket width, ms (see `bucketMsFor`). */
  bucketMs: number;
  participants: ReportParticipantInput[];
  statusChanges: ReportStatusChangeInput[];
  alerts: ReportAlertInput[];
  sampleSums: SampleSums;
  markers: ReportMarkerInput[];
}

/** Allowed bucket widths, seconds: the smallest giving at most {@link MAX_BUCKETS} buckets is used. */
const BUCKET_SECONDS = [10, 30, 60, 120, 300, 600, 1800, 3600, 21_600, 86_400];
/** Most timeline buckets for sessions up to a day long. */
const MAX_BUCKETS = 360;

/** The timeline bucket width (ms) for a session of `durationMs`: 10 s up to an hour, wider beyond. */
export function bucketMsFor(durationMs: number): number {
  for (const s of BUCKET_SECONDS) if (Math.ceil(durationMs / (s * 1000)) <= MAX_BUCKETS) return s * 1000;
  return BUCKET_SECONDS[BUCKET_SECONDS.length - 1]! * 1000;
}

/** The report's end time: the session's end, or `now` while it runs (never before the start). */
export function reportEnd(session: ReportSessionInput, now: number): number {
  return Math.max(session.createdAt, session.endedAt ?? now);
}

/** Number of buckets covering `[start, end]`. */
export function bucketCount(start: number, end: number, bucketMs: number): number {
  return Math.ceil((end - start) / bucketMs);
}

/**
 * Sums raw samples into {@link SampleSums}, exactly as the SQL query does: samples outside
 * `[start, end]` are left out, a sample at `end` goes to the last bucket.
 */
export function aggregateSamples(
  samples: Array<{ participantId: string; t: number; score: number | null }>,
  start: number,
  end: number,
  bucketMs: number,
): SampleSums {
  const last = Math.max(0, bucketCount(start, end, bucketMs) - 1);
  const people = new Map<string, SampleSum & { participantId: string }>();
  const buckets = new Map<number, SampleSum & { bucket: number }>();
  const add = (sum: SampleSum, score: number | null) => {
    sum.count++;
    if (score === null) return;
    sum.scoreCount++;
    sum.scoreSum += score;
  };
  for (const s of samples) {
    if (s.t < start || s.t > end) continue;
    const bucket = Math.min(Math.floor((s.t - start) / bucketMs), last);
    let p = people.get(s.participantId);
    if (!p)
      people.set(
        s.participantId,
        (p = { participantId: s.participantId, count: 0, scoreCount: 0, scoreSum: 0 }),
      );
    let b = buckets.get(bucket);
    if (!b) buckets.set(bucket, (b = { bucket, count: 0, scoreCount: 0, scoreSum: 0 }));
    add(p, s.score);
    add(b, s.score);
  }
  return { byParticipant: [...people.values()], byBucket: [...buckets.values()] };
}
