import { z } from 'zod';
import { Marker } from './messages.js';
import { AlertCode, EmotionSetting, SessionMode } from './status.js';

/**
 * Seconds a student spent in each status (`StudentStatus`), within the student's part of the session
 * (from joining to the session's end, or to `generatedAt` while it runs). The statuses partition that
 * time: they sum to `observedSeconds`. Seconds, millisecond precision.
 */
export const StatusSeconds = z.object({
  focused: z.number().min(0),
  confused: z.number().min(0),
  alert: z.number().min(0),
  calibrating: z.number().min(0),
  paused: z.number().min(0),
  'camera-off': z.number().min(0),
  'no-signal': z.number().min(0),
  offline: z.number().min(0),
});
/** Seconds per status. */
export type StatusSeconds = z.infer<typeof StatusSeconds>;

/** One proctor alert in a report. Times ms since the epoch (server clock); `durationSeconds` in seconds. */
export const ReportAlert = z.object({
  id: z.string(),
  code: AlertCode,
  startedAt: z.number(),
  /** Null while still open when the report was built. */
  endedAt: z.number().nullable(),
  /** Clipped to the session; an open alert counts up to the report's end time. */
  durationSeconds: z.number().min(0),
});
/** Report alert. */
export type ReportAlert = z.infer<typeof ReportAlert>;

/** One "I'm lost" self-report: pressed at `startedAt`, withdrawn at `endedAt` (null if still standing). */
export const ReportSelfReport = z.object({
  id: z.string(),
  startedAt: z.number(),
  endedAt: z.number().nullable(),
  durationSeconds: z.number().min(0),
});
/** Report self-report. */
export type ReportSelfReport = z.infer<typeof ReportSelfReport>;

/** One student's part of the report. */
export const StudentReport = z.object({
  participantId: z.string(),
  /** Display name, or the pseudonym "Student N" in anonymous sessions. */
  name: z.string(),
  /** 1-based join order. */
  number: z.number().int(),
  /** When the student joined, ms since the epoch. */
  joinedAt: z.number(),
  /** Seconds from joining to the report's end time. */
  observedSeconds: z.number().min(0),
  seconds: StatusSeconds,
  /** Seconds in `alert` with code `NO_PERSON` or `GAZE_AWAY` (part of `seconds.alert`). */
  awaySeconds: z.number().min(0),
  /** Mean confusion score 0..1 of the stored samples that carried one; null when none did. */
  meanScore: z.number().min(0).max(1).nullable(),
  /** Stored samples (about one per second while connected). */
  sampleCount: z.number().int().min(0),
  alertCount: z.number().int().min(0),
  alerts: z.array(ReportAlert),
  selfReportCount: z.number().int().min(0),
  selfReports: z.array(ReportSelfReport),
});
/** Student report. */
export type StudentReport = z.infer<typeof StudentReport>;

/**
 * One bucket of the class timeline, `[t, t + bucketSeconds)` clipped to the session.
 * `shares` are fractions 0..1 of the joined students' time in the bucket spent in each status (they sum
 * to 1 when anyone had joined); `meanScore` is the mean confusion score of the samples stored in it.
 */
export const TimelineBucket = z.object({
  /** Bucket start, ms since the epoch. */
  t: z.number(),
  meanScore: z.number().min(0).max(1).nullable(),
  /** Samples carrying a score in this bucket. */
  samples: z.number().int().min(0),
  shares: StatusSeconds,
});
/** Timeline bucket. */
export type TimelineBucket = z.infer<typeof TimelineBucket>;

/**
 * A moment where the class's confusion peaked: a run of consecutive buckets whose confused share is at
 * least `PEAK_MIN_SHARE`. `t` is the run's most confused bucket.
 */
export const ConfusionPeak = z.object({
  /** Start of the run, ms. */
  startedAt: z.number(),
  /** End of the run (exclusive), ms. */
  endedAt: z.number(),
  /** Start of the most confused bucket, ms. */
  t: z.number(),
  /** Confused share 0..1 at `t`. */
  confusedShare: z.number().min(0).max(1),
  /** Mean confusion score 0..1 at `t`, null when no sample carried one. */
  meanScore: z.number().min(0).max(1).nullable(),
  /** Label of the last teacher marker at or before `t`, if any. */
  afterMarker: z.string().nullable(),
});
/** Confusion peak. */
export type ConfusionPeak = z.infer<typeof ConfusionPeak>;

/** `GET /api/sessions/:id/report` response. Times ms since the epoch (server clock). */
export const SessionReport = z.object({
  sessionId: z.string(),
  title: z.string(),
  mode: SessionMode,
  emotion: EmotionSetting,
  anonymous: z.boolean(),
  startedAt: z.number(),
  endedAt: z.number().nullable(),
  /** When the report was built; the end time used while the session is still running. */
  generatedAt: z.number(),
  /** From `startedAt` to `endedAt` (or `generatedAt`), seconds. */
  durationSeconds: z.number().min(0),
  students: z.array(StudentReport),
  class: z.object({
    /** Width of a timeline bucket, seconds. */
    bucketSeconds: z.number().int().min(1),
    timeline: z.array(TimelineBucket),
    markers: z.array(Marker),
    peaks: z.array(ConfusionPeak),
  }),
});
/** Session report. */
export type SessionReport = z.infer<typeof SessionReport>;

/** Least confused share of a bucket for it to belong to a {@link ConfusionPeak} (a quarter of the class). */
export const PEAK_MIN_SHARE = 0.25;

/** Tables of `GET /api/sessions/:id/report.csv?table=…` (default `students`). */
export const ReportCsvTable = z.enum(['students', 'alerts', 'timeline']);
/** Report CSV table. */
export type ReportCsvTable = z.infer<typeof ReportCsvTable>;
