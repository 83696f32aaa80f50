/**
 * `/teacher/sessions/:id/report`: what happened in a session. Per student the time focused, confused,
 * needing a look (of which away), in other grey states and offline, each with its share of the student's
 * time, alerts and "I'm lost" presses; for the class the confusion timeline with markers and peaks. JSON
 * and CSV downloads (CSV with local times too); prints cleanly (report.css).
 */
import { useEffect, useState } from 'react';
import { SessionReport } from '@smartsession/protocol';
import { api, onLoadError } from '../shared/api.js';
import { navigate } from '../router.js';
import { ReportAlerts, ReportPeaks } from './ReportLists.js';
import { ReportTimeline } from './ReportTimeline.js';
import { downloadLinks, formatSeconds, formatShare, studentSummary } from './format.js';
import { formatDateTime, formatNumber, useI18n } from '../i18n/i18n.js';
import { statusWord } from '../shared/status.js';
import { TopBar } from '../ui/TopBar.js';
import { Banner } from '../ui/Banner.js';
import './report.css';

function StudentTable({ report }: { report: SessionReport }) {
  const { t } = useI18n();
  const word = (s: 'focused' | 'confused' | 'alert') => statusWord(t, s, report.mode);
  return (
    <>
      <p className="muted small-text" id="report-students-help">
        {t('report.tableCaption')}
      </p>
      <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="report-students-title">
        <table className="report-table" aria-describedby="report-students-help">
          <thead>
            <tr>
              <th scope="col">{t('report.student')}</th>
              <th scope="col">{word('focused')}</th>
              <th scope="col">{word('confused')}</th>
              <th scope="col">{word('alert')}</th>
              <th scope="col">{t('report.away')}</th>
              <th scope="col">{t('report.other')}</th>
              <th scope="col">{t('status.offline')}</th>
              <th scope="col">
                {t(report.mode === 'exam' ? 'report.alertCount.exam' : 'report.alertCount.support')}
              </th>
              <th scope="col">{t('report.lostCount')}</th>
              <th scope="col">{t('report.meanScore')}</th>
            </tr>
          </thead>
          <tbody>
            {report.students.map((s) => {
              const x = studentSummary(s);
              const cell = (v: number) => (
                <td>
                  {formatSeconds(v)} <span className="muted">({formatShare(v, x.observed)})</span>
                </td>
              );
              return (
                <tr key={s.participantId} data-testid="report-student-row" data-name={s.name}>
                  <th scope="row">{s.name}</th>
                  {cell(x.focused)}
                  {cell(x.confused)}
                  {cell(x.alert)}
                  {cell(x.away)}
                  {cell(x.other)}
                  {cell(x.offline)}
                  <td>{s.alertCount}</td>
                  <td>{s.selfReportCount}</td>
                  <td>{s.meanScore === null ? '–' : formatNumber(s.meanScore)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </>
  );
}

/** The report page for one session. */
export function ReportPage({ sessionId }: { sessionId: string }) {
  const { t } = useI18n();
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
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return (
    <>
      <TopBar home="/teacher">
        <a
          className="no-print"
          href={dashboard}
          onClick={(e) => {
            e.preventDefault();
            navigate(dashboard);
          }}
        >
          {t('report.backToDashboard')}
        </a>
      </TopBar>
      <main className="page report-page">
        <h1>{report ? t('report.titleOf', { title: report.title }) : t('report.title')}</h1>
        {error && <Banner kind="error">{error}</Banner>}
        {!report && !error && <p className="muted">{t('common.loading')}</p>}
        {report && (
          <>
            <p className="report-meta">
              {t('report.meta', {
                when: formatDateTime(report.startedAt),
                duration: formatSeconds(report.durationSeconds),
                mode: report.mode,
                students: report.students.length,
                running: report.endedAt === null ? 'yes' : 'no',
              })}
            </p>
            <p className="report-downloads no-print">
              {t('report.download')}{' '}
              {downloadLinks(sessionId, zone).map((l) => (
                <a key={l.href} href={l.href} download={l.file} className="btn btn-small">
                  {t(`report.file.${l.table}`)}
                </a>
              ))}{' '}
              <button type="button" className="btn btn-small" onClick={() => window.print()}>
                {t('report.print')}
              </button>
            </p>
            <section className="report-section" aria-labelledby="report-chart-title">
              <h2 id="report-chart-title">{t('report.chartTitle')}</h2>
              <ReportTimeline report={report} />
              <ReportPeaks report={report} />
            </section>
            <section className="report-section" aria-labelledby="report-students-title">
              <h2 id="report-students-title">{t('report.students')}</h2>
              {report.students.length === 0 ? (
                <p className="muted">{t('report.nobody')}</p>
              ) : (
                <StudentTable report={report} />
              )}
            </section>
            <section className="report-section" aria-labelledby="report-alerts-title">
              <h2 id="report-alerts-title">
                {t(report.mode === 'exam' ? 'report.alertsTitle.exam' : 'report.alertsTitle.support')}
              </h2>
              <ReportAlerts report={report} />
            </section>
          </>
        )}
      </main>
    </>
  );
}
