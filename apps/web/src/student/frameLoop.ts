/**
 * Pulls frames from the preview `<video>` at the rate the {@link RateController} allows and offers them to
 * the analysis worker. A tick that finds the worker busy drops that frame instead of queueing it, and the
 * next frame is taken as soon as the worker is free. Starts follow a steady cadence of `intervalMs`: the
 * next start is planned from the previous plan, not from the (possibly late) actual start, so timer
 * lateness and short waits for the worker do not add up and lower the rate; more than one interval
 * behind, the plan restarts from now instead of catching up in a burst.
 */
import type { AnalysisClient } from './analysisClient.js';
import type { RateController } from './rateController.js';

/** How soon to look again when the worker was still busy, ms. */
const BUSY_RECHECK_MS = 15;

/** Drives analysis from a playing video element. */
export class FrameLoop {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running = false;
  private grabbing = false;
  private waiting = false;
  /** `performance.now()` of the planned start of the frame just taken (null before the first). */
  private plannedAt: number | null = null;

  constructor(
    private readonly video: HTMLVideoElement,
    private readonly analysis: AnalysisClient,
    private readonly rate: Pick<RateController, 'intervalMs'>,
  ) {}

  /** Starts ticking (idempotent). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.plannedAt = null;
    this.schedule(0);
  }

  /** Stops ticking; a frame in the worker still completes. */
  stop(): void {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(delayMs: number): void {
    if (!this.running) return;
    this.timer = setTimeout(() => void this.tick(), Math.max(0, delayMs));
  }

  private async tick(): Promise<void> {
    const v = this.video;
    if (this.grabbing || v.readyState < HTMLMediaElement.HAVE_CURRENT_DATA || v.videoWidth === 0) {
      return this.schedule(this.rate.intervalMs);
    }
    if (this.analysis.busy) {
      // The camera's current frame is dropped; look again shortly so a slow frame does not cost a whole
      // interval (the rate controller, not this wait, keeps analysis under its share of a core).
      if (!this.waiting) this.analysis.dropped++;
      this.waiting = true;
      return this.schedule(BUSY_RECHECK_MS);
    }
    this.waiting = false;
    const started = performance.now();
    this.grabbing = true;
    try {
      const bitmap = await createImageBitmap(v);
      if (this.running) this.analysis.offer(bitmap, Date.now());
      else bitmap.close();
    } catch {
      // The video had no frame to give (it is switching sources): try at the next tick.
    } finally {
      this.grabbing = false;
    }
    this.plannedAt = nextStart(this.plannedAt, started, this.rate.intervalMs);
    this.schedule(this.plannedAt + this.rate.intervalMs - performance.now());
  }
}

/**
 * The planned start (ms) of the frame taken at `started`, given the previous plan: one interval after the
 * previous plan, or `started` itself when there is no plan yet or it is more than an interval behind.
 */
export function nextStart(previousPlan: number | null, started: number, intervalMs: number): number {
  if (previousPlan === null) return started;
  const planned = previousPlan + intervalMs;
  return planned < started - intervalMs ? started : Math.min(planned, started);
}
