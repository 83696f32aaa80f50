/**
 * Class aggregation for the class timeline: the share of students focused / confused / alert and the
 * count of standing "I'm lost" presses, at an instant or bucketed over stored samples. Pure.
 */
import type { StudentStatus } from '@smartsession/protocol';

/** Shares of the class at one instant. Shares are 0..1 of the students counted (offline ones are not). */
export interface ClassPoint {
  /** ms since the epoch. */
  t: number;
  focused: number;
  confused: number;
  alert: number;
  /** Students with a standing "I'm lost" press (a count, not a share). */
  lost: number;
  /** Students counted (connected). */
  present: number;
}

/** What aggregation needs from a student. */
export interface AggregateInput {
  status: StudentStatus;
  lostSince: number | null;
}

/**
 * Shares of the class right now. Offline students are left out of the denominator, so a student who left
 * does not dilute the class; grey statuses (calibrating, paused, …) count in the denominator only.
 */
export function classPoint(t: number, students: Iterable<AggregateInput>): ClassPoint {
  let present = 0;
  let focused = 0;
  let confused = 0;
  let alert = 0;
  let lost = 0;
  for (const s of students) {
    if (s.status === 'offline') continue;
    present++;
    if (s.status === 'focused') focused++;
    else if (s.status === 'confused') confused++;
    else if (s.status === 'alert') alert++;
    if (s.lostSince !== null) lost++;
  }
  const d = present || 1;
  return { t, focused: focused / d, confused: confused / d, alert: alert / d, lost, present };
}

/** One stored or live sample of a student (server time, ms). */
export interface StatusSample {
  participantId: string;
  t: number;
  status: StudentStatus;
}

/** A standing "I'm lost" press: from `startedAt` to `endedAt` (null = still standing), server ms. */
export interface LostInterval {
  startedAt: number;
  endedAt: number | null;
}

/**
 * Buckets samples into class points every `bucketMs`, carrying each student's last known status forward
 * (a student is counted from their first sample on). A student with no sample for `staleMs` counts as
 * offline. Samples need not be sorted. `lost` counts the presses standing at each bucket's start.
 */
export function bucketClassPoints(
  samples: readonly StatusSample[],
  bucketMs: number,
  staleMs = 10_000,
  lost: readonly LostInterval[] = [],
): ClassPoint[] {
  if (samples.length === 0 || bucketMs <= 0) return [];
  const sorted = [...samples].sort((a, b) => a.t - b.t);
  const start = Math.floor(sorted[0].t / bucketMs) * bucketMs;
  const end = sorted[sorted.length - 1].t;
  const last = new Map<string, { status: StudentStatus; t: number }>();
  const out: ClassPoint[] = [];
  let i = 0;
  for (let b = start; b <= end; b += bucketMs) {
    const bucketEnd = b + bucketMs;
    while (i < sorted.length && sorted[i].t < bucketEnd) {
      last.set(sorted[i].participantId, { status: sorted[i].status, t: sorted[i].t });
      i++;
    }
    const states: AggregateInput[] = [];
    for (const v of last.values()) {
      states.push({ status: bucketEnd - v.t > staleMs ? 'offline' : v.status, lostSince: null });
    }
    const point = classPoint(b, states);
    point.lost = lost.filter((l) => l.startedAt <= b && (l.endedAt === null || l.endedAt > b)).length;
    out.push(point);
  }
  return out;
}
