/** Sparkline geometry, pure: the polyline points of a student's recent confusion scores. */
import type { SampleSeries } from './series.js';

/** The sparkline spans the last 2 minutes, or less (down to 20 s) while a student has been here for less. */
const MAX_WINDOW_MS = 120_000;
export const MIN_WINDOW_MS = 20_000;

/**
 * SVG `points` for the scores of the last window ending at `now` (server ms): x by time, y by score
 * (0 at the bottom, 1 at the top). Samples without a score break nothing: they are skipped. At most one
 * point per `minDx` pixels (the latest of them), so the cost does not grow with the sample rate.
 */
export function sparklinePoints(series: SampleSeries, now: number, w: number, h: number, minDx = 2): string {
  if (series.length === 0) return '';
  const end = Math.max(now, series.lastT);
  const span = Math.min(MAX_WINDOW_MS, Math.max(MIN_WINDOW_MS, end - series.firstT));
  const start = end - span;
  const xs: number[] = [];
  const ys: number[] = [];
  let lastBucket = -1;
  series.forEachSince(start, (t, score) => {
    if (Number.isNaN(score)) return;
    const x = ((t - start) / span) * w;
    const y = h - 1 - score * (h - 2);
    // One point per minDx-wide bucket: a later sample in the same bucket replaces the earlier one.
    const bucket = Math.floor(x / minDx);
    if (bucket === lastBucket) {
      xs[xs.length - 1] = x;
      ys[ys.length - 1] = y;
    } else {
      xs.push(x);
      ys.push(y);
      lastBucket = bucket;
    }
  });
  let out = '';
  for (let i = 0; i < xs.length; i++) out += `${i ? ' ' : ''}${xs[i].toFixed(1)},${ys[i].toFixed(1)}`;
  return out;
}
