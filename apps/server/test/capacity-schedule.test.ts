import { describe, expect, it } from 'vitest';
import { busiestTick, firstStatusChange, p99ByWindow, statusHeld } from '../bench/capacity/schedule.js';

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

  it('judges status changes window by window: one stalled part of three does not fail the size, two do', () => {
    // 3 windows of 10 s; 1,000 changes in each, 10 ms late, except a stall of 2 s in the second.
    const sentAt: number[] = [];
    const latency: number[] = [];
    for (let i = 0; i < 3000; i++) {
      const t = i * 10;
      sentAt.push(t);
      latency.push(t >= 12_000 && t < 14_000 ? 2000 - (t - 12_000) : 10);
    }
    const p99s = p99ByWindow(sentAt, latency, 0, 30_000, 3);
    expect(p99s[0]).toBe(10);
    expect(p99s[1]).toBeGreaterThan(1000);
    expect(p99s[2]).toBe(10);
    expect(statusHeld(p99s, 100)).toBe(true);
    expect(statusHeld([10, 150, 120], 100)).toBe(false);
    // One window is the old rule, and a window that saw no change does not hold.
    expect(statusHeld(p99ByWindow(sentAt, latency, 0, 30_000, 1), 100)).toBe(false);
    expect(statusHeld([NaN, 10, NaN], 100)).toBe(false);
    // Changes outside the window are not counted.
    expect(p99ByWindow([-1, 30_000], [5000, 5000], 0, 30_000, 3)).toEqual([NaN, NaN, NaN]);
  });
});
