import { describe, expect, it } from 'vitest';
import { SampleSeries } from './series.js';

describe('SampleSeries', () => {
  it('keeps the newest samples up to its capacity, oldest first', () => {
    const s = new SampleSeries(3);
    s.push(1, 0.1, 'focused');
    s.push(2, null, 'no-signal');
    s.push(3, 0.7, 'confused');
    s.push(4, 0.9, 'alert');
    expect(s.length).toBe(3);
    const v = s.view();
    expect(v.t).toEqual([2, 3, 4]);
    expect(v.score[0]).toBeNull();
    expect(v.score[1]).toBeCloseTo(0.7, 5);
    expect(v.status).toEqual(['no-signal', 'confused', 'alert']);
    expect(s.view(3).t).toEqual([3, 4]);
  });

  it('ignores a sample older than the newest', () => {
    const s = new SampleSeries(5);
    s.push(10, 0.5, 'focused');
    s.push(5, 0.5, 'focused');
    expect(s.view().t).toEqual([10]);
    expect(s.lastT).toBe(10);
  });
});

describe('mergeViews', () => {
  it('keeps stored history and appends only newer live samples', async () => {
    const { mergeViews } = await import('./history.js');
    const merged = mergeViews(
      { t: [1, 2, 3], score: [0.1, null, 0.3], status: ['focused', 'no-signal', 'focused'] },
      { t: [3, 4], score: [0.3, 0.9], status: ['focused', 'confused'] },
    );
    expect(merged).toEqual({
      t: [1, 2, 3, 4],
      score: [0.1, null, 0.3, 0.9],
      status: ['focused', 'no-signal', 'focused', 'confused'],
    });
  });
});

describe('sparklinePoints', () => {
  it('maps time to x over the window and score to y, skipping samples without a score', async () => {
    const { sparklinePoints, MIN_WINDOW_MS } = await import('./sparkline-path.js');
    const s = new SampleSeries(10);
    const now = 100_000;
    s.push(now - MIN_WINDOW_MS, 0, 'focused');
    s.push(now - MIN_WINDOW_MS / 2, null, 'no-signal');
    s.push(now, 1, 'confused');
    expect(sparklinePoints(s, now, 100, 22)).toBe('0.0,21.0 100.0,1.0');
    expect(sparklinePoints(new SampleSeries(2), now, 100, 22)).toBe('');
  });

  it('keeps at most one point per minDx pixels, the latest of them', async () => {
    const { sparklinePoints } = await import('./sparkline-path.js');
    const s = new SampleSeries(100);
    for (let i = 0; i <= 40; i++) s.push(i * 500, (i % 2) * 1, 'focused'); // 20 s at 2 Hz
    const pts = sparklinePoints(s, 20_000, 40, 12, 2).split(' ');
    expect(pts.length).toBeLessThanOrEqual(21);
    expect(pts[0]).toBe('1.0,1.0'); // x 0 and 1 share the first bucket; the later one stays
    expect(pts[pts.length - 1]).toBe('40.0,11.0');
  });
});
