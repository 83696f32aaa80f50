/** `/teacher/sessions/:id`: the live dashboard. One store, one socket, zero refresh. */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { SessionInfo } from '@smartsession/protocol';
import { DashboardStore, onTick } from './store.js';
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

function ConnectionBanner({ store }: { store: DashboardStore }) {
  const c = useTopic(store, 'connection', (s) => s.connection);
  if (c.kind === 'live') return null;
  if (c.kind === 'refused')
    return (
      <div className="banner error" data-testid="connection-refused">
        The server refused the live connection: {c.error.message}
      </div>
    );
  return (
    <div className="banner warn" data-testid={c.kind === 'connecting' ? 'connecting' : 'reconnecting'}>
      {c.kind === 'connecting'
        ? 'Connecting…'
        : 'Connection lost: reconnecting… (the page updates by itself)'}
    </div>
  );
}

function Live({ store, info }: { store: DashboardStore; info: SessionInfo }) {
  const settings = useTopic(store, 'settings', (s) => s.settings) ?? info.settings;
  const endedAt = useTopic(store, 'settings', (s) => s.endedAt);
  const [selected, setSelected] = useState<string | null>(null);
  const open = useCallback((id: string) => setSelected(id), []);
  const anonymous = settings.anonymous;
  return (
    <div className={`dashboard mode-${settings.mode}`} data-testid="dashboard" data-mode={settings.mode}>
      <header className="dash-header">
        <div>
          <a
            href="/teacher"
            onClick={(e) => (e.preventDefault(), navigate('/teacher'))}
            className="small-text"
          >
            ← Sessions
          </a>
          <h1>{info.title}</h1>
          <SettingsBar sessionId={info.id} settings={settings} />
          <a
            className="small-text"
            href={`/teacher/sessions/${info.id}/report`}
            onClick={(e) => (e.preventDefault(), navigate(`/teacher/sessions/${info.id}/report`))}
          >
            Session report
          </a>{' '}
          <EndSessionButton sessionId={info.id} ended={endedAt !== null} />
        </div>
        <JoinPanel info={info} />
      </header>
      <ConnectionBanner store={store} />
      {endedAt !== null && <div className="banner">This session has ended.</div>}
      <div className="dash-body">
        <main>
          <section className="panel" aria-label="Class timeline">
            <h2>Class</h2>
            <ClassSummary store={store} />
            <ClassTimeline store={store} />
            <MarkerForm sessionId={info.id} />
          </section>
          {anonymous ? (
            <p className="panel muted" data-testid="anonymous-note">
              Anonymous mode: only the class aggregate is shown.
            </p>
          ) : (
            <Grid store={store} settings={settings} selected={selected} onOpen={open} />
          )}
        </main>
        <div className="side">
          {selected && !anonymous && (
            <StudentDetail
              store={store}
              sessionId={info.id}
              id={selected}
              emotion={settings.emotion}
              defaultLookAway={settings.lookAwaySeconds}
              onClose={() => setSelected(null)}
            />
          )}
          <AlertsFeed store={store} sessionId={info.id} settings={settings} onOpen={open} />
        </div>
      </div>
    </div>
  );
}

/** The dashboard page for one session. */
export function Dashboard({ sessionId }: { sessionId: string }) {
  const store = useMemo(() => new DashboardStore(onTick), [sessionId]); // eslint-disable-line react-hooks/exhaustive-deps
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
  // Exposed for tests and the benchmark (read-only use).
  useEffect(() => {
    (window as unknown as { __dashboard?: DashboardStore }).__dashboard = store;
  }, [store]);
  if (error)
    return (
      <main className="page">
        <p className="error">{error}</p>
      </main>
    );
  if (!info) return <main className="page muted">Loading…</main>;
  return <Live store={store} info={info} />;
}
