/**
 * Alerts feed: proctor alerts and "I'm lost" presses with start time and duration, acknowledge, auto-resolve
 * (the server ends them). Gentle in support mode; prominent in exam mode.
 */
import { memo, useMemo, useState } from 'react';
import type { AlertRecord, SessionSettings } from '@smartsession/protocol';
import type { DashboardStore } from './store.js';
import { useElapsedRef, useTopic } from './hooks.js';
import { alertTitle } from '../shared/alerts.js';
import { formatClock, formatDuration } from '../shared/time.js';
import { api, errorMessage } from '../shared/api.js';
import { AlertRecord as AlertRecordSchema } from '@smartsession/protocol';

interface FeedProps {
  store: DashboardStore;
  sessionId: string;
  settings: SessionSettings;
  onOpen(id: string): void;
}

function Ongoing({ since, now }: { since: number; now: () => number }) {
  const ref = useElapsedRef<HTMLSpanElement>(since, now);
  return <span ref={ref} />;
}

const AlertItem = memo(function AlertItem({
  alert,
  name,
  sessionId,
  store,
  exam,
  onOpen,
}: {
  alert: AlertRecord;
  name: string;
  sessionId: string;
  store: DashboardStore;
  exam: boolean;
  onOpen?: (participantId: string) => void;
}) {
  const [error, setError] = useState<string | null>(null);
  const open = alert.endedAt === null;
  const acked = alert.acknowledgedAt !== null;
  const ack = async () => {
    setError(null);
    try {
      const res = await api(
        `/api/sessions/${encodeURIComponent(sessionId)}/alerts/${encodeURIComponent(alert.id)}/ack`,
        {
          method: 'POST',
          body: {},
        },
      );
      const parsed = AlertRecordSchema.safeParse((res as { alert?: unknown } | undefined)?.alert ?? res);
      store.upsertAlert(parsed.success ? parsed.data : { ...alert, acknowledgedAt: store.now() });
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  const prominent = exam && alert.kind === 'proctor' && open && !acked;
  return (
    <li
      className={`alert-item ${alert.kind}${open ? ' open' : ' ended'}${acked ? ' acked' : ''}${prominent ? ' prominent' : ''}`}
      data-testid="alert-item"
      data-alert-id={alert.id}
      data-kind={alert.kind}
      data-code={alert.code ?? undefined}
      data-state={open ? 'open' : 'ended'}
      data-acknowledged={acked ? 'true' : 'false'}
    >
      <div className="alert-line">
        {onOpen ? (
          <button type="button" className="link" onClick={() => onOpen(alert.participantId)}>
            {name}
          </button>
        ) : (
          <strong>{name}</strong>
        )}{' '}
        · {alertTitle(alert.kind, alert.code)}
      </div>
      <div className="alert-times muted">
        <span data-testid="alert-start">started {formatClock(alert.startedAt)}</span>
        {' · '}
        {open ? (
          <span data-testid="alert-ongoing">
            ongoing <Ongoing since={alert.startedAt} now={store.now} />
          </span>
        ) : (
          <span data-testid="alert-end">
            ended {formatClock(alert.endedAt!)} after {formatDuration(alert.endedAt! - alert.startedAt)}
          </span>
        )}
      </div>
      {!acked ? (
        <button type="button" className="small" onClick={ack} data-testid="alert-ack">
          {open ? 'Acknowledge' : 'Dismiss'}
        </button>
      ) : (
        <span className="muted small-text">acknowledged</span>
      )}
      {error && <div className="error">{error}</div>}
    </li>
  );
});

/** Most entries the feed shows; open ones come first. */
export const FEED_LIMIT = 40;

/**
 * The entries the feed shows: open ones (newest first), then ended ones not yet dismissed (newest first),
 * or every ended one with `showDone`; at most `limit`. Pure.
 */
export function feedEntries(
  alerts: readonly AlertRecord[],
  showDone: boolean,
  limit = FEED_LIMIT,
): AlertRecord[] {
  const open: AlertRecord[] = [];
  const ended: AlertRecord[] = [];
  for (let i = alerts.length - 1; i >= 0; i--) {
    const a = alerts[i];
    if (a.endedAt === null) open.push(a);
    else if (showDone || a.acknowledgedAt === null) ended.push(a);
  }
  return [...open, ...ended].slice(0, limit);
}

/** The alerts feed panel (`data-testid="alerts-feed"`); acknowledged ended entries hidden unless asked. */
export function AlertsFeed({ store, sessionId, settings, onOpen }: FeedProps) {
  const alerts = useTopic(store, 'alerts', (s) => s.alerts);
  useTopic(store, 'roster', (s) => s.rosterVersion); // names
  const [showDone, setShowDone] = useState(false);
  const exam = settings.mode === 'exam';
  const shown = useMemo(() => feedEntries(alerts, showDone), [alerts, showDone]);
  const openProctor = useMemo(
    () => alerts.filter((a) => a.kind === 'proctor' && a.endedAt === null).length,
    [alerts],
  );
  return (
    <section
      className={`alerts-feed ${exam ? 'exam' : 'support'}`}
      data-testid="alerts-feed"
      aria-label="Alerts"
    >
      <h2>
        {exam ? 'Proctor alerts' : 'Hints'}{' '}
        {openProctor > 0 && (
          <span className={`badge ${exam ? 'red' : 'soft'}`} data-testid="open-alert-count">
            {openProctor} open
          </span>
        )}
      </h2>
      {!exam && <p className="muted small-text">Support mode: alerts are hints, not accusations.</p>}
      <label className="small-text">
        <input type="checkbox" checked={showDone} onChange={(e) => setShowDone(e.target.checked)} /> show
        dismissed
      </label>
      {shown.length === 0 ? (
        <p className="muted">Nothing to look at.</p>
      ) : (
        <ul>
          {shown.map((a) => (
            <AlertItem
              key={a.id}
              alert={a}
              name={
                settings.anonymous ? 'A student' : (store.students.get(a.participantId)?.name ?? 'A student')
              }
              sessionId={sessionId}
              store={store}
              exam={exam}
              onOpen={settings.anonymous ? undefined : onOpen}
            />
          ))}
        </ul>
      )}
    </section>
  );
}
