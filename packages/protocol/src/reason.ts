import { z } from 'zod';

/**
 * Why a student has the status they have, as a code with parameters, never as a sentence: the pages
 * render it in the reader's language (one vocabulary for every reason). Observable words only, never
 * emotional ones.
 * - `LOOKING_AWAY` (`seconds`): the head points away from the screen;
 * - `NO_ONE_IN_VIEW` (`seconds`): nobody in the camera's view;
 * - `PEOPLE_IN_VIEW` (`count`): more than one person in view;
 * - `BROWS_LOWERED` (`seconds`) / `HEAD_TILTED` (`seconds`): the confusion cue that dominates;
 * - `CAMERA_OFF`, `PAUSED`, `PAGE_HIDDEN`, `CALIBRATING`: page events;
 * - `TOO_DARK`, `FACE_TOO_SMALL`, `FACE_NOT_CLEAR`: the frame cannot be analysed reliably;
 * - `ANALYSIS_UNAVAILABLE`: the analysis could not start on the device;
 * - `WAITING_FOR_SIGNAL`: connected, no status from the device yet (server).
 */
export const ReasonCode = z.enum([
  'LOOKING_AWAY',
  'NO_ONE_IN_VIEW',
  'PEOPLE_IN_VIEW',
  'BROWS_LOWERED',
  'HEAD_TILTED',
  'CAMERA_OFF',
  'PAUSED',
  'PAGE_HIDDEN',
  'CALIBRATING',
  'TOO_DARK',
  'FACE_TOO_SMALL',
  'FACE_NOT_CLEAR',
  'ANALYSIS_UNAVAILABLE',
  'WAITING_FOR_SIGNAL',
]);
/** Reason code. */
export type ReasonCode = z.infer<typeof ReasonCode>;

/** A reason: its code and the parameters the code takes (see {@link ReasonCode}). */
export const Reason = z
  .object({
    code: ReasonCode,
    /** How long the condition has lasted when the reason was sent, whole seconds. */
    seconds: z.number().int().min(0).max(1_000_000).optional(),
    /** How many people are in view (`PEOPLE_IN_VIEW`). */
    count: z.number().int().min(0).max(64).optional(),
  })
  .strict();
/** A reason code with its parameters. */
export type Reason = z.infer<typeof Reason>;

/** A stored reason read back (`unknown` from the database): the reason, or null when it is not one. */
export function readReason(value: unknown): Reason | null {
  const r = Reason.safeParse(value);
  return r.success ? r.data : null;
}
