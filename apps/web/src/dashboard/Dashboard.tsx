/** `/teacher/sessions/:id`: the live dashboard. One store, one socket, zero refresh. */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { SessionInfo } from '@smartsession/protocol';
import { DashboardStore } from './store.js';
import { onEverySecond, useTopic } from './hooks.js';
import { connectTeacher } from '../shared/socket.js';
import { api, onLoadError } from '../shared/api.js';
import { navigate } from '../router.js';
import { Grid } from './Grid.js';
import { ClassTimeline } from './ClassTimeline.js';
import { AlertsFeed } from './AlertsFeed.js';
import { StudentDetail } from './StudentDetail.js';
import { loadClassHistory } from './history.js';
import { ClassSummary, EndSessionButton, JoinPanel, MarkerForm, SettingsBar } from './Controls.js';
import { useI18n } from '../i18n/i18n.js';
import { TopBar } from '../ui/TopBar.js';
import { Banner } from '../ui/Banner.js';

function ConnectionBanner({ store }: { store: DashboardStore }) {
  const { t } = useI18n();
  const c = useTopic(store, 'connection', (s) => s.connection);
  const service = useTopic(store, 'connection', (s) => s.service);
  if (c.kind === 'live') {
    if (service.storage === 'down')
      return (
        <Banner kind="warn" testId="storage-down">
          {t('dashboard.storageDown')}
        </Banner>
      );
    if (service.cluster === 'down')
      return (
        <Banner kind="warn" testId="cluster-down">
          {t('dashboard.clusterDown')}
        </Banner>
      );
    return null;
  }
  if (c.kind === 'refused')
    return (
      <Banner kind="error" testId="connection-refused">
        {t('dashboard.refused', { message: c.error.message })}
      </Banner>
    );
  return (
    <Banner kind="warn" testId={c.kind === 'connecting' ? 'connecting' : 'reconnecting'}>
      {c.kind === 'connecting' ? t('dashboard.connecting') : t('dashboard.reconnecting')}
    </Banner>
  );
}

function Live({ store, info }: { store: DashboardStore; info: SessionInfo }) {
  const { t } = useI18n();
  const settings = useTopic(store, 'settings', (s) => s.settings) ?? info.settings;
  const endedAt = useTopic(store, 'settings', (s) => s.endedAt);
  const [selected, setSelected] = useState<string | null>(null);
  const opener = useRef<HTMLElement | null>(null);
  const open = useCallback((id: string, el?: HTMLElement) => {
    opener.current = el ?? null;
    setSelected(id);
  }, []);
  const close = useCallback(() => {
    setSelected(null);
    // Back to the tile that opened the detail (keyboard users keep their place).
    const el = opener.current;
    if (el?.isConnected) el.focus();
  }, []);
  const anonymous = settings.anonymous;
  const report = `/teacher/sessions/${encodeURIComponent(info.id)}/report`;
  return (
    <>
      <TopBar home="/teacher">
        <a
          href="/teacher"
          onClick={(e) => {
            e.preventDefault();
            navigate('/teacher');
          }}
        >
          {t('dashboard.sessions')}
        </a>
        <a
          href={report}
          onClick={(e) => {
            e.preventDefault();
            navigate(report);
          }}
        >
          {t('dashboard.report')}
        </a>
      </TopBar>
      <main className={`dashboard mode-${settings.mode}`} data-testid="dashboard" data-mode={settings.mode}>
        <div className="dash-header">
          <div className="dash-title">
            <h1>{info.title}</h1>
            <p className="muted small-text">
              {t(settings.mode === 'exam' ? 'dashboard.modeExam' : 'dashboard.modeSupport')}
            </p>
            <SettingsBar sessionId={info.id} settings={settings} />
            <EndSessionButton sessionId={info.id} ended={endedAt !== null} />
          </div>
          <JoinPanel info={info} />
        </div>
        <ConnectionBanner store={store} />
        {endedAt !== null && <Banner testId="session-ended">{t('dashboard.ended')}</Banner>}
        <div className="dash-body">
          <div className="dash-main">
            <section className="panel" aria-labelledby="class-title">
              <h2 id="class-title">{t('dashboard.class')}</h2>
              <ClassSummary store={store} mode={settings.mode} />
              <ClassTimeline store={store} mode={settings.mode} />
              <MarkerForm sessionId={info.id} />
            </section>
            {anonymous ? (
              <p className="panel muted" data-testid="anonymous-note">
                {t('dashboard.anonymous')}
              </p>
            ) : (
              <Grid store={store} settings={settings} selected={selected} onOpen={open} />
            )}
          </div>
          <div className="side">
            {selected && !anonymous && (
              <StudentDetail
                store={store}
                sessionId={info.id}
                id={selected}
                emotion={settings.emotion}
                mode={settings.mode}
                defaultLookAway={settings.lookAwaySeconds}
                onClose={close}
              />
            )}
            <AlertsFeed store={store} sessionId={info.id} settings={settings} onOpen={open} />
          </div>
        </div>
      </main>
    </>
  );
}

/** The dashboard page for one session. */
export function Dashboard({ sessionId }: { sessionId: string }) {
  const { t } = useI18n();
  const store = useMemo(() => new DashboardStore(), [sessionId]); // eslint-disable-line react-hooks/exhaustive-deps
  const [info, setInfo] = useState<SessionInfo | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const ctl = new AbortController();
    api(`/api/sessions/${encodeURIComponent(sessionId)}`, { schema: SessionInfo, signal: ctl.signal })
      .then(setInfo)
      .catch(onLoadError(ctl.signal, setError));
    return () => ctl.abort();
  }, [sessionId]);
  useEffect(() => {
    if (!info) return;
    const conn = connectTeacher(sessionId, {
      onMessage: (m) => store.receive(m),
      onState: (s) => store.setConnection(s),
    });
    const offSecond = onEverySecond(() => store.tick());
    const ctl = new AbortController();
    loadClassHistory(sessionId, Date.now(), ctl.signal)
      .then((points) => store.setClassHistory(points))
      .catch(() => undefined); // the live timeline still fills; history is a bonus
    return () => {
      ctl.abort();
      offSecond();
      conn.close();
    };
  }, [info, sessionId, store]);
  // The benchmark reads the store (read-only) when it asks for it: its init script sets
  // `window.__dashboard = null` before the page loads. A normal page never exposes its store.
  useEffect(() => {
    const w = window as unknown as { __dashboard?: DashboardStore | null };
    if (w.__dashboard !== undefined) w.__dashboard = store;
  }, [store]);
  if (error)
    return (
      <>
        <TopBar />
        <main className="page">
          <Banner kind="error">{error}</Banner>
        </main>
      </>
    );
  if (!info)
    return (
      <>
        <TopBar />
        <main className="page muted">{t('common.loading')}</main>
      </>
    );
  return <Live store={store} info={info} />;
}
