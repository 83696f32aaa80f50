import { describe, expect, it } from 'vitest';
import { busiestTick, firstStatusChange } from '../bench/capacity/schedule.js';

/**
 * bench:capacity's status changes. The generator counted each student's first change from when students
 * were created, before joining: every student whose offset passed during the joins changed on the first
 * send, and again together ten seconds later, inside the measured window. SmartSession joins in 5-17 s
 * and the relays in 2 s, so only SmartSession got a burst (about 1,200 changes within 250 ms at 2,000
 * students joining in 10 s), and its status p99 measured the burst.
 */
describe('bench:capacity status-change schedule', () => {
  const students = 2000;
  const warmupS = 4;
  const everyS = 10;
  const tick = 25;

  /** Every change of every student up to `until`, given when sending started. */
  function changes(sendingFrom: number, until: number): number[] {
    const out: number[] = [];
    for (let i = 0; i < students; i++)
      for (let t = firstStatusChange(i, sendingFrom, warmupS, everyS); t < until; t += everyS * 1000)
        out.push(t);
    return out;
  }

  it.each([2_000, 10_000, 17_000])(
    'spreads the class evenly over the window, whatever the joins took (%i ms)',
    (joinMs) => {
      const sendingFrom = joinMs;
      const windowFrom = sendingFrom + warmupS * 1000;
      const windowTo = windowFrom + 10_000;
      const all = changes(sendingFrom, windowTo + 20_000);
      // Nothing before the warm-up ends: the window starts calm.
      expect(all.filter((t) => t < windowFrom)).toHaveLength(0);
      // Each student changes exactly once in a 10 s window, about 2000 / 400 in a 25 ms tick.
      expect(all.filter((t) => t >= windowFrom && t < windowTo)).toHaveLength(students);
      expect(busiestTick(all, windowFrom, windowTo, tick)).toBeLessThanOrEqual(students / 400 + 1);
    },
  );

  it('busiestTick counts the fullest tick of the range only', () => {
    expect(busiestTick([0, 1, 24, 25, 26, 27, 100], 0, 100, 25)).toBe(3);
    expect(busiestTick([0, 1, 24, 25, 26, 27, 100], 25, 26, 25)).toBe(1);
    expect(busiestTick([], 0, 100, 25)).toBe(0);
  });
});
