import type { FaceMeasures } from './measures.js';
import type { Reference } from './signals.js';

/**
 * A student's own neutral face: the median of each measure over the calibration frames. Used as the
 * reference of every signal once it exists, so a resting frown, a habitual tilt or a camera above the
 * screen does not read as confusion or looking away.
 */
export interface Baseline extends Reference {
  /**
   * The student's resting P(happy), 0..1 (median over the calibration frames), or null when emotion is
   * off or unknown. The score's happiness input counts only smiling beyond it.
   */
  happy?: number | null;
  /** Frames the baseline was built from. */
  frames: number;
  /** Calibration duration in ms (first to last frame). */
  durationMs: number;
}

/** Options of a {@link Calibrator}. */
export interface CalibratorOptions {
  /** Seconds of frames to collect (default 3). */
  seconds?: number;
  /** Minimum usable frames (default 8). */
  minFrames?: number;
}

/** Median of `values` (mean of the two middle ones for an even count; 0 for none). */
export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

/**
 * Collects a few seconds of frames with exactly one reliable face and produces a {@link Baseline}.
 * Pure: times are passed in (ms). Frames without a usable face are skipped, not counted.
 */
export class Calibrator {
  readonly #seconds: number;
  readonly #minFrames: number;
  readonly #samples: FaceMeasures[] = [];
  readonly #happy: number[] = [];
  #first: number | null = null;
  #last = 0;

  constructor(options: CalibratorOptions = {}) {
    this.#seconds = options.seconds ?? 3;
    this.#minFrames = options.minFrames ?? 8;
  }

  /**
   * Adds the measures (and, with emotion on, P(happy) 0..1) of one usable frame taken at `tMs`.
   * Ignored once {@link done}.
   */
  add(measures: FaceMeasures, tMs: number, happy: number | null = null): void {
    if (this.done) return;
    this.#first ??= tMs;
    this.#last = tMs;
    this.#samples.push(measures);
    if (happy !== null) this.#happy.push(happy);
  }

  /** Usable frames so far. */
  get frames(): number {
    return this.#samples.length;
  }

  /** 0..1: the smaller of the time and frame-count progress. */
  get progress(): number {
    if (this.#first === null) return 0;
    const time = (this.#last - this.#first) / (this.#seconds * 1000);
    return Math.min(1, time, this.#samples.length / this.#minFrames);
  }

  /** True when enough time and frames are collected. */
  get done(): boolean {
    return this.progress >= 1;
  }

  /** The baseline, or null while not {@link done}. */
  result(): Baseline | null {
    if (!this.done) return null;
    const pick = (k: keyof FaceMeasures): number => median(this.#samples.map((s) => s[k]));
    return {
      yaw: pick('yaw'),
      pitch: pick('pitch'),
      roll: pick('roll'),
      knit: pick('knit'),
      lower: pick('lower'),
      irisX: pick('irisX'),
      irisY: pick('irisY'),
      happy: this.#happy.length ? median(this.#happy) : null,
      frames: this.#samples.length,
      durationMs: this.#last - (this.#first ?? this.#last),
    };
  }
}
