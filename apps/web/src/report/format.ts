/** Pure helpers of the report page: durations, shares and per-student summaries. */
import type { SessionReport, StudentReport } from '@smartsession/protocol';
import { formatDuration, formatPercent } from '../i18n/i18n.js';

/** "+12:05" (minutes:seconds, or h:mm:ss past an hour) from the session start. */
export function formatOffset(t: number, start: number): string {
  const s = Math.max(0, Math.round((t - start) / 1000));
  const p = (n: number) => String(n).padStart(2, '0');
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `+${h}:${p(m)}:${p(s % 60)}` : `+${m}:${p(s % 60)}`;
}

/** `part` of `whole` as a whole percentage in the reader's language ("35%"), or "–" when there is nothing to divide. */
export function formatShare(part: number, whole: number): string {
  return whole > 0 ? formatPercent(part / whole) : '–';
}

/** A report duration (seconds) in the reader's language ("12 min, 5 sec"). */
export function formatSeconds(seconds: number): string {
  return formatDuration(Math.round(Math.max(0, seconds)) * 1000);
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

/**
 * Download links of a report: JSON and each CSV table. With `timeZone` (the browser's, an IANA name) the
 * CSV tables carry local times in that zone beside the UTC ones.
 */
export function downloadLinks(
  sessionId: string,
  timeZone?: string,
): Array<{ table: 'json' | 'students' | 'alerts' | 'timeline'; href: string; file: string }> {
  const base = `/api/sessions/${encodeURIComponent(sessionId)}`;
  const tz = timeZone ? `tz=${encodeURIComponent(timeZone)}` : '';
  const csv = (table: string) => {
    const q = [table === 'students' ? '' : `table=${table}`, tz].filter(Boolean).join('&');
    return `${base}/report.csv${q ? `?${q}` : ''}`;
  };
  return [
    { table: 'json', href: `${base}/report`, file: 'report.json' },
    { table: 'students', href: csv('students'), file: 'report-students.csv' },
    { table: 'alerts', href: csv('alerts'), file: 'report-alerts.csv' },
    { table: 'timeline', href: csv('timeline'), file: 'report-timeline.csv' },
  ];
}

/**
 * Chart columns of the class timeline: time (s), mean score (0..1), confused and focused shares (0..1).
 * A bucket where nobody was connected (everyone offline, or nobody joined yet) is a gap, not 0 %.
 */
export function timelineColumns(
  r: SessionReport,
): [number[], Array<number | null>, Array<number | null>, Array<number | null>] {
  const tl = r.class.timeline;
  const here = (b: (typeof tl)[number]) => b.shares.offline < 0.999 && sumShares(b.shares) > 0;
  return [
    tl.map((b) => b.t / 1000),
    tl.map((b) => (here(b) ? b.meanScore : null)),
    tl.map((b) => (here(b) ? b.shares.confused / (1 - b.shares.offline) : null)),
    tl.map((b) => (here(b) ? b.shares.focused / (1 - b.shares.offline) : null)),
  ];
}

function sumShares(s: Record<string, number>): number {
  let n = 0;
  for (const v of Object.values(s)) n += v;
  return n;
}
