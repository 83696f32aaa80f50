import { median } from './calibration.js';
import type { FaceMeasures } from './measures.js';

/** The brow ratios the smoother works on. */
export type BrowRatios = Pick<FaceMeasures, 'lower' | 'knit'>;

/**
 * Median of the brow ratios over the last `windowSeconds` of frames (pure; times in ms are passed in).
 * A median ignores a single odd frame outright, where a mean would carry it for the whole window, and
 * follows a held frown after half a window (0.5 s with the default 1 s), well inside the 3 s a teacher
 * may wait for it. A gap longer than the window, or time going backwards, starts afresh.
 */
export class BrowSmoother {
  readonly #windowMs: number;
  #samples: { t: number; lower: number; knit: number }[] = [];

  constructor(windowSeconds: number) {
    this.#windowMs = windowSeconds * 1000;
  }

  /** Adds the ratios of a frame taken at `tMs` and returns the medians over the window ending there. */
  add(ratios: BrowRatios, tMs: number): BrowRatios {
    const last = this.#samples[this.#samples.length - 1];
    if (last && (tMs < last.t || tMs - last.t > this.#windowMs)) this.#samples = [];
    this.#samples.push({ t: tMs, lower: ratios.lower, knit: ratios.knit });
    while ((this.#samples[0]?.t ?? tMs) < tMs - this.#windowMs) this.#samples.shift();
    return {
      lower: median(this.#samples.map((s) => s.lower)),
      knit: median(this.#samples.map((s) => s.knit)),
    };
  }

  /** Forgets every frame (no face, several faces, a new baseline). */
  reset(): void {
    this.#samples = [];
  }

  /** Frames in the window. */
  get size(): number {
    return this.#samples.length;
  }
}
