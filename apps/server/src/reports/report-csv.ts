import type { ReportCsvTable, SessionReport } from '@smartsession/protocol';
import { type CsvCell, safeText, toCsv } from './csv.js';
import { STATUSES } from './intervals.js';

/** ISO 8601 UTC time of a ms timestamp, or empty for null. */
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
/** Column-name form of a status (`camera-off` → `camera_off`). */
const col = (status: string) => status.replace('-', '_');

/** Header of the `students` table. */
export const STUDENT_COLUMNS = [
  'participant_id',
  'number',
  'name',
  'joined_at',
  'observed_s',
  ...STATUSES.map((s) => `${col(s)}_s`),
  'away_s',
  'mean_score',
  'sample_count',
  'alert_count',
  'self_report_count',
];

/** Header of the `alerts` table (proctor alerts and self-reports, by start time). */
export const ALERT_COLUMNS = [
  'participant_id',
  'name',
  'kind',
  'code',
  'started_at',
  'ended_at',
  'duration_s',
  'id',
];

/** Header of the `timeline` table (one row per bucket; `markers` joins the labels in the bucket with " | "). */
export const TIMELINE_COLUMNS = [
  't',
  'offset_s',
  'mean_score',
  'samples',
  ...STATUSES.map((s) => `${col(s)}_share`),
  'peak',
  'markers',
];

function students(r: SessionReport): CsvCell[][] {
  return r.students.map((s) => [
    s.participantId,
    s.number,
    safeText(s.name),
    iso(s.joinedAt),
    s.observedSeconds,
    ...STATUSES.map((st) => s.seconds[st]),
    s.awaySeconds,
    s.meanScore,
    s.sampleCount,
    s.alertCount,
    s.selfReportCount,
  ]);
}

function alerts(r: SessionReport): CsvCell[][] {
  const rows: Array<{ at: number; cells: CsvCell[] }> = [];
  for (const s of r.students) {
    const name = safeText(s.name);
    for (const a of s.alerts)
      rows.push({
        at: a.startedAt,
        cells: [
          s.participantId,
          name,
          'proctor',
          a.code,
          iso(a.startedAt),
          iso(a.endedAt),
          a.durationSeconds,
          a.id,
        ],
      });
    for (const a of s.selfReports)
      rows.push({
        at: a.startedAt,
        cells: [
          s.participantId,
          name,
          'self_report',
          null,
          iso(a.startedAt),
          iso(a.endedAt),
          a.durationSeconds,
          a.id,
        ],
      });
  }
  return rows.sort((a, b) => a.at - b.at).map((x) => x.cells);
}

function timeline(r: SessionReport): CsvCell[][] {
  const bucketMs = r.class.bucketSeconds * 1000;
  const peaks = new Set(r.class.peaks.map((p) => p.t));
  return r.class.timeline.map((b) => [
    iso(b.t),
    (b.t - r.startedAt) / 1000,
    b.meanScore,
    b.samples,
    ...STATUSES.map((st) => b.shares[st]),
    peaks.has(b.t) ? 1 : 0,
    r.class.markers
      .filter((m) => m.t >= b.t && m.t < b.t + bucketMs)
      .map((m) => safeText(m.label))
      .join(' | '),
  ]);
}

/** One table of the report as RFC 4180 CSV with a header row. */
export function reportCsv(report: SessionReport, table: ReportCsvTable = 'students'): string {
  switch (table) {
    case 'students':
      return toCsv([STUDENT_COLUMNS, ...students(report)]);
    case 'alerts':
      return toCsv([ALERT_COLUMNS, ...alerts(report)]);
    case 'timeline':
      return toCsv([TIMELINE_COLUMNS, ...timeline(report)]);
  }
}
