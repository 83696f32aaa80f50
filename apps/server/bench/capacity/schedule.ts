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

/** The `p`th percentile of `values` (NaN when empty). */
export function pct(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

/**
 * The p99 of status-change latencies in each of `n` equal parts of the window [`from`, `to`), by when
 * each change was sent (`sentAt[i]` with `latency[i]`); NaN for a part that saw none.
 */
export function p99ByWindow(
  sentAt: number[],
  latency: number[],
  from: number,
  to: number,
  n: number,
): number[] {
  const parts: number[][] = Array.from({ length: n }, () => []);
  const width = (to - from) / n;
  for (let i = 0; i < sentAt.length; i++) {
    const k = Math.floor((sentAt[i]! - from) / width);
    if (k >= 0 && k < n) parts[k]!.push(latency[i]!);
  }
  return parts.map((p) => pct(p, 99));
}

/**
 * Whether status changes held (p99 under `limitMs`): in more than half of the windows. One window is the
 * old rule. Several make one disturbance of the machine (we saw stalls of 1-3 s at 96-100% CPU, in any
 * target, a few times an hour) cost one window, not the size; the rule is the same for every target.
 */
export function statusHeld(p99s: number[], limitMs: number): boolean {
  const held = p99s.filter((p) => p < limitMs).length;
  return held * 2 > p99s.length;
}
