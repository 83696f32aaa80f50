/**
 * Per-student sequence tracking (pure): which seqs were processed, and the highest contiguous one.
 * Seqs may arrive out of order; gaps the client declares thinned (a batch's `from`) count as done.
 *
 * Done seqs above `contiguous` are kept as sorted, disjoint, non-adjacent ranges, so declaring a span of
 * any length costs O(log n + ranges merged), never one step per seq.
 */
export class SeqTracker {
  /** Range starts and ends (inclusive), sorted; every range lies above `top + 1`. */
  private starts: number[] = [];
  private ends: number[] = [];
  private top: number;
  private highest: number;

  /**
   * `contiguous`: everything up to it is already stored (0 = nothing); `seen`: the highest seq known to
   * have been used (stored rows may be above a lazily written `contiguous`), reported as `max`.
   */
  constructor(contiguous = 0, seen = contiguous) {
    this.top = contiguous;
    this.highest = Math.max(contiguous, seen);
  }

  /** Highest seq seen at all. */
  get max(): number {
    return this.highest;
  }

  /** Highest seq such that it and every lower one are processed or skipped. */
  get contiguous(): number {
    return this.top;
  }

  /** Number of separate runs of done seqs above `contiguous` (the gaps still open, plus one). */
  get ranges(): number {
    return this.starts.length;
  }

  /** True when `seq` was already processed (a duplicate). */
  has(seq: number): boolean {
    if (seq <= this.top) return true;
    const i = this.lastStartAtOrBelow(seq);
    return i >= 0 && this.ends[i]! >= seq;
  }

  /** Marks `seq` processed; false when it was a duplicate. */
  add(seq: number): boolean {
    if (this.has(seq)) return false;
    this.mark(seq, seq);
    return true;
  }

  /** Marks every seq in `from..to` not already seen as skipped (thinned by the client). */
  skip(from: number, to: number): void {
    this.mark(Math.max(from, this.top + 1), to);
  }

  /**
   * Marks every unseen seq up to `max` as skipped, except those in `keep` (still expected). Costs
   * O(|keep| log n) plus the ranges merged.
   */
  closeGapsExcept(keep: ReadonlySet<number>): void {
    const held = [...keep]
      .filter((s) => s > this.top && s <= this.highest && !this.has(s))
      .sort((a, b) => a - b);
    let from = this.top + 1;
    for (const s of held) {
      if (s > from) this.mark(from, s - 1);
      from = s + 1;
    }
    if (from <= this.highest) this.mark(from, this.highest);
  }

  /** Index of the last range starting at or below `seq`, or -1. */
  private lastStartAtOrBelow(seq: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.starts[mid]! <= seq) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  /** Adds the range `from..to` (merging with neighbours), then advances `contiguous`. */
  private mark(from: number, to: number): void {
    if (to > this.highest) this.highest = to;
    if (from > to) return;
    // First range that could touch [from, to] (ends at or after from - 1).
    let i = this.lastStartAtOrBelow(from - 1);
    if (i < 0 || this.ends[i]! < from - 1) i++;
    let j = i;
    let s = from;
    let e = to;
    while (j < this.starts.length && this.starts[j]! <= to + 1) {
      s = Math.min(s, this.starts[j]!);
      e = Math.max(e, this.ends[j]!);
      j++;
    }
    this.starts.splice(i, j - i, s);
    this.ends.splice(i, j - i, e);
    if (this.starts[0] === this.top + 1) {
      this.top = this.ends[0]!;
      this.starts.shift();
      this.ends.shift();
    }
  }
}
