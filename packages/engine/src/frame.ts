import type { FrameQuality, FrameResult } from '@smartsession/protocol';
import type { Baseline } from './calibration.js';
import type { EngineConfig } from './config.js';
import { hasFullMesh, measureFace, type FaceMeasures, type FaceObservation } from './measures.js';
import { emotionLabel, round4, scoreConfusion } from './score.js';
import type { BrowSmoother } from './smoothing.js';
import {
  browSignal,
  POPULATION_REFERENCE,
  eyesClass,
  faceStatus,
  gazeClass,
  tiltSignal,
  type Reference,
} from './signals.js';

/** What the pure frame builder needs to know about the image besides the faces. */
export interface FrameContext {
  /** Frame width in pixels. */
  width: number;
  /** Frame height in pixels. */
  height: number;
  /** Mean luma 0..1 of the main face box (or of the whole frame when no face), null when unknown. */
  brightness: number | null;
}

/** Result of {@link buildFrame}. */
export interface BuiltFrame {
  /** The per-frame JSON. */
  frame: FrameResult;
  /** The counted faces, largest first. */
  faces: FaceObservation[];
  /** Measures of the main (largest) face, for calibration; null without a usable face. */
  measures: FaceMeasures | null;
}

const round1 = (x: number): number => Math.round(x * 10) / 10;
const clamp01 = (x: number): number => (x < 0 ? 0 : x > 1 ? 1 : x);

/**
 * Least headroom a calibrated resting P(happy) is stretched over: see {@link smileBeyond}. Variants of one
 * face (mirrored, 40% size, 35% light; `npm run eval:signals`) moved the model's P(happy) by up to 0.3,
 * so above a resting 0.5 what is left up to 1 is within the model's noise and is not stretched further.
 */
export const HAPPY_HEADROOM_FLOOR = 0.5;

/**
 * The score's happiness input, 0..1: P(happy) beyond the student's resting P(happy) (`rest`, from the
 * calibration), rescaled so a full smile is still 1 (divided by 1 − rest, at least
 * {@link HAPPY_HEADROOM_FLOOR}); uncalibrated (`rest` null), P(happy) itself. So a relaxed face reads
 * exactly "not smiling" (the score's happy part is its full 0.35, the neutral band) whatever its resting
 * expression looks like to the model. Without the floor a face resting at 0.97 that read 0.99 in the
 * next frame counted as two-thirds of a full smile and moved the score by 0.23.
 */
export function smileBeyond(pHappy: number, rest: number | null): number {
  if (rest === null) return pHappy;
  return clamp01((pHappy - rest) / Math.max(1 - rest, HAPPY_HEADROOM_FLOOR));
}

/** The faces that count (confidence at least `minConfidence`, 0..1), largest box first. */
export function countedFaces(detected: readonly FaceObservation[], minConfidence: number): FaceObservation[] {
  return detected
    .filter((f) => f.score >= minConfidence)
    .sort((a, b) => b.box[2] * b.box[3] - a.box[2] * a.box[3]);
}

/**
 * The per-frame JSON of a frame with `faceCount` faces and no analysed face (no one in view, or no usable
 * mesh): the seed's face-count status, everything else null, false or 0, and no `quality` yet.
 */
export function unanalysedFrame(faceCount: number): FrameResult {
  return {
    face_count: faceCount,
    status: faceStatus(faceCount),
    emotion: null,
    happy_prob: null,
    gaze: null,
    confused: false,
    confusion_score: 0,
    head: null,
    eyes: null,
    signals: null,
    contributions: null,
  };
}

/**
 * Turns the detected faces of one frame into the per-frame JSON (pure, but for the optional smoother's
 * window). Faces below `cfg.minFaceConfidence` are not counted; the largest counted face is the student.
 * With a baseline the signals are relative to the student's own neutral face (calibrated mode),
 * otherwise to the mesh's {@link POPULATION_REFERENCE}. With a `smoother` (video), the brow signal reads
 * the median brow ratios of its window, fed with this frame taken at `tMs`; `measures` stay this
 * frame's own (calibration takes their median itself).
 */
export function buildFrame(
  detected: readonly FaceObservation[],
  ctx: FrameContext,
  cfg: EngineConfig,
  baseline: Baseline | null,
  smoother: BrowSmoother | null = null,
  tMs = 0,
): BuiltFrame {
  const faces = countedFaces(detected, cfg.minFaceConfidence);
  const main = faces[0];
  const emotionOn = cfg.emotion === 'on';
  const brightness = ctx.brightness === null ? null : round4(clamp01(ctx.brightness));
  const base = unanalysedFrame(faces.length);
  if (!main || !hasFullMesh(main)) {
    smoother?.reset();
    const quality: FrameQuality = {
      brightness,
      faceSize: null,
      confidence: main ? round4(clamp01(main.score)) : null,
      unreliable: brightness !== null && brightness < cfg.quality.minBrightness,
    };
    return { frame: { ...base, quality }, faces, measures: null };
  }
  const ref: Reference = baseline ?? POPULATION_REFERENCE[cfg.mesh];
  const m = measureFace(main);
  const brows = { ...(smoother ? smoother.add(m, tMs) : m), iod: m.iod };
  const pHappy = emotionOn ? clamp01(main.emotion?.happy ?? 0) : null;
  const happiness = pHappy === null ? null : smileBeyond(pHappy, baseline?.happy ?? null);
  const s = scoreConfusion(
    {
      brow: browSignal(
        brows,
        ref,
        cfg.score.browSpan,
        cfg.score.browDeadZone,
        cfg.score.browNoiseIodPx,
        baseline ? 0 : cfg.score.browPopulationSpread,
      ),
      tilt: tiltSignal(m, ref, cfg.score.tiltFullDeg),
      happiness,
    },
    cfg.score,
  );
  const faceSize = round4(clamp01(main.box[3] / ctx.height));
  const confidence = round4(clamp01(main.score));
  const quality: FrameQuality = {
    brightness,
    faceSize,
    confidence,
    unreliable:
      (brightness !== null && brightness < cfg.quality.minBrightness) ||
      faceSize < cfg.quality.minFaceSize ||
      confidence < cfg.quality.minConfidence,
  };
  const frame: FrameResult = {
    ...base,
    emotion: pHappy === null ? null : emotionLabel(pHappy, main.emotion?.neutral ?? 0),
    happy_prob: pHappy === null ? null : round4(pHappy),
    gaze: gazeClass(m, ref, cfg.gaze),
    confused: s.confused,
    confusion_score: s.score,
    head: { yaw: round1(m.yaw), pitch: round1(m.pitch), roll: round1(m.roll) },
    eyes: eyesClass(m, ref, cfg.eyes),
    signals: s.signals,
    contributions: s.contributions,
    quality,
  };
  return { frame, faces, measures: m };
}
