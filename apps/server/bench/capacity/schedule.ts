/**
 * When the load generator's students change status. Each changes every `statusEveryS`; the class is
 * spread evenly over that period, the period starting when the warm-up ends, so that the measured window
 * sees the same load shape whatever the target (a relay joins in 2 s, SmartSession in 5-17 s).
 *
 * Counted from when students were created (before joining), as the generator first did, every student
 * whose offset had passed during the joins changed status on its first send, and again ten seconds later,
 * inside the window: at 2,000 students joining in 10 s, about 1,200 status changes within 250 ms (one
 * round of the 25 ms ticks) for SmartSession and none for the relays.
 */

/** The first status change of student `i` of a class whose sending starts at `sendingFrom` (ms). */
export function firstStatusChange(
  i: number,
  sendingFrom: number,
  warmupS: number,
  statusEveryS: number,
): number {
  // 997 is prime to any period in whole milliseconds of 1,000 * 2^a * 5^b: offsets are distinct and even.
  return sendingFrom + warmupS * 1000 + ((i * 997) % (statusEveryS * 1000));
}

/** The most status changes that fall in one tick of `tickMs` between `from` and `to`. */
export function busiestTick(changes: number[], from: number, to: number, tickMs: number): number {
  const counts = new Map<number, number>();
  for (const t of changes) {
    if (t < from || t >= to) continue;
    const k = Math.floor((t - from) / tickMs);
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return Math.max(0, ...counts.values());
}
