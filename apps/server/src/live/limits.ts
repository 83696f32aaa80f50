import { LIMITS } from '@smartsession/protocol';
import { TokenBucket } from './rate.js';

/** Rows (samples and status changes) a student may add to storage per second, sustained. */
export const ROWS_PER_SECOND = 5;
/**
 * Rows a student may add at once: a full outbox replayed after a long outage (3,000 items, thinned to
 * about one stored row per second of the outage) fits; a client that makes every item a stored row is
 * held to {@link ROWS_PER_SECOND} after it.
 */
export const ROWS_BURST = 2000;
/** A student's buckets are forgotten after this long unused (they would be full again by then), ms. */
const IDLE_MS = 60_000;

/** Token cost of a message: 1, plus 1 per 60 items of a replay batch. */
function messageCost(items: number): number {
  return 1 + Math.floor(items / 60);
}

interface Buckets {
  messages: TokenBucket;
  rows: TokenBucket;
  used: number;
}

/**
 * Per-participant limits (pure; time injected), kept per participant rather than per socket so that
 * reconnecting does not refill them: messages per second (`LIMITS.ratePerSecond`, bursts of
 * `LIMITS.rateBurst`) and rows stored per second ({@link ROWS_PER_SECOND}, bursts of {@link ROWS_BURST}).
 * Rows are charged after the fact (a batch may overdraw the row bucket); while it is overdrawn the student's
 * messages are refused with `RATE_LIMITED`, and the client re-sends them later.
 */
export class ParticipantLimits {
  private readonly buckets = new Map<string, Buckets>();
  private lastSweep = 0;

  private get(id: string, now: number): Buckets {
    let b = this.buckets.get(id);
    if (!b) {
      b = {
        messages: new TokenBucket(LIMITS.ratePerSecond, LIMITS.rateBurst, now),
        rows: new TokenBucket(ROWS_PER_SECOND, ROWS_BURST, now),
        used: now,
      };
      this.buckets.set(id, b);
    }
    b.used = now;
    if (now - this.lastSweep > IDLE_MS) this.sweep(now);
    return b;
  }

  /** Takes the message tokens for a message of `items` items; false when the student must slow down. */
  takeMessage(id: string, items: number, now: number): boolean {
    return this.get(id, now).messages.take(now, messageCost(items));
  }

  /** True while the student's row budget is overdrawn. */
  rowsExhausted(id: string, now: number): boolean {
    return !this.get(id, now).rows.available(now);
  }

  /** Charges rows a message added to storage (may overdraw). */
  chargeRows(id: string, rows: number, now: number): void {
    if (rows > 0) this.get(id, now).rows.charge(now, rows);
  }

  /** Forgets a participant (deleted). */
  forget(id: string): void {
    this.buckets.delete(id);
  }

  private sweep(now: number): void {
    this.lastSweep = now;
    for (const [id, b] of this.buckets) if (now - b.used > IDLE_MS) this.buckets.delete(id);
  }
}
