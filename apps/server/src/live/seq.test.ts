import { describe, expect, it } from 'vitest';
import { rng } from '../../../../test/support/random.js';
import { SeqTracker } from './seq.js';

/** The obvious model: a set of every done seq. */
class NaiveTracker {
  done = new Set<number>();
  top: number;
  highest: number;
  constructor(c: number) {
    this.top = c;
    this.highest = c;
  }
  has(s: number) {
    return s <= this.top || this.done.has(s);
  }
  mark(s: number) {
    if (!this.has(s)) this.done.add(s);
    if (s > this.highest) this.highest = s;
    while (this.done.has(this.top + 1)) this.done.delete(++this.top);
  }
}

describe('SeqTracker', () => {
  it('[issue 9 #5] declaring a span of any length costs no more than a short one', () => {
    const t = new SeqTracker();
    // The attack: batches `{from: 1, items: [{seq: top}]}` with top 199,999 higher each time. A tracker
    // that walks every seq would take hours on the last line; this one merges ranges.
    for (let top = 199_999; top < 20 * 199_999; top += 199_999) t.skip(1, top);
    t.skip(1, 2 ** 40);
    expect(t.contiguous).toBe(2 ** 40);
    t.add(2 ** 41);
    t.closeGapsExcept(new Set([2 ** 40 + 5]));
    expect(t.contiguous).toBe(2 ** 40 + 4);
    expect(t.has(2 ** 40 + 5)).toBe(false);
    expect(t.has(2 ** 40 + 6)).toBe(true);
    expect(t.ranges).toBe(1);
  });

  it('matches the obvious model under seeded random adds, skips and gap closing', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const r = rng(seed);
      const start = Math.floor(r() * 5);
      const t = new SeqTracker(start);
      const m = new NaiveTracker(start);
      for (let step = 0; step < 400; step++) {
        const x = r();
        if (x < 0.6) {
          const s = m.top + 1 + Math.floor(r() * 30);
          expect(t.add(s)).toBe(!m.has(s));
          m.mark(s);
        } else if (x < 0.9) {
          const from = m.top + 1 + Math.floor(r() * 20) - 5;
          const to = from + Math.floor(r() * 15);
          t.skip(from, to);
          for (let s = Math.max(from, m.top + 1); s <= to; s++) m.mark(s);
          if (to > m.highest) m.highest = to;
        } else {
          const keep = new Set<number>();
          for (let k = 0; k < 3; k++) keep.add(m.top + 1 + Math.floor(r() * 20));
          t.closeGapsExcept(keep);
          for (let s = m.top + 1; s <= m.highest; s++) if (!keep.has(s)) m.mark(s);
        }
        const wrong: number[] = [];
        for (let s = m.top - 2; s <= m.highest + 3; s++) if (t.has(s) !== m.has(s)) wrong.push(s);
        if (wrong.length > 0 || t.contiguous !== m.top || t.max !== m.highest)
          expect({ seed, step, wrong, contiguous: t.contiguous, max: t.max }).toEqual({
            seed,
            step,
            wrong: [],
            contiguous: m.top,
            max: m.highest,
          });
      }
    }
  });
});
