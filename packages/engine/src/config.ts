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
  /**
   * How the iris adds to the head's yaw: eye rotation = asin(irisGain × horizontal iris offset in eye
   * widths). 2.5 = an eyeball radius of about 12 mm behind an eye opening about 30 mm wide. 0 = head only.
   */
  irisGain: z.number().min(0).max(5).default(2.5),
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
   * Relative lowering of the inner brows versus the reference that still reads as no frown (brow signal
   * 0): measurement noise. Chosen from data, see the engine README ("Brow lowering"): a mirror flip of a
   * real face moved the measure by 4.7% in the median, a 35% darker frame by 3.1%.
   */
  browDeadZone: z.number().min(0).max(0.5).default(0.08),
  /**
   * Relative lowering beyond the dead zone that reads as a full frown (brow signal 1): with 0.08 + 0.08,
   * inner brows 16% lower than in the reference face (a warped hard frown measured 16% in the median; a
   * real one 21-28%). Chosen from data, see the engine README.
   */
  browSpan: z.number().min(0.02).max(1).default(0.08),
  /**
   * Inter-ocular distance (pixels) below which the brow dead zone grows in proportion (`browSignal`):
   * smaller faces give noisier landmarks. Chosen from data, see the engine README.
   */
  browNoiseIodPx: z.number().min(0).max(500).default(60),
  /**
   * Uncertainty of the population reference (uncalibrated): how much resting brow heights differ between
   * people (half the interquartile range of the relaxed faces of the evaluation set, relative to their
   * median). Added to the dead zone, so a student whose brows simply sit low does not read as frowning,
   * and to the span, so a reading against so loose a reference ramps gently (`browSignal`).
   */
  browPopulationSpread: z.number().min(0).max(1).default(0.15),
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
  /**
   * Face mesh model. `attention` (default): MediaPipe's attention mesh (`facemesh-attention-pinto`,
   * vendored in `@smartsession/models`), whose refined eye/brow/iris points follow a frown; the old
   * mesh's face flag still decides which faces count (see `face-flag.ts`). `facemesh`: Human's default
   * mesh + iris model, as before (for comparison).
   */
  mesh: z.enum(['attention', 'facemesh']).default('attention'),
  /**
   * Video mode: the brow ratios are the median of the frames of the last this many seconds, so one noisy
   * frame does not flip a state (0 = off). Still images are never smoothed.
   */
  browWindowSeconds: z.number().min(0).max(5).default(1),
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
