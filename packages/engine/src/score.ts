import type { EmotionLabel, ScoreContributions, ScoreSignals } from '@smartsession/protocol';
import type { EngineConfig } from './config.js';

/** Resolution of scores and contributions: 4 decimals. */
const UNIT = 10_000;

/** Result of {@link scoreConfusion}. */
export interface ConfusionScore {
  /** 0..1, the sum of `contributions`. */
  score: number;
  /** `score >= threshold`. */
  confused: boolean;
  /** The inputs, each 0..1 (`happy` = 1 − happiness; null when emotion is off). */
  signals: ScoreSignals;
  /** The weighted parts; they add up to `score` exactly in units of 0.0001. */
  contributions: ScoreContributions;
}

/**
 * The effective weights: the seed's 0.45/0.35/0.20, or, with emotion off, brow and tilt renormalised to
 * sum to 1 (0.45/0.65 ≈ 0.692 and 0.20/0.65 ≈ 0.308) and no happiness term.
 */
export function effectiveWeights(
  weights: EngineConfig['score']['weights'],
  emotionOn: boolean,
): { brow: number; happy: number | null; tilt: number } {
  if (emotionOn) return { ...weights };
  const sum = weights.brow + weights.tilt;
  return sum > 0
    ? { brow: weights.brow / sum, happy: null, tilt: weights.tilt / sum }
    : { brow: 0.5, happy: null, tilt: 0.5 };
}

/**
 * The seed's confusion score `0.45·brow + 0.35·(1 − happy) + 0.20·tilt` on normalised inputs (0..1 each).
 * `happiness` null = emotion off (weights renormalised, see {@link effectiveWeights}).
 * Contributions are rounded to 4 decimals first and the score is their sum, so they always add up.
 */
export function scoreConfusion(
  input: { brow: number; tilt: number; happiness: number | null },
  cfg: EngineConfig['score'],
): ConfusionScore {
  const w = effectiveWeights(cfg.weights, input.happiness !== null);
  const c01 = (x: number): number => (Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0);
  const brow = c01(input.brow);
  const tilt = c01(input.tilt);
  const happy = input.happiness === null ? null : 1 - c01(input.happiness);
  const units = {
    brow: Math.round(w.brow * brow * UNIT),
    happy: happy === null || w.happy === null ? null : Math.round(w.happy * happy * UNIT),
    tilt: Math.round(w.tilt * tilt * UNIT),
  };
  // Rounding can overshoot 1 by a unit: take it off the brow part so the sum stays exact.
  const excess = units.brow + (units.happy ?? 0) + units.tilt - UNIT;
  if (excess > 0) units.brow -= excess;
  const score = (units.brow + (units.happy ?? 0) + units.tilt) / UNIT;
  return {
    score,
    confused: score >= cfg.threshold,
    signals: { brow: round4(brow), happy: happy === null ? null : round4(happy), tilt: round4(tilt) },
    contributions: {
      brow: units.brow / UNIT,
      happy: units.happy === null ? null : units.happy / UNIT,
      tilt: units.tilt / UNIT,
    },
  };
}

/** Rounds to 4 decimals. */
export function round4(x: number): number {
  return Math.round(x * UNIT) / UNIT;
}

/** The seed's score bands: below 0.30 `confident`, below the threshold (0.58) `neutral`, else `confused`. */
export type ScoreBand = 'confident' | 'neutral' | 'confused';

/** Band of a score (0..1) for a given threshold (default the seed's 0.58). */
export function scoreBand(score: number, threshold = 0.58): ScoreBand {
  if (score >= threshold) return 'confused';
  return score < 0.3 ? 'confident' : 'neutral';
}

/**
 * The seed's supportive emotion label from probabilities 0..1: happy > 0.35 → `Happy / Engaged`,
 * neutral > 0.45 → `Focused / Neutral`, else `Confused`.
 */
export function emotionLabel(happy: number, neutral: number): EmotionLabel {
  if (happy > 0.35) return 'Happy / Engaged';
  if (neutral > 0.45) return 'Focused / Neutral';
  return 'Confused';
}
