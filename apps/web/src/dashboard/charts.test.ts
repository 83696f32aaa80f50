import { describe, expect, it } from 'vitest';
import { liveRange, MIN_SPAN_S, withGaps } from './charts.js';

describe('[issue 11] truthful charts', () => {
  it('an empty or one-point chart spans the last minute, not years or milliseconds', () => {
    expect(liveRange(undefined, 1000)).toEqual([1000 - MIN_SPAN_S, 1000]);
    expect(liveRange(999.8, 1000)).toEqual([1000 - MIN_SPAN_S, 1000]);
    expect(liveRange(100, 1000)).toEqual([100, 1000]);
  });

  it('draws a gap as a gap: a null row where samples are further apart than allowed', () => {
    const cols = [
      [0, 1, 2, 302, 303],
      [10, 20, 30, 40, 50],
    ];
    expect(withGaps(cols, 5)).toEqual([
      [0, 1, 2, 4.5, 302, 303],
      [10, 20, 30, null, 40, 50],
    ]);
    expect(
      withGaps(
        [
          [0, 1],
          [null, 1],
        ],
        5,
      ),
    ).toEqual([
      [0, 1],
      [null, 1],
    ]);
  });
});

describe('[issue 11] class timeline columns', () => {
  it('nobody connected is a gap, not 0 %; a reload after 5 quiet minutes is a gap, not a diagonal', async () => {
    const { classColumns } = await import('./ClassTimeline.js');
    const p = (t: number, present: number) => ({
      t,
      focused: present ? 1 : 0,
      confused: 0,
      alert: 0,
      lost: 0,
      present,
    });
    const cols = classColumns([p(0, 2), p(1000, 0), p(2000, 2), p(302_000, 2)]);
    expect(cols[0]).toEqual([0, 1, 2, 4.5, 302]);
    expect(cols[1]).toEqual([100, null, 100, null, 100]);
  });
});
