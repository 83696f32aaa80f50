import { z } from 'zod';

/**
 * Thresholds of the `gaze` class, in degrees of head rotation relative to the reference pose (the
 * calibrated baseline, or straight at the camera when uncalibrated).
 */
export const GazeThresholds = z.object({
  /** |yaw| above this many degrees → LEFT/RIGHT. */
  yawDeg: z.number().min(1).max(90).default(20),
  /** Pitch above this many degrees (head down) → DOWN. */
  downDeg: z.number().min(1).max(90).default(25),
  /** Pitch below minus this many degrees (head up) → UP. */
  upDeg: z.number().min(1).max(90).default(15),
});

/**
 * Thresholds of the iris-based `eyes` class, as fractions of the eye width (corner to corner): how far
 * the iris centre sits from the middle of the eye.
 */
export const EyesThresholds = z.object({
  /** Horizontal offset above this fraction of the eye width → LEFT/RIGHT. */
  horizontal: z.number().min(0.01).max(1).default(0.15),
  /** Vertical offset above this fraction of the eye width → UP/DOWN. */
  vertical: z.number().min(0.01).max(1).default(0.15),
});

/** Confusion-score settings (the seed's formula; see `scoreConfusion`). */
export const ScoreConfig = z.object({
  /** Weights of brow, (1 - happy) and tilt; the seed's 0.45/0.35/0.20. Must sum to 1. */
  weights: z
    .object({
      brow: z.number().min(0).max(1),
      happy: z.number().min(0).max(1),
      tilt: z.number().min(0).max(1),
    })
    .default({ brow: 0.45, happy: 0.35, tilt: 0.2 })
    .refine((w) => Math.abs(w.brow + w.happy + w.tilt - 1) < 1e-9, 'score weights must sum to 1'),
  /** Score (0..1) at or above which a frame is `confused`; the seed's 0.58. */
  threshold: z.number().min(0).max(1).default(0.58),
  /**
   * Relative reduction of the brow ratios (knit or lowering) versus the reference that counts as full
   * contraction (brow signal 1). 0.3 = 30% closer than the reference.
   */
  browSpan: z.number().min(0.05).max(1).default(0.3),
  /** Head roll in degrees (relative to the reference) that counts as full tilt (tilt signal 1). */
  tiltFullDeg: z.number().min(1).max(90).default(25),
});

/**
 * Frame-quality limits below which a frame is `unreliable` (the timeline reports `no-signal` instead of
 * raising an alert).
 */
export const QualityConfig = z.object({
  /** Minimum mean luma (0..1) of the face box, or of the whole frame when no face is found. */
  minBrightness: z.number().min(0).max(1).default(0.1),
  /** Minimum face-box height as a fraction of the frame height (0..1). */
  minFaceSize: z.number().min(0).max(1).default(0.06),
  /** Minimum detector/mesh confidence (0..1) of the main face; blurred faces score low. */
  minConfidence: z.number().min(0).max(1).default(0.5),
});

/** Engine configuration; every field has a validated default (`EngineConfig.parse({})`). */
export const EngineConfig = z.object({
  /** `off`: the emotion model is not loaded and nothing emotion-shaped is computed. */
  emotion: z.enum(['on', 'off']).default('on'),
  /** Faces to look for (counting only needs "more than one"). */
  maxFaces: z.number().int().min(1).max(20).default(5),
  /** Detector confidence (0..1) for a face to count. */
  minFaceConfidence: z.number().min(0.05).max(1).default(0.4),
  /**
   * Video mode: use Human's frame-to-frame caching (skip the detector / mesh / emotion on frames that
   * barely changed). Off for unrelated still images.
   */
  video: z.boolean().default(true),
  /** Human's `cacheSensitivity` in video mode (0..1; frames changing less than this share are cached). */
  cacheSensitivity: z.number().min(0).max(1).default(0.7),
  /** Seconds of neutral frames the calibrator collects. */
  calibrationSeconds: z.number().min(0.5).max(30).default(3),
  gaze: GazeThresholds.default(GazeThresholds.parse({})),
  eyes: EyesThresholds.default(EyesThresholds.parse({})),
  score: ScoreConfig.default(ScoreConfig.parse({})),
  quality: QualityConfig.default(QualityConfig.parse({})),
});
/** Validated engine configuration (all defaults filled). */
export type EngineConfig = z.infer<typeof EngineConfig>;
/** Engine configuration as callers write it (every field optional). */
export type EngineConfigInput = z.input<typeof EngineConfig>;

/** Validates `input` and fills defaults; throws a readable error on bad values. */
export function resolveConfig(input: EngineConfigInput = {}): EngineConfig {
  const parsed = EngineConfig.safeParse(input);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.') || 'config'}: ${i.message}`).join('; ');
    throw new Error(`invalid engine config: ${detail}`);
  }
  return parsed.data;
}
