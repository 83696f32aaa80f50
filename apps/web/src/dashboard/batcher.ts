/**
 * Collects incoming items and hands them over once per animation frame, so a burst of socket messages
 * causes one state update and one paint, not one per message. The scheduler is injected (rAF in the
 * browser, a manual one in tests); {@link throttledFrames} spaces the frames out further.
 */

/** Schedules a callback once (requestAnimationFrame-like); returns nothing. */
export type Schedule = (fn: () => void) => void;

/**
 * A scheduler that runs at most once per `minIntervalMs` (then on the next frame of `frame`), so a steady
 * stream of messages repaints the page a few times a second instead of on every frame.
 * @param now clock in ms (injectable for tests)
 * @param delay timer (injectable for tests)
 */
export function throttledFrames(
  frame: Schedule,
  minIntervalMs: number,
  now: () => number = () => performance.now(),
  delay: (fn: () => void, ms: number) => void = (fn, ms) => void setTimeout(fn, ms),
): Schedule {
  let last = -Infinity;
  return (fn) => {
    const run = () =>
      frame(() => {
        last = now();
        fn();
      });
    const wait = last + minIntervalMs - now();
    if (wait > 0) delay(run, wait);
    else run();
  };
}

/** A per-frame batcher of items. */
export class FrameBatcher<T> {
  private pending: T[] = [];
  private scheduled = false;
  private closed = false;

  /**
   * @param flush receives every item pushed since the last flush, in push order
   * @param schedule runs the flush later (default `requestAnimationFrame`)
   */
  constructor(
    private readonly flush: (items: T[]) => void,
    private readonly schedule: Schedule = (fn) => requestAnimationFrame(fn),
  ) {}

  /** Adds an item; the first push after a flush schedules the next flush. */
  push(item: T): void {
    if (this.closed) return;
    this.pending.push(item);
    if (!this.scheduled) {
      this.scheduled = true;
      this.schedule(() => this.run());
    }
  }

  /** Items waiting for the next flush. */
  get size(): number {
    return this.pending.length;
  }

  /** Flushes now (e.g. before tearing down). */
  flushNow(): void {
    if (this.pending.length > 0) this.run();
  }

  /** Stops accepting items and drops what is pending. */
  close(): void {
    this.closed = true;
    this.pending = [];
  }

  private run(): void {
    this.scheduled = false;
    if (this.closed || this.pending.length === 0) return;
    const items = this.pending;
    this.pending = [];
    this.flush(items);
  }
}
