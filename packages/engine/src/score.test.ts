import { describe, expect, it } from 'vitest';
import { resolveConfig } from './config.js';
import { effectiveWeights, emotionLabel, scoreBand, scoreConfusion } from './score.js';

const cfg = resolveConfig().score;

/** Small seeded PRNG (mulberry32) so the fuzz cases are reproducible. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('scoreConfusion (seed formula 0.45/0.35/0.20)', () => {
  it('weights brow, (1 − happy) and tilt', () => {
    expect(scoreConfusion({ brow: 1, tilt: 1, happiness: 0 }, cfg).score).toBe(1);
    expect(scoreConfusion({ brow: 0, tilt: 0, happiness: 1 }, cfg).score).toBe(0);
    expect(scoreConfusion({ brow: 1, tilt: 0, happiness: 1 }, cfg).score).toBe(0.45);
    expect(scoreConfusion({ brow: 0, tilt: 0, happiness: 0 }, cfg).score).toBe(0.35);
    expect(scoreConfusion({ brow: 0, tilt: 1, happiness: 1 }, cfg).score).toBe(0.2);
  });

  it('flags confused at the 0.58 threshold', () => {
    // 0.35 + 0.45·b = 0.58 → b ≈ 0.5111
    expect(scoreConfusion({ brow: 0.5112, tilt: 0, happiness: 0 }, cfg).confused).toBe(true);
    expect(scoreConfusion({ brow: 0.5, tilt: 0, happiness: 0 }, cfg).confused).toBe(false);
  });

  it('[CONF-1] contributions add up to the score exactly (in units of 0.0001), seeded fuzz', () => {
    const r = rng(42);
    for (let i = 0; i < 2000; i++) {
      const emotionOff = r() < 0.3;
      const s = scoreConfusion({ brow: r() * 1.2 - 0.1, tilt: r(), happiness: emotionOff ? null : r() }, cfg);
      const c = s.contributions;
      const units = Math.round(c.brow * 1e4) + Math.round((c.happy ?? 0) * 1e4) + Math.round(c.tilt * 1e4);
      expect(units).toBe(Math.round(s.score * 1e4));
      expect(Math.abs(c.brow + (c.happy ?? 0) + c.tilt - s.score)).toBeLessThan(1e-12);
      expect(s.score).toBeGreaterThanOrEqual(0);
      expect(s.score).toBeLessThanOrEqual(1);
      expect(s.confused).toBe(s.score >= 0.58);
    }
  });

  it('with emotion off: happy is null and brow/tilt weights are renormalised to 0.45/0.65 and 0.20/0.65', () => {
    const w = effectiveWeights(cfg.weights, false);
    expect(w.happy).toBeNull();
    expect(w.brow).toBeCloseTo(0.45 / 0.65, 12);
    expect(w.tilt).toBeCloseTo(0.2 / 0.65, 12);
    const s = scoreConfusion({ brow: 1, tilt: 0, happiness: null }, cfg);
    expect(s.signals.happy).toBeNull();
    expect(s.contributions.happy).toBeNull();
    expect(s.score).toBe(0.6923);
    expect(scoreConfusion({ brow: 1, tilt: 1, happiness: null }, cfg).score).toBe(1);
  });

  it('signals are the clamped inputs, happy = 1 − happiness', () => {
    const s = scoreConfusion({ brow: 2, tilt: -1, happiness: 0.25 }, cfg);
    expect(s.signals).toEqual({ brow: 1, happy: 0.75, tilt: 0 });
  });
});

describe('bands and the emotion label (seed rules)', () => {
  it('bands: < 0.30 confident, < 0.58 neutral, else confused', () => {
    expect(scoreBand(0.29)).toBe('confident');
    expect(scoreBand(0.3)).toBe('neutral');
    expect(scoreBand(0.5799)).toBe('neutral');
    expect(scoreBand(0.58)).toBe('confused');
  });
  it('happy > 0.35, neutral > 0.45, else Confused', () => {
    expect(emotionLabel(0.36, 0.9)).toBe('Happy / Engaged');
    expect(emotionLabel(0.35, 0.46)).toBe('Focused / Neutral');
    expect(emotionLabel(0.2, 0.45)).toBe('Confused');
  });
});
