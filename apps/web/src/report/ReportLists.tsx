/** The report's lists: confusion peaks with markers, and every alert / self-report by time. */
import type { SessionReport } from '@smartsession/protocol';
import { alertTitle } from '../shared/alerts.js';
import { formatOffset, formatSeconds } from './format.js';

/** Confusion peaks and teacher markers (`data-testid="report-peak"` / `"report-marker"`). */
export function ReportPeaks({ report }: { report: SessionReport }) {
  const start = report.startedAt;
  return (
    <div className="report-lists">
      <div>
        <h3>Confusion peaks</h3>
        {report.class.peaks.length === 0 ? (
          <p className="muted">No moment where a quarter of the class was confused.</p>
        ) : (
          <ul>
            {report.class.peaks.map((p) => (
              <li key={p.t} data-testid="report-peak">
                <strong>{formatOffset(p.t, start)}</strong> {Math.round(p.confusedShare * 100)}% confused for{' '}
                {formatSeconds((p.endedAt - p.startedAt) / 1000)}
                {p.afterMarker && <span className="muted"> · after &ldquo;{p.afterMarker}&rdquo;</span>}
              </li>
            ))}
          </ul>
        )}
      </div>
      <div>
        <h3>Markers</h3>
        {report.class.markers.length === 0 ? (
          <p className="muted">No markers.</p>
        ) : (
          <ul>
            {report.class.markers.map((m) => (
              <li key={m.id} data-testid="report-marker">
                <strong>{formatOffset(m.t, start)}</strong> {m.label}
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}

/** Every proctor alert and "I'm lost" press, oldest first. */
export function ReportAlerts({ report }: { report: SessionReport }) {
  const rows = report.students
    .flatMap((s) => [
      ...s.alerts.map((a) => ({ ...a, name: s.name, what: alertTitle('proctor', a.code) })),
      ...s.selfReports.map((a) => ({ ...a, name: s.name, what: alertTitle('self_report', null) })),
    ])
    .sort((a, b) => a.startedAt - b.startedAt);
  if (rows.length === 0) return <p className="muted">None.</p>;
  return (
    <table className="report-table compact">
      <thead>
        <tr>
          <th>When</th>
          <th>Student</th>
          <th>What</th>
          <th>For</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((a) => (
          <tr key={a.id} data-testid="report-alert-row">
            <td>{formatOffset(a.startedAt, report.startedAt)}</td>
            <td>{a.name}</td>
            <td>{a.what}</td>
            <td>
              {formatSeconds(a.durationSeconds)}
              {a.endedAt === null && <span className="muted"> (open)</span>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
