/**
 * Student detail: timeline, current signals, the score's contributions (why the engine thinks so), and the
 * accommodations the teacher can edit.
 */
import { useState, type FormEvent } from 'react';
import type { Accommodations, EmotionSetting, FrameResult } from '@smartsession/protocol';
import type { DashboardStore } from './store.js';
import { useStudent } from './hooks.js';
import { StudentTimeline } from './StudentTimeline.js';
import { STATUS_LOOK } from '../shared/status.js';
import { reasonText } from '../shared/reason.js';
import { api, errorMessage } from '../shared/api.js';
import { formatClock } from '../shared/time.js';

const CONTRIBUTION_LABELS = {
  brow: 'Brows drawn together',
  happy: 'Not smiling',
  tilt: 'Head tilt',
} as const;

/** Contribution bars of the confusion score (`data-testid="contribution"` per input, `data-key`, `data-value`). */
export function Contributions({ frame, emotion }: { frame: FrameResult | null; emotion: EmotionSetting }) {
  if (!frame?.contributions) return <p className="muted">No score yet.</p>;
  const keys = (['brow', 'happy', 'tilt'] as const).filter((k) => !(k === 'happy' && emotion === 'off'));
  return (
    <div className="contributions" data-testid="contributions">
      <div>
        Confusion score <strong data-testid="confusion-score">{frame.confusion_score.toFixed(2)}</strong> ={' '}
        {keys.map((k) => CONTRIBUTION_LABELS[k].toLowerCase()).join(' + ')}
      </div>
      {keys.map((k) => {
        const v = frame.contributions?.[k] ?? 0;
        const signal = frame.signals?.[k];
        return (
          <div
            key={k}
            className="contribution"
            data-testid="contribution"
            data-key={k}
            data-value={v.toFixed(3)}
          >
            <span className="contribution-label">{CONTRIBUTION_LABELS[k]}</span>
            <span className="bar">
              <span style={{ width: `${Math.min(100, v * 100)}%` }} />
            </span>
            <span className="num">
              {v.toFixed(2)}
              {signal !== undefined && signal !== null && (
                <span className="muted"> (signal {signal.toFixed(2)})</span>
              )}
            </span>
          </div>
        );
      })}
    </div>
  );
}

function Signals({ frame, emotion }: { frame: FrameResult | null; emotion: EmotionSetting }) {
  if (!frame) return <p className="muted">No frame analysed yet.</p>;
  const rows: [string, string][] = [
    ['Faces', `${frame.face_count} (${frame.status})`],
    ['Head', frame.gaze ?? '—'],
    ['Eyes', frame.eyes ?? '—'],
  ];
  if (frame.head) {
    const h = frame.head;
    rows.push([
      'Yaw / pitch / roll',
      `${h.yaw.toFixed(0)}° / ${h.pitch.toFixed(0)}° / ${h.roll.toFixed(0)}°`,
    ]);
  }
  if (emotion === 'on' && frame.emotion) rows.push(['Expression', frame.emotion]);
  if (frame.quality?.unreliable) rows.push(['Quality', 'too dark, small or blurred']);
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
  const [lookAway, setLookAway] = useState(String(value.lookAwaySeconds ?? ''));
  const [gazeChecks, setGazeChecks] = useState(value.gazeChecks !== false);
  const [state, setState] = useState<string | null>(null);
  const save = async (e: FormEvent) => {
    e.preventDefault();
    const accommodations: Accommodations = { gazeChecks };
    if (lookAway.trim() !== '') {
      const n = Number(lookAway);
      if (!Number.isFinite(n) || n < 1 || n > 120) {
        setState('The look-away limit must be between 1 and 120 seconds.');
        return;
      }
      accommodations.lookAwaySeconds = n;
    }
    setState('Saving…');
    try {
      await api(
        `/api/sessions/${encodeURIComponent(sessionId)}/participants/${encodeURIComponent(participantId)}`,
        {
          method: 'PATCH',
          body: { accommodations },
        },
      );
      setState('Saved');
    } catch (err) {
      setState(errorMessage(err));
    }
  };
  return (
    <form className="accommodations" onSubmit={save} data-testid="accommodations">
      <label>
        Look-away limit (s){' '}
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
        Gaze checks
      </label>
      <button type="submit" data-testid="accommodation-save">
        Save
      </button>
      {state && <span className="muted small-text">{state}</span>}
    </form>
  );
}

/** The detail panel of one student (`data-testid="student-detail"`). */
export function StudentDetail({
  store,
  sessionId,
  id,
  emotion,
  defaultLookAway,
  onClose,
}: {
  store: DashboardStore;
  sessionId: string;
  id: string;
  emotion: EmotionSetting;
  defaultLookAway: number;
  onClose(): void;
}) {
  const s = useStudent(store, id);
  if (!s) return null;
  const look = STATUS_LOOK[s.status];
  return (
    <aside
      className="detail"
      data-testid="student-detail"
      data-name={s.name}
      aria-label={`Details of ${s.name}`}
    >
      <header>
        <h2>{s.name}</h2>
        <span className="badge" style={{ background: look.colour }}>
          {look.word}
        </span>
        <button type="button" className="close" onClick={onClose} aria-label="Close details">
          ×
        </button>
      </header>
      <p>{reasonText(s, emotion)}</p>
      <h3>Timeline</h3>
      <StudentTimeline store={store} id={id} sessionId={sessionId} />
      <h3>Why the engine thinks so</h3>
      <Contributions frame={s.frame} emotion={emotion} />
      <h3>Current signals</h3>
      {s.lastSeenAt !== null && <p className="muted small-text">as of {formatClock(s.lastSeenAt)}</p>}
      <Signals frame={s.frame} emotion={emotion} />
      <h3>Accommodations</h3>
      <AccommodationsForm
        key={id}
        sessionId={sessionId}
        participantId={id}
        value={s.accommodations}
        defaultLookAway={defaultLookAway}
      />
    </aside>
  );
}
