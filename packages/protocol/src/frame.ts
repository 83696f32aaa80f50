import { z } from 'zod';

/** Direction labels shared by head `gaze` and iris `eyes`. LEFT/RIGHT are the *student's own* left/right. */
export const Direction = z.enum(['CENTER', 'LEFT', 'RIGHT', 'UP', 'DOWN']);
/** A direction label; LEFT = the student's own left. */
export type Direction = z.infer<typeof Direction>;

/** The seed's face-count rule: 0 faces → `NO PERSON`, more than 1 → `MULTIPLE PEOPLE`, exactly 1 → `OK`. */
export const FaceStatus = z.enum(['OK', 'NO PERSON', 'MULTIPLE PEOPLE']);
/** Face-count status of a frame. */
export type FaceStatus = z.infer<typeof FaceStatus>;

/** The seed's supportive emotion label (null when emotion inference is off). */
export const EmotionLabel = z.enum(['Happy / Engaged', 'Focused / Neutral', 'Confused']);
/** Supportive emotion label. */
export type EmotionLabel = z.infer<typeof EmotionLabel>;

const unit = z.number().min(0).max(1);
const finite = z.number().finite();

/** Head pose in degrees. yaw > 0 = turned to the student's left; pitch > 0 = looking down; roll > 0 = tilted to the student's left. */
export const HeadPose = z.object({
  yaw: finite.min(-180).max(180),
  pitch: finite.min(-180).max(180),
  roll: finite.min(-180).max(180),
});
/** Head pose in degrees (see {@link HeadPose}). */
export type HeadPose = z.infer<typeof HeadPose>;

/**
 * The normalised inputs of the confusion score, each 0..1 (1 = most confusion-like).
 * `happy` is `1 - happiness` (null when emotion inference is off).
 */
export const ScoreSignals = z.object({ brow: unit, happy: unit.nullable(), tilt: unit });
/** Normalised score inputs, 0..1. */
export type ScoreSignals = z.infer<typeof ScoreSignals>;

/** The weighted parts of the confusion score; they sum to `confusion_score` (0..1). */
export const ScoreContributions = z.object({ brow: unit, happy: unit.nullable(), tilt: unit });
/** Weighted parts of the score (sum = score). */
export type ScoreContributions = z.infer<typeof ScoreContributions>;

/** Quality of the face crop, used to decide `no-signal` instead of a false alert. Our addition. */
export const FrameQuality = z.object({
  /** Mean luma of the face box, 0..1. */
  brightness: unit.nullable(),
  /** Face box height as a fraction of the frame height, 0..1. */
  faceSize: unit.nullable(),
  /** Detector confidence of the main face, 0..1. */
  confidence: unit.nullable(),
  /** True when the frame cannot be analysed reliably (too dark, too small, too blurred). */
  unreliable: z.boolean(),
});
/** Frame quality summary. */
export type FrameQuality = z.infer<typeof FrameQuality>;

/**
 * The per-frame JSON of contract.md: the seed's fields with the same names and values, plus ours
 * (`head`, `eyes`, `signals`, `contributions`, `quality`).
 */
export const FrameResult = z.object({
  /** CLI only: the analysed file. */
  file: z.string().max(4096).optional(),
  /** Video frames: time in ms from the start of the video (CLI); wall-clock analysis time is on the message. */
  t: finite.min(0).optional(),
  face_count: z.number().int().min(0).max(64),
  status: FaceStatus,
  emotion: EmotionLabel.nullable(),
  happy_prob: unit.nullable(),
  gaze: Direction.nullable(),
  confused: z.boolean(),
  confusion_score: unit,
  head: HeadPose.nullable(),
  eyes: Direction.nullable(),
  signals: ScoreSignals.nullable(),
  contributions: ScoreContributions.nullable(),
  quality: FrameQuality.optional(),
});
/** One analysed frame (contract.md "Per-frame JSON"). */
export type FrameResult = z.infer<typeof FrameResult>;

/**
 * A frame without its emotion-shaped fields (`emotion`, `happy_prob`, the `happy` signal and contribution):
 * what is kept, sent and shown when emotion inference is off for the session or the student did not agree.
 */
export function stripEmotion(frame: FrameResult | null): FrameResult | null {
  if (!frame) return frame;
  // Already free of emotion (a device with emotion off sends it so): the same object, no copy.
  if (
    frame.emotion === null &&
    frame.happy_prob === null &&
    (frame.signals === null || frame.signals.happy === null) &&
    (frame.contributions === null || frame.contributions.happy === null)
  )
    return frame;
  return {
    ...frame,
    emotion: null,
    happy_prob: null,
    signals: frame.signals ? { ...frame.signals, happy: null } : null,
    contributions: frame.contributions ? { ...frame.contributions, happy: null } : null,
  };
}
