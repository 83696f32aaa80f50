import type { ReportCsvTable, SessionReport } from '@smartsession/protocol';
import { type CsvCell, safeText, toCsv } from './csv.js';
import { STATUSES } from './intervals.js';

/** ISO 8601 UTC time of a ms timestamp, or empty for null. */
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
/**
 * Local wall-clock time "2027-03-04 14:05:09" of a ms timestamp in an IANA time zone (the teacher's), or
 * empty for null. Throws a RangeError for an unknown zone.
 */
function localTime(timeZone: string): (ms: number | null) => string | null {
  const f = new Intl.DateTimeFormat('sv-SE', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  });
  return (ms) => (ms === null ? null : f.format(ms));
}

/** A header with a `<name>_local` column after each UTC time column named in `times`. */
function withLocal(columns: string[], times: readonly string[], local: boolean): string[] {
  return local ? columns.flatMap((c) => (times.includes(c) ? [c, `${c}_local`] : [c])) : columns;
}

/** Cells with the local form of each time placed after it (same positions as {@link withLocal}). */
function addLocal(
  cells: CsvCell[],
  at: readonly number[],
  times: readonly (number | null)[],
  local: ((ms: number | null) => string | null) | null,
): CsvCell[] {
  if (!local) return cells;
  const out = [...cells];
  for (let k = at.length - 1; k >= 0; k--) out.splice(at[k]! + 1, 0, local(times[k] ?? null));
  return out;
}

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

/**
 * One table of the report as RFC 4180 CSV with a header row. Times are ISO 8601 UTC; with `timeZone` (an
 * IANA name, e.g. the teacher's browser's) each time column is followed by `<column>_local`, the same
 * instant as wall-clock time in that zone.
 */
export function reportCsv(
  report: SessionReport,
  table: ReportCsvTable = 'students',
  timeZone?: string,
): string {
  const local = timeZone ? localTime(timeZone) : null;
  switch (table) {
    case 'students': {
      const at = [STUDENT_COLUMNS.indexOf('joined_at')];
      const rows = students(report).map((r, i) => addLocal(r, at, [report.students[i]!.joinedAt], local));
      return toCsv([withLocal(STUDENT_COLUMNS, ['joined_at'], !!local), ...rows]);
    }
    case 'alerts': {
      const at = [ALERT_COLUMNS.indexOf('started_at'), ALERT_COLUMNS.indexOf('ended_at')];
      const rows = alerts(report).map((r) =>
        addLocal(r, at, [parseIso(r[at[0]!]), parseIso(r[at[1]!])], local),
      );
      return toCsv([withLocal(ALERT_COLUMNS, ['started_at', 'ended_at'], !!local), ...rows]);
    }
    case 'timeline': {
      const rows = timeline(report).map((r, i) => addLocal(r, [0], [report.class.timeline[i]!.t], local));
      return toCsv([withLocal(TIMELINE_COLUMNS, ['t'], !!local), ...rows]);
    }
  }
}

function parseIso(cell: CsvCell | undefined): number | null {
  return typeof cell === 'string' ? Date.parse(cell) : null;
}
