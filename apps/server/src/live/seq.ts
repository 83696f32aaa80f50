/**
 * Per-student sequence tracking (pure): which seqs were processed, and the highest contiguous one.
 * Seqs may arrive out of order; gaps the client declares thinned (a batch's `from`) count as done.
 */
export class SeqTracker {
  private done = new Set<number>();
  private top: number;
  private highest: number;

  /** `contiguous`: everything up to it is already stored (0 = nothing). */
  constructor(contiguous = 0) {
    this.top = contiguous;
    this.highest = contiguous;
  }

  /** Highest seq seen at all. */
  get max(): number {
    return this.highest;
  }

  /** Highest seq such that it and every lower one are processed or skipped. */
  get contiguous(): number {
    return this.top;
  }

  /** Seqs above `contiguous` held (bounded by the caller's message limits). */
  get pendingAbove(): number {
    return this.done.size;
  }

  /** True when `seq` was already processed (a duplicate). */
  has(seq: number): boolean {
    return seq <= this.top || this.done.has(seq);
  }

  /** Marks `seq` processed; false when it was a duplicate. */
  add(seq: number): boolean {
    if (this.has(seq)) return false;
    this.done.add(seq);
    if (seq > this.highest) this.highest = seq;
    this.advance();
    return true;
  }

  /** Marks every seq in `from..to` not already seen as skipped (thinned by the client). */
  skip(from: number, to: number): void {
    for (let s = Math.max(from, this.top + 1); s <= to; s++) this.done.add(s);
    if (to > this.highest) this.highest = to;
    this.advance();
  }

  /** Marks every unseen seq up to `max` as skipped, except those in `keep` (still expected). */
  closeGapsExcept(keep: ReadonlySet<number>): void {
    for (let s = this.top + 1; s <= this.highest; s++) if (!keep.has(s)) this.done.add(s);
    this.advance();
  }

  private advance(): void {
    while (this.done.has(this.top + 1)) {
      this.done.delete(this.top + 1);
      this.top++;
    }
  }
}
