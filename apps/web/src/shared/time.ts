/** Time formatting for durations and clock times shown on the dashboard. */

/**
 * A duration in words, coarse enough to read at a glance: "0 s", "45 s", "3 min", "1 h 05 min".
 * @param ms duration in milliseconds (negative counts as 0)
 */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  const h = Math.floor(m / 60);
  return `${h} h ${String(m % 60).padStart(2, '0')} min`;
}

/** Wall-clock time "14:05:09" of a ms-since-epoch instant, in the browser's time zone. */
export function formatClock(t: number): string {
  const d = new Date(t);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}
