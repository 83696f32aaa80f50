import { PEAK_MIN_SHARE } from '@smartsession/protocol';
import type { ConfusionPeak, StatusSeconds, TimelineBucket } from '@smartsession/protocol';
import type { ReportMarkerInput, SampleSums } from './input.js';
import { STATUSES, type StatusSegment, zeroStatus } from './intervals.js';

/** Rounds to 4 decimals (shares and scores in the report). */
export function round4(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}

/**
 * The class timeline: `n` buckets of `bucketMs` from `start`. Status shares come from every student's
 * segments (time-weighted, exact); mean scores from the summed samples.
 */
export function classTimeline(
  start: number,
  n: number,
  bucketMs: number,
  segments: StatusSegment[],
  samples: SampleSums['byBucket'],
): TimelineBucket[] {
  const ms: StatusSeconds[] = Array.from({ length: n }, zeroStatus);
  for (const s of segments) {
    let k = Math.floor((s.from - start) / bucketMs);
    for (; k < n; k++) {
      const a = Math.max(s.from, start + k * bucketMs);
      const b = Math.min(s.to, start + (k + 1) * bucketMs);
      if (b <= a) break;
      ms[k]![s.status] += b - a;
    }
  }
  const sum = new Float64Array(n);
  const cnt = new Float64Array(n);
  for (const b of samples) {
    if (b.bucket < 0 || b.bucket >= n) continue;
    sum[b.bucket]! += b.scoreSum;
    cnt[b.bucket]! += b.scoreCount;
  }
  return ms.map((m, k) => {
    const total = STATUSES.reduce((acc, st) => acc + m[st], 0);
    const shares = zeroStatus();
    if (total > 0) for (const st of STATUSES) shares[st] = round4(m[st] / total);
    const c = cnt[k]!;
    return { t: start + k * bucketMs, meanScore: c > 0 ? round4(sum[k]! / c) : null, samples: c, shares };
  });
}

/** Most peaks a report lists (the most confused runs). */
const MAX_PEAKS = 10;

/**
 * Moments where confusion peaked: runs of consecutive buckets with a confused share of at least
 * {@link PEAK_MIN_SHARE}; each peak is the run's most confused bucket (the earliest on a tie), labelled
 * with the last marker placed before that bucket ended. At most {@link MAX_PEAKS}, oldest first.
 */
export function findPeaks(
  timeline: TimelineBucket[],
  bucketMs: number,
  end: number,
  markers: ReportMarkerInput[],
): ConfusionPeak[] {
  const peaks: ConfusionPeak[] = [];
  let run: { start: number; best: TimelineBucket } | null = null;
  const close = (endedAt: number) => {
    if (!run) return;
    const bucketEnd = run.best.t + bucketMs;
    const before = markers.filter((m) => m.t < bucketEnd);
    peaks.push({
      startedAt: run.start,
      endedAt: Math.min(endedAt, end),
      t: run.best.t,
      confusedShare: run.best.shares.confused,
      meanScore: run.best.meanScore,
      afterMarker: before.length > 0 ? before[before.length - 1]!.label : null,
    });
    run = null;
  };
  for (const b of timeline) {
    if (b.shares.confused >= PEAK_MIN_SHARE) {
      if (!run) run = { start: b.t, best: b };
      else if (b.shares.confused > run.best.shares.confused) run.best = b;
    } else close(b.t);
  }
  close(timeline.length > 0 ? timeline[timeline.length - 1]!.t + bucketMs : end);
  return peaks
    .sort((a, b) => b.confusedShare - a.confusedShare || a.t - b.t)
    .slice(0, MAX_PEAKS)
    .sort((a, b) => a.t - b.t);
}
