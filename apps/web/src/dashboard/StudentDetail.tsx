/**
 * Student detail: timeline, current signals, the score's parts (why the engine thinks so), and the
 * accommodations the teacher can edit. Focus moves into it when it opens; Escape or the close button
 * closes it and puts focus back on the tile. On narrow screens it covers the page.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { Accommodations, EmotionSetting, FrameResult, SessionMode } from '@smartsession/protocol';
import type { DashboardStore } from './store.js';
import { useStudent, useTopic } from './hooks.js';
import { StudentTimeline } from './StudentTimeline.js';
import { StatusPill } from '../ui/StatusPill.js';
import { CUES, cueWord, emotionShown, tileReason, type Cue } from '../shared/reason.js';
import { api, errorMessage } from '../shared/api.js';
import { formatClock, formatNumber, useI18n } from '../i18n/i18n.js';

/** The score's parts (`data-testid="contribution"` per input, `data-key`, `data-value`). */
function Contributions({ frame, emotion }: { frame: FrameResult | null; emotion: EmotionSetting }) {
  const { t } = useI18n();
  if (!frame?.contributions) return <p className="muted">{t('detail.noScore')}</p>;
  // The emotion part only where the session has it on and this student agreed (it then carries a value).
  const keys: Cue[] = CUES.filter((k) => k !== 'happy' || emotionShown(frame, emotion));
  return (
    <div className="contributions" data-testid="contributions">
      <p>
        {t('detail.score')}{' '}
        <strong data-testid="confusion-score">{formatNumber(frame.confusion_score)}</strong>{' '}
        {t('detail.scoreSum', { parts: keys.map((k) => cueWord(t, k).toLowerCase()).join(' + ') })}
      </p>
      {keys.map((k) => {
        const v = frame.contributions?.[k] ?? 0;
        return (
          <div
            key={k}
            className="contribution"
            data-testid="contribution"
            data-key={k}
            data-value={v.toFixed(3)}
          >
            <span className="contribution-label" id={`cue-${k}`}>
              {cueWord(t, k)}
            </span>
            <meter className="bar" min={0} max={1} value={v} aria-labelledby={`cue-${k}`} />
            <span className="num">{formatNumber(v)}</span>
          </div>
        );
      })}
    </div>
  );
}

function Signals({ frame, emotion }: { frame: FrameResult | null; emotion: EmotionSetting }) {
  const { t } = useI18n();
  if (!frame) return <p className="muted">{t('detail.noFrame')}</p>;
  const dir = (d: FrameResult['gaze']) => (d ? t(`direction.${d}`) : '—');
  const rows: [string, string][] = [
    [t('detail.faces'), String(frame.face_count)],
    [t('detail.head'), dir(frame.gaze)],
    [t('detail.eyes'), dir(frame.eyes)],
  ];
  if (frame.head) {
    const h = frame.head;
    rows.push([t('detail.angles'), `${h.yaw.toFixed(0)}° / ${h.pitch.toFixed(0)}° / ${h.roll.toFixed(0)}°`]);
  }
  if (emotion === 'on' && frame.emotion) rows.push([t('detail.expression'), t(`emotion.${frame.emotion}`)]);
  if (frame.quality?.unreliable) rows.push([t('detail.quality'), t('detail.qualityPoor')]);
  return (
    <dl className="signals" data-testid="signals">
      {rows.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

function AccommodationsForm({
  sessionId,
  participantId,
  value,
  defaultLookAway,
}: {
  sessionId: string;
  participantId: string;
  value: Accommodations;
  defaultLookAway: number;
}) {
  const { t } = useI18n();
  const [lookAway, setLookAway] = useState(String(value.lookAwaySeconds ?? ''));
  const [gazeChecks, setGazeChecks] = useState(value.gazeChecks !== false);
  const [state, setState] = useState<string | null>(null);
  const save = async (e: FormEvent) => {
    e.preventDefault();
    const accommodations: Accommodations = { gazeChecks };
    if (lookAway.trim() !== '') {
      const n = Number(lookAway);
      if (!Number.isFinite(n) || n < 1 || n > 120) {
        setState(t('detail.lookAwayRange'));
        return;
      }
      accommodations.lookAwaySeconds = n;
    }
    setState(t('common.saving'));
    try {
      await api(
        `/api/sessions/${encodeURIComponent(sessionId)}/participants/${encodeURIComponent(participantId)}`,
        { method: 'PATCH', body: { accommodations } },
      );
      setState(t('common.saved'));
    } catch (err) {
      setState(errorMessage(err));
    }
  };
  return (
    <form className="accommodations" onSubmit={(e) => void save(e)} data-testid="accommodations">
      <label>
        {t('detail.lookAway')}{' '}
        <input
          type="number"
          min={1}
          max={120}
          placeholder={String(defaultLookAway)}
          value={lookAway}
          onChange={(e) => setLookAway(e.target.value)}
          data-testid="accommodation-lookaway"
        />
      </label>
      <label>
        <input
          type="checkbox"
          checked={gazeChecks}
          onChange={(e) => setGazeChecks(e.target.checked)}
          data-testid="accommodation-gaze"
        />{' '}
        {t('detail.gazeChecks')}
      </label>
      <button type="submit" className="btn" data-testid="accommodation-save">
        {t('common.save')}
      </button>
      {state && (
        <span className="muted small-text" role="status">
          {state}
        </span>
      )}
    </form>
  );
}

/** The detail panel of one student (`data-testid="student-detail"`). */
export function StudentDetail({
  store,
  sessionId,
  id,
  emotion,
  mode,
  defaultLookAway,
  onClose,
}: {
  store: DashboardStore;
  sessionId: string;
  id: string;
  emotion: EmotionSetting;
  mode: SessionMode;
  defaultLookAway: number;
  onClose(): void;
}) {
  const { t } = useI18n();
  const s = useStudent(store, id);
  const label = useTopic(store, 'order', (st) => st.label(id));
  const heading = useRef<HTMLHeadingElement>(null);
  const close = useRef(onClose);
  close.current = onClose;
  useEffect(() => heading.current?.focus(), [id]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      // A dialog above (the projector view) takes its own Escape.
      if (e.key === 'Escape' && !e.defaultPrevented && !document.querySelector('dialog[open]'))
        close.current();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
  if (!s) return null;
  const reason = tileReason(t, s, emotion);
  return (
    <section
      className="detail"
      data-testid="student-detail"
      data-name={s.name}
      aria-labelledby="detail-title"
    >
      <header className="detail-head">
        <h2 id="detail-title" ref={heading} tabIndex={-1}>
          {label}
        </h2>
        <StatusPill status={s.status} mode={mode} />
        <button
          type="button"
          className="btn btn-small detail-close"
          onClick={onClose}
          data-testid="detail-close"
          aria-label={t('detail.close', { name: label })}
        >
          {t('common.close')}
        </button>
      </header>
      {(reason || s.lostSince !== null) && (
        <p>
          {s.lostSince !== null && s.status !== 'offline' && <strong>{t('tile.lost')} </strong>}
          {reason}
        </p>
      )}
      {s.analysis && (
        <p className="muted small-text" data-testid="detail-analysis" data-analysis={s.analysis}>
          {t(s.analysis === 'server' ? 'analysis.place.server' : 'analysis.place.browser')}
        </p>
      )}
      <h3>{t('detail.timeline')}</h3>
      <StudentTimeline store={store} id={id} sessionId={sessionId} mode={mode} />
      <h3>{t('detail.why')}</h3>
      <Contributions frame={s.frame} emotion={emotion} />
      <h3>{t('detail.signals')}</h3>
      {s.lastSeenAt !== null && (
        <p className="muted small-text">{t('detail.asOf', { time: formatClock(s.lastSeenAt) })}</p>
      )}
      <Signals frame={s.frame} emotion={emotion} />
      <h3>{t('detail.accommodations')}</h3>
      <AccommodationsForm
        key={id}
        sessionId={sessionId}
        participantId={id}
        value={s.accommodations}
        defaultLookAway={defaultLookAway}
      />
    </section>
  );
}
