/** Pure report computation and CSV, from the scripted session (no database). */
import { describe, expect, it } from 'vitest';
import { SessionReport, type StudentReport } from '@smartsession/protocol';
import { buildReport } from '../src/reports/build.js';
import { toCsv } from '../src/reports/csv.js';
import { parseCsv } from './support/csv.js';
import { aggregateSamples, bucketMsFor, type ReportInput } from '../src/reports/input.js';
import { statusSegments } from '../src/reports/intervals.js';
import { ALERT_COLUMNS, reportCsv, STUDENT_COLUMNS, TIMELINE_COLUMNS } from '../src/reports/report-csv.js';
import { END, expected, S, scriptedRows } from './report-fixture.js';

function input(over: Partial<ReportInput> = {}): ReportInput {
  const rows = scriptedRows();
  const bucketMs = bucketMsFor(END - S);
  return {
    ...rows,
    now: END + 3_600_000,
    bucketMs,
    sampleSums: aggregateSamples(rows.samples, S, END, bucketMs),
    ...over,
  };
}

function checkStudent(s: StudentReport, e: (typeof expected)['alice']) {
  expect(s.observedSeconds).toBe(e.observedSeconds);
  expect(s.seconds).toEqual(e.seconds);
  expect(Object.values(s.seconds).reduce((a, b) => a + b, 0)).toBeCloseTo(e.observedSeconds, 9);
  expect(s.awaySeconds).toBe(e.awaySeconds);
  expect(s.meanScore).toBe(e.meanScore);
  expect(s.sampleCount).toBe(e.sampleCount);
  expect(s.alertCount).toBe(e.alerts.length);
  expect(s.alerts.map((a) => ({ code: a.code, durationSeconds: a.durationSeconds }))).toEqual(e.alerts);
  expect(s.selfReportCount).toBe(e.selfReports.length);
  expect(s.selfReports.map((a) => a.durationSeconds)).toEqual(e.selfReports);
}

describe('buildReport (scripted session)', () => {
  const report = buildReport(input());

  it('is a valid SessionReport', () => {
    expect(SessionReport.parse(report)).toEqual(report);
    expect(report.durationSeconds).toBe(600);
    expect(report.class.bucketSeconds).toBe(10);
    expect(report.class.timeline).toHaveLength(60);
  });

  it('integrates status changes per student, clipped to joining and the session end', () => {
    const [alice, bob] = report.students;
    checkStudent(alice!, expected.alice);
    checkStudent(bob!, expected.bob);
  });

  it('keeps disconnected time offline when a replayed change is stamped before the reconnect', () => {
    const segs = statusSegments(
      scriptedRows().statusChanges.filter((c) => c.participantId === 'p-alice'),
      S,
      END,
    );
    expect(segs.find((x) => x.from === S + 300_000)).toEqual({
      status: 'offline',
      alert: null,
      from: S + 300_000,
      to: S + 330_000,
    });
    expect(segs.find((x) => x.from === S + 330_000)?.status).toBe('focused');
  });

  it('computes time-weighted class shares and mean scores per bucket', () => {
    const at = (dt: number) => report.class.timeline.find((b) => b.t === S + dt)!;
    expect(at(0).shares).toMatchObject({ offline: 0.1, 'no-signal': 0.1, calibrating: 0.8 });
    expect(at(100_000)).toMatchObject({ meanScore: 0.625, samples: 2 });
    expect(at(100_000).shares.confused).toBe(1);
    expect(at(120_000).shares).toMatchObject({
      confused: 0.5,
      offline: 0.05,
      calibrating: 0.2,
      focused: 0.25,
    });
    expect(at(200_000).shares).toMatchObject({ alert: 0.5, confused: 0.5 });
    expect(at(590_000)).toMatchObject({ meanScore: 1, samples: 1 });
    expect(at(300_000).meanScore).toBeNull();
  });

  it('finds the confusion peaks and the marker before each', () => {
    expect(report.class.markers.map((m) => m.label)).toEqual(['fractions', 'decimals']);
    expect(report.class.peaks).toEqual([
      {
        startedAt: S + 100_000,
        endedAt: S + 250_000,
        t: S + 100_000,
        confusedShare: 1,
        meanScore: 0.625,
        afterMarker: 'fractions',
      },
      {
        startedAt: S + 500_000,
        endedAt: S + 520_000,
        t: S + 500_000,
        confusedShare: 0.5,
        meanScore: null,
        afterMarker: 'decimals',
      },
    ]);
  });

  it('uses the report time as the end of a running session and counts open alerts up to it', () => {
    const rows = scriptedRows();
    const r = buildReport(input({ session: { ...rows.session, endedAt: null }, now: S + 300_000 }));
    expect(r.durationSeconds).toBe(300);
    expect(r.endedAt).toBeNull();
    const bob = r.students[1]!;
    expect(bob.observedSeconds).toBe(180);
    expect(bob.selfReports[0]).toMatchObject({ endedAt: null, durationSeconds: 160 });
    expect(Object.values(r.students[0]!.seconds).reduce((a, b) => a + b, 0)).toBe(300);
  });

  it('shows pseudonyms in anonymous sessions', () => {
    const rows = scriptedRows();
    const r = buildReport(input({ session: { ...rows.session, anonymous: true } }));
    expect(r.students.map((s) => s.name)).toEqual(['Student 1', 'Student 2']);
  });

  it('picks wider buckets for long sessions', () => {
    expect(bucketMsFor(3_600_000)).toBe(10_000);
    expect(bucketMsFor(3_600_001)).toBe(30_000);
    expect(bucketMsFor(8 * 3_600_000)).toBe(120_000);
  });
});

describe('report CSV', () => {
  const report = buildReport(input());
  const unguard = (s: string) => (s.startsWith("'") ? s.slice(1) : s);
  const num = (s: string) => (s === '' ? null : Number(s));

  it('quotes per RFC 4180 and parses back', () => {
    const rows = [['a', 'b,c', 'say "hi"', 'two\r\nlines', '', 'x']];
    const text = toCsv(rows);
    expect(text).toBe('a,"b,c","say ""hi""","two\r\nlines",,x\r\n');
    expect(parseCsv(text)).toEqual(rows);
    expect(() => parseCsv('"open')).toThrow(/unterminated/);
  });

  it('students table matches the JSON', () => {
    const [head, ...rows] = parseCsv(reportCsv(report, 'students'));
    expect(head).toEqual(STUDENT_COLUMNS);
    expect(rows).toHaveLength(2);
    rows.forEach((row, i) => {
      const s = report.students[i]!;
      const o = Object.fromEntries(head!.map((h, k) => [h, row[k]!]));
      expect(o.participant_id).toBe(s.participantId);
      expect(unguard(o.name!)).toBe(s.name);
      expect(Date.parse(o.joined_at!)).toBe(s.joinedAt);
      expect(num(o.observed_s!)).toBe(s.observedSeconds);
      for (const [st, v] of Object.entries(s.seconds)) expect(num(o[`${st.replace('-', '_')}_s`]!)).toBe(v);
      expect(num(o.away_s!)).toBe(s.awaySeconds);
      expect(num(o.mean_score!)).toBe(s.meanScore);
      expect(num(o.alert_count!)).toBe(s.alertCount);
      expect(num(o.self_report_count!)).toBe(s.selfReportCount);
    });
    // The formula guard: a student-chosen name starting with "=" never reaches a spreadsheet as a formula.
    expect(rows[1]![2]).toBe('\'=HYPERLINK("x")\nBob');
  });

  it('alerts table lists every alert and self-report with times and durations', () => {
    const [head, ...rows] = parseCsv(reportCsv(report, 'alerts'));
    expect(head).toEqual(ALERT_COLUMNS);
    const all = report.students.flatMap((s) => [
      ...s.alerts.map((a) => ({
        ...a,
        pid: s.participantId,
        kind: 'proctor',
        code: a.code as string | null,
      })),
      ...s.selfReports.map((a) => ({ ...a, pid: s.participantId, kind: 'self_report', code: null })),
    ]);
    expect(rows).toHaveLength(all.length);
    for (const row of rows) {
      const a = all.find((x) => x.id === row[7])!;
      expect(row[0]).toBe(a.pid);
      expect(row[2]).toBe(a.kind);
      expect(row[3]).toBe(a.code ?? '');
      expect(Date.parse(row[4]!)).toBe(a.startedAt);
      expect(row[5] === '' ? null : Date.parse(row[5]!)).toBe(a.endedAt);
      expect(Number(row[6])).toBe(a.durationSeconds);
    }
    expect(rows.map((r) => Date.parse(r[4]!))).toEqual(
      [...rows.map((r) => Date.parse(r[4]!))].sort((a, b) => a - b),
    );
  });

  it('timeline table matches the JSON buckets, peaks and markers', () => {
    const [head, ...rows] = parseCsv(reportCsv(report, 'timeline'));
    expect(head).toEqual(TIMELINE_COLUMNS);
    expect(rows).toHaveLength(report.class.timeline.length);
    rows.forEach((row, i) => {
      const b = report.class.timeline[i]!;
      expect(Date.parse(row[0]!)).toBe(b.t);
      expect(num(row[2]!)).toBe(b.meanScore);
      expect(num(row[3]!)).toBe(b.samples);
      expect(row.slice(4, 12).map(Number)).toEqual(Object.values(b.shares));
    });
    expect(rows.filter((r) => r[12] === '1').map((r) => Date.parse(r[0]!))).toEqual(
      report.class.peaks.map((p) => p.t),
    );
    expect(rows.filter((r) => r[13] !== '').map((r) => r[13])).toEqual(['fractions', 'decimals']);
  });

  it('[issue 11] with a time zone, every time column has its local wall-clock twin', () => {
    const tz = 'America/New_York';
    const local = (ms: number) =>
      new Intl.DateTimeFormat('sv-SE', {
        timeZone: tz,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
        hourCycle: 'h23',
      }).format(ms);
    const [sHead, ...sRows] = parseCsv(reportCsv(report, 'students', tz));
    const j = sHead!.indexOf('joined_at_local');
    expect(j).toBe(sHead!.indexOf('joined_at') + 1);
    expect(sRows[0]![j]).toBe(local(report.students[0]!.joinedAt));
    const [aHead, ...aRows] = parseCsv(reportCsv(report, 'alerts', tz));
    expect(aHead).toContain('started_at_local');
    const k = aHead!.indexOf('started_at');
    for (const r of aRows) expect(r[k + 1]).toBe(local(Date.parse(r[k]!)));
    const [tHead, ...tRows] = parseCsv(reportCsv(report, 'timeline', tz));
    expect(tHead!.slice(0, 2)).toEqual(['t', 't_local']);
    expect(tRows[0]![1]).toBe(local(report.class.timeline[0]!.t));
  });
});
