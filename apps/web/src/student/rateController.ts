/**
 * Adaptive analysis rate (pure). Aims at `targetFps` analysed frames a second and lowers the rate so the
 * worker's busy time stays under `maxBusyShare` of one core: with an average analysis time of `a` ms the
 * interval between frame starts is at least `a / maxBusyShare` ms. The average is an exponential moving
 * average so one slow frame (a garbage collection, a model warm-up) does not halve the rate.
 */

/** Tuning of {@link RateController}. */
export interface RateOptions {
  /** Wanted analysed frames per second. */
  targetFps: number;
  /** Lowest rate it will fall to, frames per second. */
  minFps: number;
  /** Largest share of one core analysis may take, 0..1. */
  maxBusyShare: number;
  /** Weight of the newest sample in the moving average, 0..1. */
  smoothing: number;
}

/** Defaults: 5 fps, at least 1 fps, a third of a core. */
const DEFAULT_RATE: RateOptions = { targetFps: 5, minFps: 1, maxBusyShare: 1 / 3, smoothing: 0.15 };

/** Decides how long to wait between analysed frames from how long analysis takes. */
export class RateController {
  readonly options: RateOptions;
  private avgMs: number | null = null;

  constructor(options: Partial<RateOptions> = {}) {
    this.options = { ...DEFAULT_RATE, ...options };
    const { targetFps, minFps, maxBusyShare, smoothing } = this.options;
    if (!(targetFps > 0) || !(minFps > 0) || minFps > targetFps)
      throw new Error('RateController: need 0 < minFps <= targetFps');
    if (!(maxBusyShare > 0 && maxBusyShare <= 1))
      throw new Error('RateController: maxBusyShare must be in (0, 1]');
    if (!(smoothing > 0 && smoothing <= 1)) throw new Error('RateController: smoothing must be in (0, 1]');
  }

  /** Records one finished analysis that took `analysisMs` milliseconds of worker time. */
  record(analysisMs: number): void {
    if (!Number.isFinite(analysisMs) || analysisMs < 0) return;
    const s = this.options.smoothing;
    this.avgMs = this.avgMs === null ? analysisMs : this.avgMs + s * (analysisMs - this.avgMs);
  }

  /** Average analysis time so far, ms (null before the first frame). */
  get averageMs(): number | null {
    return this.avgMs;
  }

  /** Milliseconds between the starts of two analysed frames. */
  get intervalMs(): number {
    const { targetFps, minFps, maxBusyShare } = this.options;
    const wanted = 1000 / targetFps;
    const budget = this.avgMs === null ? wanted : this.avgMs / maxBusyShare;
    return Math.min(Math.max(wanted, budget), 1000 / minFps);
  }

  /** The rate this interval gives, frames per second. */
  get fps(): number {
    return 1000 / this.intervalMs;
  }

  /** Forgets the average (after a backend change or a model reload). */
  reset(): void {
    this.avgMs = null;
  }
}
