/** Sparkline geometry, pure: the polyline points of a student's recent confusion scores. */
import type { SampleSeries } from './series.js';

/** The sparkline spans the last 2 minutes, or less (down to 20 s) while a student has been here for less. */
export const MAX_WINDOW_MS = 120_000;
export const MIN_WINDOW_MS = 20_000;

/**
 * SVG `points` for the scores of the last window ending at `now` (server ms): x by time, y by score
 * (0 at the bottom, 1 at the top). Samples without a score break nothing: they are skipped.
 */
export function sparklinePoints(series: SampleSeries, now: number, w: number, h: number): string {
  if (series.length === 0) return '';
  const end = Math.max(now, series.lastT);
  const span = Math.min(MAX_WINDOW_MS, Math.max(MIN_WINDOW_MS, end - series.firstT));
  const start = end - span;
  const parts: string[] = [];
  series.forEachSince(start, (t, score) => {
    if (Number.isNaN(score)) return;
    const x = ((t - start) / span) * w;
    const y = h - 1 - score * (h - 2);
    parts.push(`${x.toFixed(1)},${y.toFixed(1)}`);
  });
  return parts.join(' ');
}
