/** Pure helpers of the report page: durations, shares and per-student summaries. */
import type { SessionReport, StudentReport } from '@smartsession/protocol';

/**
 * A duration for the report table: "0 s", "45 s", "12 min 05 s", "1 h 02 min".
 * @param seconds duration in seconds (rounded to the nearest second; negative counts as 0)
 */
export function formatSeconds(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

/** "+12:05" (minutes:seconds, or h:mm:ss past an hour) from the session start. */
export function formatOffset(t: number, start: number): string {
  const s = Math.max(0, Math.round((t - start) / 1000));
  const p = (n: number) => String(n).padStart(2, '0');
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `+${h}:${p(m)}:${p(s % 60)}` : `+${m}:${p(s % 60)}`;
}

/** A 0..1 fraction as a whole percentage ("35%"), or "–" when there is nothing to divide. */
export function formatShare(part: number, whole: number): string {
  return whole > 0 ? `${Math.round((part / whole) * 100)}%` : '–';
}

/**
 * One student's row: seconds focused, confused, in alert (of which away), offline, and the other grey
 * states (calibrating, paused, camera off, no signal) together.
 */
export function studentSummary(s: StudentReport) {
  const x = s.seconds;
  return {
    focused: x.focused,
    confused: x.confused,
    alert: x.alert,
    away: s.awaySeconds,
    other: x.calibrating + x.paused + x['camera-off'] + x['no-signal'],
    offline: x.offline,
    observed: s.observedSeconds,
  };
}

/** Download links of a report: JSON and each CSV table. */
export function downloadLinks(sessionId: string): Array<{ label: string; href: string; file: string }> {
  const base = `/api/sessions/${encodeURIComponent(sessionId)}`;
  return [
    { label: 'JSON', href: `${base}/report`, file: 'report.json' },
    { label: 'CSV: students', href: `${base}/report.csv`, file: 'report-students.csv' },
    { label: 'CSV: alerts', href: `${base}/report.csv?table=alerts`, file: 'report-alerts.csv' },
    { label: 'CSV: timeline', href: `${base}/report.csv?table=timeline`, file: 'report-timeline.csv' },
  ];
}

/** Chart columns of the class timeline: time (s), mean score (0..1), confused and focused shares (0..1). */
export function timelineColumns(r: SessionReport): [number[], Array<number | null>, number[], number[]] {
  const tl = r.class.timeline;
  return [
    tl.map((b) => b.t / 1000),
    tl.map((b) => b.meanScore),
    tl.map((b) => b.shares.confused),
    tl.map((b) => b.shares.focused),
  ];
}
