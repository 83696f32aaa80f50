import { describe, expect, it } from 'vitest';
import { BrowSmoother } from './smoothing.js';

describe('BrowSmoother (median over a time window)', () => {
  const at = (s: BrowSmoother, lower: number, t: number) => s.add({ lower, knit: 0.5 }, t).lower;

  it('[SMOOTH] one odd frame does not move it; a held change shows after half the window', () => {
    const s = new BrowSmoother(1);
    for (let t = 0; t <= 1000; t += 200) at(s, 0.25, t);
    expect(at(s, 0.15, 1200)).toBe(0.25); // a single noisy frame
    expect(at(s, 0.25, 1400)).toBe(0.25);
    // A frown held from 1600 ms: at 5 fps the median turns after 3 of 5-6 frames in the window.
    const seen: number[] = [];
    for (let t = 1600; t <= 2600; t += 200) seen.push(at(s, 0.2, t));
    expect(seen[0]).toBe(0.25);
    expect(seen.findIndex((v) => v === 0.2)).toBeLessThanOrEqual(3);
    expect(seen[seen.length - 1]).toBe(0.2);
  });

  it('starts afresh after a gap longer than the window, time going backwards, or a reset', () => {
    const s = new BrowSmoother(1);
    at(s, 0.25, 0);
    at(s, 0.25, 200);
    expect(at(s, 0.1, 5000)).toBe(0.1);
    expect(s.size).toBe(1);
    expect(at(s, 0.3, 100)).toBe(0.3);
    s.reset();
    expect(s.size).toBe(0);
  });
});
