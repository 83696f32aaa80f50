import { describe, expect, it } from 'vitest';
import { bucketClassPoints, classPoint } from './aggregate.js';

describe('classPoint', () => {
  it('gives shares of connected students; offline ones are left out; lost is a count', () => {
    const p = classPoint(1000, [
      { status: 'focused', lostSince: null },
      { status: 'focused', lostSince: 5 },
      { status: 'confused', lostSince: null },
      { status: 'alert', lostSince: null },
      { status: 'offline', lostSince: 3 },
    ]);
    expect(p).toEqual({ t: 1000, focused: 0.5, confused: 0.25, alert: 0.25, lost: 1, present: 4 });
  });

  it('grey statuses count in the denominator only; an empty class is all zeros', () => {
    const p = classPoint(0, [
      { status: 'calibrating', lostSince: null },
      { status: 'focused', lostSince: null },
    ]);
    expect(p.focused).toBe(0.5);
    expect(classPoint(0, [])).toEqual({ t: 0, focused: 0, confused: 0, alert: 0, lost: 0, present: 0 });
  });
});

describe('bucketClassPoints', () => {
  it('carries each student status forward into later buckets and ages out silent students', () => {
    const pts = bucketClassPoints(
      [
        { participantId: 'a', t: 1000, status: 'focused' },
        { participantId: 'b', t: 1500, status: 'confused' },
        { participantId: 'a', t: 3200, status: 'alert' },
      ],
      1000,
      2000,
    );
    expect(pts.map((p) => p.t)).toEqual([1000, 2000, 3000]);
    expect(pts[0]).toMatchObject({ focused: 0.5, confused: 0.5, present: 2 });
    expect(pts[1]).toMatchObject({ focused: 0.5, confused: 0.5 });
    // b's last sample (1500) is more than 2 s before the end of bucket 3 (4000): counted offline.
    expect(pts[2]).toMatchObject({ alert: 1, present: 1 });
  });

  it('accepts unsorted samples and returns nothing for none', () => {
    const pts = bucketClassPoints(
      [
        { participantId: 'a', t: 2100, status: 'confused' },
        { participantId: 'a', t: 100, status: 'focused' },
      ],
      1000,
    );
    expect(pts.map((p) => [p.t, p.focused, p.confused])).toEqual([
      [0, 1, 0],
      [1000, 1, 0],
      [2000, 0, 1],
    ]);
    expect(bucketClassPoints([], 1000)).toEqual([]);
  });

  it("counts the I'm lost presses standing at each bucket start", () => {
    const pts = bucketClassPoints(
      [
        { participantId: 'a', t: 0, status: 'focused' },
        { participantId: 'a', t: 3500, status: 'focused' },
      ],
      1000,
      10_000,
      [
        { startedAt: 500, endedAt: 2500 },
        { startedAt: 900, endedAt: null },
      ],
    );
    expect(pts.map((p) => p.lost)).toEqual([0, 2, 2, 1]);
  });
});
