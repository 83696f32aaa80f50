/**
 * The alerts feed: proctor alerts and "I'm lost" presses grouped per student, blips shorter than the grace
 * period never shown, a count of what awaits the teacher (presses included), acknowledge, dismiss one or
 * all ended, and a polite announcement of each new entry for screen readers. In exam mode the teacher may
 * switch on a tone and desktop notifications. Calm words in support mode, exam words in exam mode.
 */
import { memo, useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import {
  AlertRecord as AlertRecordSchema,
  type AlertRecord,
  type SessionSettings,
} from '@smartsession/protocol';
import type { DashboardStore } from './store.js';
import { useElapsedRef } from './hooks.js';
import { alertWord } from '../shared/reason.js';
import { api, errorMessage } from '../shared/api.js';
import { formatClock, formatDuration, useI18n, type Translate } from '../i18n/i18n.js';
import {
  endedUndismissed,
  feedGroups,
  feedKey,
  FEED_GROUPS,
  needsAction,
  pastGrace,
  type FeedGroup,
} from './feed.js';
import { askDesktopPermission, loadSignals, playTone, saveSignals, showDesktop } from './notify.js';

interface FeedProps {
  store: DashboardStore;
  sessionId: string;
  settings: SessionSettings;
  onOpen(id: string): void;
}

/** The feed's groups, recomputed when alerts change or the clock passes a grace period; stable otherwise. */
function useFeed(store: DashboardStore, showDone: boolean): { groups: FeedGroup[]; count: number } {
  const cache = useRef<{ key: string; value: { groups: FeedGroup[]; count: number } } | null>(null);
  const subscribe = useCallback(
    (fn: () => void) => {
      const a = store.subscribe('alerts', fn);
      const b = store.subscribe('class', fn);
      return () => {
        a();
        b();
      };
    },
    [store],
  );
  return useSyncExternalStore(subscribe, () => {
    const now = store.now();
    const groups = feedGroups(store.alerts, now, showDone);
    const count = needsAction(store.alerts, now);
    const key = `${showDone}/${count}/${feedKey(groups)}`;
    if (cache.current?.key !== key) cache.current = { key, value: { groups, count } };
    return cache.current.value;
  });
}

function Ongoing({ since, now }: { since: number; now: () => number }) {
  const ref = useElapsedRef<HTMLSpanElement>(since, now);
  return <span ref={ref} />;
}

/** What an entry is, in words ("Looking away", "Pressed I'm lost"). */
function entryTitle(t: Translate, a: AlertRecord): string {
  return a.kind === 'self_report' ? t('feed.lost') : alertWord(t, a.code);
}

async function acknowledge(sessionId: string, alert: AlertRecord, store: DashboardStore): Promise<void> {
  const res = await api(
    `/api/sessions/${encodeURIComponent(sessionId)}/alerts/${encodeURIComponent(alert.id)}/ack`,
    { method: 'POST', body: {} },
  );
  const parsed = AlertRecordSchema.safeParse((res as { alert?: unknown } | undefined)?.alert ?? res);
  store.upsertAlert(parsed.success ? parsed.data : { ...alert, acknowledgedAt: store.now() });
}

const AlertItem = memo(function AlertItem({
  alert,
  sessionId,
  store,
  exam,
}: {
  alert: AlertRecord;
  sessionId: string;
  store: DashboardStore;
  exam: boolean;
}) {
  const { t } = useI18n();
  const [error, setError] = useState<string | null>(null);
  const open = alert.endedAt === null;
  const acked = alert.acknowledgedAt !== null;
  const ack = () => {
    setError(null);
    acknowledge(sessionId, alert, store).catch((e: unknown) => setError(errorMessage(e)));
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
      <span className="alert-what">{entryTitle(t, alert)}</span>
      <span className="alert-times">
        <span data-testid="alert-start">{t('feed.started', { time: formatClock(alert.startedAt) })}</span>
        {' · '}
        {open ? (
          <span data-testid="alert-ongoing">
            {t('feed.ongoing')} <Ongoing since={alert.startedAt} now={store.now} />
          </span>
        ) : (
          <span data-testid="alert-end">
            {t('feed.ended', {
              time: formatClock(alert.endedAt!),
              duration: formatDuration(alert.endedAt! - alert.startedAt),
            })}
          </span>
        )}
      </span>
      {!acked ? (
        <button type="button" className="btn btn-small" onClick={ack} data-testid="alert-ack">
          {open ? t('feed.acknowledge') : t('feed.dismiss')}
        </button>
      ) : (
        <span className="muted small-text">{t('feed.acknowledged')}</span>
      )}
      {error && <span className="field-error">{error}</span>}
    </li>
  );
});

function Group({
  group,
  name,
  sessionId,
  store,
  exam,
  onOpen,
}: {
  group: FeedGroup;
  name: string;
  sessionId: string;
  store: DashboardStore;
  exam: boolean;
  onOpen?: (id: string) => void;
}) {
  const { t } = useI18n();
  return (
    <li className="feed-group" data-testid="alert-group" data-participant={group.participantId}>
      <h3 className="feed-name">
        {onOpen ? (
          <button type="button" className="btn-link" onClick={() => onOpen(group.participantId)}>
            {name}
          </button>
        ) : (
          name
        )}
      </h3>
      <ul>
        {[...group.open, ...group.ended].map((a) => (
          <AlertItem key={a.id} alert={a} sessionId={sessionId} store={store} exam={exam} />
        ))}
      </ul>
      {group.moreEnded > 0 && (
        <p className="muted small-text">{t('feed.moreEarlier', { count: group.moreEnded })}</p>
      )}
    </li>
  );
}

/** Tells screen readers (and, in exam mode when asked, the ears and the desktop) about new entries. */
function useAnnouncements(
  groups: FeedGroup[],
  nameOf: (id: string) => string,
  exam: boolean,
  signals: { sound: boolean; desktop: boolean },
): string {
  const { t } = useI18n();
  const seen = useRef<Set<string> | null>(null);
  const [text, setText] = useState('');
  useEffect(() => {
    const fresh: AlertRecord[] = [];
    const all = new Set<string>();
    for (const g of groups)
      for (const a of g.open) {
        all.add(a.id);
        if (seen.current && !seen.current.has(a.id)) fresh.push(a);
      }
    // The first render only learns what is already there: nothing is "new" on page load.
    seen.current = new Set([...(seen.current ?? []), ...all]);
    if (fresh.length === 0) return;
    const parts = fresh.map((a) =>
      t('feed.announce', { name: nameOf(a.participantId), what: entryTitle(t, a) }),
    );
    setText(parts.join('. '));
    const proctor = fresh.filter((a) => a.kind === 'proctor');
    if (exam && proctor.length > 0) {
      if (signals.sound) playTone();
      if (signals.desktop)
        for (const a of proctor)
          showDesktop(
            t('feed.title.exam'),
            t('feed.announce', { name: nameOf(a.participantId), what: entryTitle(t, a) }),
            a.id,
          );
    }
  }, [groups, nameOf, exam, signals, t]);
  return text;
}

/** The alerts feed panel (`data-testid="alerts-feed"`). */
export function AlertsFeed({ store, sessionId, settings, onOpen }: FeedProps) {
  const { t } = useI18n();
  const [showDone, setShowDone] = useState(false);
  const [showAll, setShowAll] = useState(false);
  const [signals, setSignals] = useState(loadSignals);
  const [dismissing, setDismissing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const exam = settings.mode === 'exam';
  const { groups, count } = useFeed(store, showDone);
  const nameOf = (id: string) =>
    settings.anonymous ? t('feed.aStudent') : store.label(id) || t('feed.aStudent');
  const nameRef = useRef(nameOf);
  nameRef.current = nameOf;
  const stableName = useRef((id: string) => nameRef.current(id)).current;
  const announcement = useAnnouncements(groups, stableName, exam, signals);
  const ended = endedUndismissed(store.alerts);
  // The label counts what the feed shows; the button also clears the blips it never showed.
  const endedShown = ended.filter((a) => pastGrace(a, store.now())).length;
  const shown = showAll ? groups : groups.slice(0, FEED_GROUPS);

  const dismissAll = async () => {
    setDismissing(true);
    setError(null);
    const queue = [...ended];
    const worker = async () => {
      for (let a = queue.shift(); a; a = queue.shift()) await acknowledge(sessionId, a, store);
    };
    try {
      await Promise.all(Array.from({ length: 6 }, worker));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setDismissing(false);
    }
  };
  const change = (next: { sound: boolean; desktop: boolean }) => {
    setSignals(next);
    saveSignals(next);
  };

  return (
    <section
      className={`panel alerts-feed ${exam ? 'exam' : 'support'}`}
      data-testid="alerts-feed"
      aria-labelledby="feed-title"
    >
      <h2 id="feed-title">
        {t(exam ? 'feed.title.exam' : 'feed.title.support')}{' '}
        {count > 0 && (
          <span className={`count-badge ${exam ? 'tone-red' : 'tone-blue'}`} data-testid="open-alert-count">
            {t('feed.waiting', { count })}
          </span>
        )}
      </h2>
      <p className="muted small-text">{t(exam ? 'feed.hint.exam' : 'feed.hint.support')}</p>
      <div
        className="visually-hidden"
        aria-live={exam ? 'assertive' : 'polite'}
        data-testid="alert-announcer"
      >
        {announcement}
      </div>
      <div className="feed-controls">
        <label className="small-text">
          <input type="checkbox" checked={showDone} onChange={(e) => setShowDone(e.target.checked)} />{' '}
          {t('feed.showDismissed')}
        </label>
        {endedShown > 0 && (
          <button
            type="button"
            className="btn btn-small"
            onClick={() => void dismissAll()}
            disabled={dismissing}
            data-testid="alerts-dismiss-ended"
          >
            {t('feed.dismissEnded', { count: endedShown })}
          </button>
        )}
      </div>
      {exam && (
        <fieldset className="feed-signals">
          <legend className="small-text">{t('feed.signals')}</legend>
          <label className="small-text">
            <input
              type="checkbox"
              checked={signals.sound}
              onChange={(e) => {
                change({ ...signals, sound: e.target.checked });
                if (e.target.checked) playTone();
              }}
              data-testid="alerts-sound"
            />{' '}
            {t('feed.sound')}
          </label>
          <label className="small-text">
            <input
              type="checkbox"
              checked={signals.desktop}
              onChange={(e) => {
                const on = e.target.checked;
                if (!on) return change({ ...signals, desktop: false });
                void askDesktopPermission().then((ok) => {
                  change({ ...signals, desktop: ok });
                  if (!ok) setError(t('feed.desktopRefused'));
                });
              }}
              data-testid="alerts-desktop"
            />{' '}
            {t('feed.desktop')}
          </label>
        </fieldset>
      )}
      {error && <p className="field-error">{error}</p>}
      {groups.length === 0 ? (
        <p className="muted">{t('feed.empty')}</p>
      ) : (
        <ul className="feed-groups">
          {shown.map((g) => (
            <Group
              key={g.participantId}
              group={g}
              name={nameOf(g.participantId)}
              sessionId={sessionId}
              store={store}
              exam={exam}
              onOpen={settings.anonymous ? undefined : onOpen}
            />
          ))}
        </ul>
      )}
      {groups.length > FEED_GROUPS && (
        <button type="button" className="btn btn-small" onClick={() => setShowAll(!showAll)}>
          {showAll ? t('feed.showFewer') : t('feed.showAll', { count: groups.length })}
        </button>
      )}
    </section>
  );
}
