/**
 * A bounded time series per student (server ms, confusion score 0..1 or NaN when there is none, status),
 * kept in typed arrays so 300 students × minutes of samples cost little memory and no garbage.
 */
import { StudentStatus } from '@smartsession/protocol';

const STATUSES = StudentStatus.options;
const STATUS_INDEX = new Map(STATUSES.map((s, i) => [s, i] as const));

/** A plain-array view of a series, oldest first. */
export interface SeriesView {
  t: number[];
  /** Confusion score 0..1, null where the sample had none. */
  score: (number | null)[];
  status: StudentStatus[];
}

/** Ring buffer of samples, oldest dropped first. */
export class SampleSeries {
  private readonly t: Float64Array;
  private readonly score: Float32Array;
  private readonly status: Uint8Array;
  private head = 0;
  private count = 0;

  /** @param capacity most samples kept */
  constructor(readonly capacity = 600) {
    this.t = new Float64Array(capacity);
    this.score = new Float32Array(capacity);
    this.status = new Uint8Array(capacity);
  }

  /** Number of samples held. */
  get length(): number {
    return this.count;
  }

  /** Time of the newest sample, or -Infinity. */
  get lastT(): number {
    return this.count === 0 ? -Infinity : this.t[(this.head + this.count - 1) % this.capacity];
  }

  /** Time of the oldest sample held, or Infinity. */
  get firstT(): number {
    return this.count === 0 ? Infinity : this.t[this.head];
  }

  /** Appends a sample; one older than the newest is ignored (samples arrive in order per student). */
  push(t: number, score: number | null, status: StudentStatus): void {
    if (t < this.lastT) return;
    const i = (this.head + this.count) % this.capacity;
    this.t[i] = t;
    this.score[i] = score === null ? NaN : score;
    this.status[i] = STATUS_INDEX.get(status) ?? 0;
    if (this.count < this.capacity) this.count++;
    else this.head = (this.head + 1) % this.capacity;
  }

  /** Calls `fn` for each sample at or after `since` (ms), oldest first; score is NaN when absent. */
  forEachSince(since: number, fn: (t: number, score: number, status: StudentStatus) => void): void {
    for (let k = 0; k < this.count; k++) {
      const i = (this.head + k) % this.capacity;
      if (this.t[i] >= since) fn(this.t[i], this.score[i], STATUSES[this.status[i]]);
    }
  }

  /** The samples at or after `since` as plain arrays. */
  view(since = -Infinity): SeriesView {
    const out: SeriesView = { t: [], score: [], status: [] };
    this.forEachSince(since, (t, score, status) => {
      out.t.push(t);
      out.score.push(Number.isNaN(score) ? null : score);
      out.status.push(status);
    });
    return out;
  }
}
