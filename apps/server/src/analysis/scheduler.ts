/**
 * Fair scheduling of server analysis (pure; time injected). Each student has at most one frame waiting
 * or being analysed: a new frame while the previous one is still there is refused, so one queue in
 * arrival order serves students in turn (round robin) whatever rate each sends at. A CPU budget turns
 * the measured analysis time into the frame interval every student is asked to keep, the same for all:
 * `interval = students × analysis time / (workers × budget)`, never shorter than the default.
 */
import { ANALYSIS_LIMITS } from '@smartsession/protocol';

/** One frame waiting for a worker. */
export interface QueuedFrame<J> {
  student: string;
  job: J;
  /** When it was queued, ms. */
  queuedAt: number;
}

/** Options of {@link FairScheduler}. */
export interface SchedulerOptions {
  /** Worker threads. */
  workers: number;
  /** Share of the workers' time analysis may use (0..1]; the rest is headroom. Default 0.8. */
  budget?: number;
  /** Most frames waiting at once (memory bound). Default max(32, 8 × workers). */
  maxQueued?: number;
  /** A frame that waited longer than this is dropped unanalysed, ms. Default 3000. */
  maxWaitMs?: number;
  /** Students who sent a frame within this window count as active, ms. Default 5000. */
  activeWindowMs?: number;
}

/** Why a frame could not be queued. */
export type QueueRefusal = 'busy' | 'too_soon' | 'full';

/** Fair queue plus the rate governor. */
export class FairScheduler<J> {
  private readonly queue: Array<QueuedFrame<J>> = [];
  /** Students with a frame queued or in flight. */
  private readonly pending = new Set<string>();
  /** Last time each student's frame was accepted, ms. */
  private readonly lastAccepted = new Map<string, number>();
  /** Exponential average of the time one frame keeps a worker busy, ms (null until measured). */
  private serviceMs: number | null = null;
  private interval: number = ANALYSIS_LIMITS.defaultIntervalMs;
  readonly budget: number;
  readonly maxQueued: number;
  readonly maxWaitMs: number;
  readonly activeWindowMs: number;

  constructor(private readonly options: SchedulerOptions) {
    this.budget = Math.min(1, Math.max(0.05, options.budget ?? 0.8));
    this.maxQueued = options.maxQueued ?? Math.max(32, 8 * options.workers);
    this.maxWaitMs = options.maxWaitMs ?? 3000;
    this.activeWindowMs = options.activeWindowMs ?? 5000;
  }

  /** The frame interval every student is asked to keep now, ms. */
  get intervalMs(): number {
    return this.interval;
  }

  /** Frames waiting for a worker. */
  get queued(): number {
    return this.queue.length;
  }

  /** Average worker time per frame, ms (null before the first frame). */
  get averageServiceMs(): number | null {
    return this.serviceMs;
  }

  /**
   * Queues a student's frame, or says why not: `busy` (their previous frame is still waiting or being
   * analysed), `too_soon` (sent well before the interval they were given), `full` (memory bound).
   */
  offer(student: string, job: J, now: number): QueueRefusal | null {
    if (this.pending.has(student)) return 'busy';
    const last = this.lastAccepted.get(student);
    // A little slack for timer jitter on the student's side.
    if (last !== undefined && now - last < 0.75 * this.interval) return 'too_soon';
    if (this.queue.length >= this.maxQueued) return 'full';
    this.pending.add(student);
    this.lastAccepted.set(student, now);
    this.queue.push({ student, job, queuedAt: now });
    return null;
  }

  /**
   * The next frame for a free worker, oldest first; frames that waited past `maxWaitMs` come back in
   * `expired` (their students may send again).
   */
  next(now: number): { frame: QueuedFrame<J> | null; expired: Array<QueuedFrame<J>> } {
    const expired: Array<QueuedFrame<J>> = [];
    while (this.queue.length > 0) {
      const f = this.queue.shift()!;
      if (now - f.queuedAt > this.maxWaitMs) {
        this.pending.delete(f.student);
        expired.push(f);
        continue;
      }
      return { frame: f, expired };
    }
    return { frame: null, expired };
  }

  /** A student's frame is done (analysed or failed) after keeping a worker busy `busyMs`. */
  done(student: string, busyMs: number | null): void {
    this.pending.delete(student);
    if (busyMs !== null && Number.isFinite(busyMs) && busyMs >= 0)
      this.serviceMs = this.serviceMs === null ? busyMs : 0.8 * this.serviceMs + 0.2 * busyMs;
  }

  /** Forgets a student (gone): a frame of theirs still queued is dropped. */
  forget(student: string): void {
    this.pending.delete(student);
    this.lastAccepted.delete(student);
    const i = this.queue.findIndex((f) => f.student === student);
    if (i >= 0) this.queue.splice(i, 1);
  }

  /** Students who sent a frame within the active window. */
  activeStudents(now: number): number {
    let n = 0;
    for (const [id, t] of this.lastAccepted) {
      if (now - t <= this.activeWindowMs) n++;
      else if (!this.pending.has(id)) this.lastAccepted.delete(id);
    }
    return n;
  }

  /**
   * Recomputes the interval from the measured analysis time and the active students; returns the new
   * interval when it changed enough to tell the students (10 %, or back to the default), else null.
   */
  retune(now: number): number | null {
    const { defaultIntervalMs, maxIntervalMs } = ANALYSIS_LIMITS;
    const students = this.activeStudents(now);
    let wanted: number = defaultIntervalMs;
    if (this.serviceMs !== null && students > 0) {
      const capacityPerSecond = (this.options.workers * this.budget * 1000) / this.serviceMs;
      wanted = Math.ceil((students * 1000) / capacityPerSecond / 50) * 50;
    }
    // Frames still waiting from before: lengthen further until the queue drains.
    if (this.queue.length > this.options.workers) wanted = Math.max(wanted, this.interval * 1.25);
    wanted = Math.round(Math.min(maxIntervalMs, Math.max(defaultIntervalMs, wanted)));
    const change = Math.abs(wanted - this.interval) / this.interval;
    if (wanted === this.interval || (change < 0.1 && wanted !== defaultIntervalMs)) return null;
    this.interval = wanted;
    return wanted;
  }
}
