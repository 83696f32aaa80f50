/**
 * `/teacher/sessions/:id/report`: what happened in a session. Per student the time focused, confused,
 * in alert (and away), in other grey states and offline, alerts and "I'm lost" presses; for the class the
 * confusion timeline with markers and peaks. JSON and CSV downloads; prints cleanly (report.css).
 */
import { useEffect, useState } from 'react';
import { SessionReport } from '@smartsession/protocol';
import { api, onLoadError } from '../shared/api.js';
import { navigate } from '../router.js';
import { ReportAlerts, ReportPeaks } from './ReportLists.js';
import { ReportTimeline } from './ReportTimeline.js';
import { downloadLinks, formatSeconds, formatShare, studentSummary } from './format.js';
import './report.css';

function StudentTable({ report }: { report: SessionReport }) {
  return (
    <table className="report-table">
      <thead>
        <tr>
          <th>Student</th>
          <th>Focused</th>
          <th>Confused</th>
          <th>Alert (away)</th>
          <th>Other</th>
          <th>Offline</th>
          <th>Alerts</th>
          <th>I&apos;m lost</th>
          <th>Mean score</th>
        </tr>
      </thead>
      <tbody>
        {report.students.map((s) => {
          const x = studentSummary(s);
          const cell = (v: number) => (
            <td>
              {formatSeconds(v)} <span className="muted">{formatShare(v, x.observed)}</span>
            </td>
          );
          return (
            <tr key={s.participantId} data-testid="report-student-row" data-name={s.name}>
              <th scope="row">{s.name}</th>
              {cell(x.focused)}
              {cell(x.confused)}
              <td>
                {formatSeconds(x.alert)} <span className="muted">({formatSeconds(x.away)})</span>
              </td>
              {cell(x.other)}
              {cell(x.offline)}
              <td>{s.alertCount}</td>
              <td>{s.selfReportCount}</td>
              <td>{s.meanScore === null ? '–' : s.meanScore.toFixed(2)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** The report page for one session. */
export function ReportPage({ sessionId }: { sessionId: string }) {
  const [report, setReport] = useState<SessionReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const ctl = new AbortController();
    api(`/api/sessions/${encodeURIComponent(sessionId)}/report`, {
      signal: ctl.signal,
      schema: SessionReport,
    })
      .then(setReport)
      .catch(onLoadError(ctl.signal, setError));
    return () => ctl.abort();
  }, [sessionId]);
  const dashboard = `/teacher/sessions/${encodeURIComponent(sessionId)}`;
  return (
    <main className="page report-page">
      <nav className="no-print">
        <a href={dashboard} onClick={(e) => (e.preventDefault(), navigate(dashboard))}>
          ← Live dashboard
        </a>
      </nav>
      <h1>Session report{report ? `: ${report.title}` : ''}</h1>
      {error && <p className="error">{error}</p>}
      {!report && !error && <p className="muted">Loading…</p>}
      {report && (
        <>
          <p className="report-meta">
            {new Date(report.startedAt).toLocaleString()} · {formatSeconds(report.durationSeconds)} ·{' '}
            {report.mode === 'exam' ? 'Exam' : 'Support'} mode · {report.students.length} students
            {report.endedAt === null && ' · still running (figures up to now)'}
          </p>
          <p className="report-downloads no-print">
            Download:{' '}
            {downloadLinks(sessionId).map((l) => (
              <a key={l.href} href={l.href} download={l.file} className="badge soft">
                {l.label}
              </a>
            ))}{' '}
            <button type="button" onClick={() => window.print()}>
              Print
            </button>
          </p>
          <section className="report-section">
            <h2>Class confusion over time</h2>
            <ReportTimeline report={report} />
            <ReportPeaks report={report} />
          </section>
          <section className="report-section">
            <h2>Students</h2>
            {report.students.length === 0 ? (
              <p className="muted">Nobody joined.</p>
            ) : (
              <StudentTable report={report} />
            )}
          </section>
          <section className="report-section">
            <h2>Alerts and &ldquo;I&apos;m lost&rdquo;</h2>
            <ReportAlerts report={report} />
          </section>
        </>
      )}
    </main>
  );
}
