/** The report's lists: confusion peaks with markers, and every alert / self-report by time. */
import type { SessionReport } from '@smartsession/protocol';
import { alertWord } from '../shared/reason.js';
import { formatPercent, useI18n } from '../i18n/i18n.js';
import { formatOffset, formatSeconds } from './format.js';
import { FEED_GRACE_MS } from '../dashboard/feed.js';

/** Confusion peaks and teacher markers (`data-testid="report-peak"` / `"report-marker"`). */
export function ReportPeaks({ report }: { report: SessionReport }) {
  const { t } = useI18n();
  const start = report.startedAt;
  return (
    <div className="report-lists">
      <div>
        <h3>{t('report.peaks')}</h3>
        {report.class.peaks.length === 0 ? (
          <p className="muted">{t('report.noPeaks')}</p>
        ) : (
          <ul>
            {report.class.peaks.map((p) => (
              <li key={p.t} data-testid="report-peak">
                <strong>{formatOffset(p.t, start)}</strong>{' '}
                {t('report.peak', {
                  share: formatPercent(p.confusedShare),
                  duration: formatSeconds((p.endedAt - p.startedAt) / 1000),
                })}
                {p.afterMarker && (
                  <span className="muted"> · {t('report.afterMarker', { label: p.afterMarker })}</span>
                )}
              </li>
            ))}
          </ul>
        )}
      </div>
      <div>
        <h3>{t('report.markers')}</h3>
        {report.class.markers.length === 0 ? (
          <p className="muted">{t('report.noMarkers')}</p>
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
  const { t } = useI18n();
  // Alerts shorter than the feed's grace period are blips (a glance away): counted, not listed.
  const blips = report.students.reduce(
    (n, s) => n + s.alerts.filter((a) => a.durationSeconds * 1000 < FEED_GRACE_MS).length,
    0,
  );
  const rows = report.students
    .flatMap((s) => [
      ...s.alerts
        .filter((a) => a.durationSeconds * 1000 >= FEED_GRACE_MS)
        .map((a) => ({ ...a, name: s.name, what: alertWord(t, a.code) })),
      ...s.selfReports.map((a) => ({ ...a, name: s.name, what: t('feed.lost') })),
    ])
    .sort((a, b) => a.startedAt - b.startedAt);
  const note = blips > 0 && <p className="muted small-text">{t('report.blips', { count: blips })}</p>;
  if (rows.length === 0)
    return (
      <>
        <p className="muted">{t('report.none')}</p>
        {note}
      </>
    );
  return (
    <>
      {note}
      <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="report-alerts-title">
        <table className="report-table compact">
          <thead>
            <tr>
              <th scope="col">{t('report.when')}</th>
              <th scope="col">{t('report.student')}</th>
              <th scope="col">{t('report.what')}</th>
              <th scope="col">{t('report.duration')}</th>
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
                  {a.endedAt === null && <span className="muted"> {t('report.stillOpen')}</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
