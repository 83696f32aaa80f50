import { z } from 'zod';

/**
 * A student's live status as the teacher's tile shows it (contract.md `data-status`).
 * - `focused` green, `confused` yellow, `alert` red (see {@link AlertCode});
 * - grey: `calibrating`, `paused`, `camera-off`, `no-signal`, `offline` (server-side only: no connection).
 */
export const StudentStatus = z.enum([
  'focused',
  'confused',
  'alert',
  'calibrating',
  'paused',
  'camera-off',
  'no-signal',
  'offline',
]);
/** Student status (tile colour class). */
export type StudentStatus = z.infer<typeof StudentStatus>;

/** Statuses a student client may report (`offline` is decided by the server). */
export const ReportedStatus = StudentStatus.exclude(['offline']);
/** Status a client may report. */
export type ReportedStatus = z.infer<typeof ReportedStatus>;

/**
 * Proctor alert codes (contract.md `data-alert`).
 * - `NO_PERSON`: nobody in frame past the grace period;
 * - `MULTIPLE_PEOPLE`: more than one face past the grace period;
 * - `GAZE_AWAY`: head turned away from the screen for longer than the look-away limit (default 4 s);
 * - `TAB_HIDDEN`: the page was hidden or the window lost focus (exam mode only);
 * - `PAUSED`: the student paused analysis during an exam.
 */
export const AlertCode = z.enum(['NO_PERSON', 'MULTIPLE_PEOPLE', 'GAZE_AWAY', 'TAB_HIDDEN', 'PAUSED']);
/** Proctor alert code. */
export type AlertCode = z.infer<typeof AlertCode>;

/** Session mode: `support` (gentle, alerts are hints) or `exam` (proctoring alerts are prominent). */
export const SessionMode = z.enum(['support', 'exam']);
/** Session mode. */
export type SessionMode = z.infer<typeof SessionMode>;

/** Whether emotion inference runs. `off` (required in the EU): nothing emotion-shaped is computed, sent or shown. */
export const EmotionSetting = z.enum(['on', 'off']);
/** Emotion setting. */
export type EmotionSetting = z.infer<typeof EmotionSetting>;

/** Per-student accommodations the teacher may set. */
export const Accommodations = z.object({
  /** Look-away limit in seconds before `GAZE_AWAY` (default 4). */
  lookAwaySeconds: z.number().min(1).max(120).optional(),
  /** Gaze checks off entirely (no `GAZE_AWAY`). */
  gazeChecks: z.boolean().optional(),
});
/** Per-student accommodations. */
export type Accommodations = z.infer<typeof Accommodations>;

/** Per-session settings the student client applies. */
export const SessionSettings = z.object({
  mode: SessionMode,
  emotion: EmotionSetting,
  /** Default look-away limit in seconds. */
  lookAwaySeconds: z.number().min(1).max(120),
  /** Privacy: when true the dashboard shows only the anonymous class aggregate. */
  anonymous: z.boolean(),
  /**
   * Students whose device cannot analyse in the browser may send small camera frames to the school's
   * server, which analyses them in memory and never stores them (default false; absent = false).
   */
  serverAnalysis: z.boolean().optional(),
});
/** Per-session settings. */
export type SessionSettings = z.infer<typeof SessionSettings>;
