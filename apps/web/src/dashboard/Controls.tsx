/** Dashboard header pieces: join code, session settings (mode, emotion, privacy), markers, class summary. */
import { useState, type FormEvent } from 'react';
import type { SessionInfo, SessionSettings } from '@smartsession/protocol';
import type { DashboardStore } from './store.js';
import { useTopic } from './hooks.js';
import { api, errorMessage } from '../shared/api.js';
import { STATUS_LOOK } from '../shared/status.js';

/** The join code, large, with the join URL (`data-testid="join-code"`, `"join-url"`). */
export function JoinPanel({ info }: { info: SessionInfo }) {
  const url = new URL(info.joinUrl, window.location.origin).toString();
  return (
    <div className="join-panel">
      <div className="muted small-text">Join code</div>
      <div className="join-code" data-testid="join-code">
        {info.joinCode}
      </div>
      <a className="join-url" href={url} data-testid="join-url" target="_blank" rel="noreferrer">
        {url}
      </a>
    </div>
  );
}

/** Mode, emotion and privacy switches; each change is a `PATCH /api/sessions/:id`. */
export function SettingsBar({ sessionId, settings }: { sessionId: string; settings: SessionSettings }) {
  const [error, setError] = useState<string | null>(null);
  const patch = async (body: Partial<SessionSettings>) => {
    setError(null);
    try {
      await api(`/api/sessions/${encodeURIComponent(sessionId)}`, { method: 'PATCH', body });
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <div className="settings-bar" data-testid="settings-bar">
      <label>
        Mode{' '}
        <select
          value={settings.mode}
          onChange={(e) => patch({ mode: e.target.value as SessionSettings['mode'] })}
          data-testid="setting-mode"
        >
          <option value="support">Support (gentle)</option>
          <option value="exam">Exam (proctoring)</option>
        </select>
      </label>
      <label>
        <input
          type="checkbox"
          checked={settings.emotion === 'on'}
          onChange={(e) => patch({ emotion: e.target.checked ? 'on' : 'off' })}
          data-testid="setting-emotion"
        />{' '}
        Emotion inference
      </label>
      <label>
        <input
          type="checkbox"
          checked={settings.anonymous}
          onChange={(e) => patch({ anonymous: e.target.checked })}
          data-testid="setting-anonymous"
        />{' '}
        Anonymous (class aggregate only)
      </label>
      {error && <span className="error">{error}</span>}
    </div>
  );
}

/** Ends the session (`POST /api/sessions/:id/end`) after a confirmation; students stop sending. */
export function EndSessionButton({ sessionId, ended }: { sessionId: string; ended: boolean }) {
  const [error, setError] = useState<string | null>(null);
  if (ended) return null;
  const end = async () => {
    if (!window.confirm('End this session for every student?')) return;
    setError(null);
    try {
      await api(`/api/sessions/${encodeURIComponent(sessionId)}/end`, { method: 'POST', body: {} });
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <>
      <button type="button" className="small" onClick={end} data-testid="end-session">
        End session
      </button>
      {error && <span className="error">{error}</span>}
    </>
  );
}

/** Drop a marker on the class timeline ("started fractions"): `POST /api/sessions/:id/markers`. */
export function MarkerForm({ sessionId }: { sessionId: string }) {
  const [label, setLabel] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const text = label.trim();
    if (!text) return;
    setError(null);
    try {
      await api(`/api/sessions/${encodeURIComponent(sessionId)}/markers`, {
        method: 'POST',
        body: { label: text },
      });
      setLabel('');
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  return (
    <form className="marker-form" onSubmit={submit}>
      <input
        value={label}
        maxLength={120}
        onChange={(e) => setLabel(e.target.value)}
        placeholder="Marker, e.g. started fractions"
        data-testid="marker-label"
        aria-label="Marker label"
      />
      <button type="submit" data-testid="marker-add">
        Add marker
      </button>
      {error && <span className="error">{error}</span>}
    </form>
  );
}

/** Counts per status colour, the anonymous aggregate (`data-testid="class-summary"`). */
export function ClassSummary({ store }: { store: DashboardStore }) {
  const points = useTopic(store, 'class', (s) => s.classPoints);
  const last = points[points.length - 1];
  if (!last) return <div className="class-summary muted">Waiting for the class…</div>;
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  return (
    <div className="class-summary" data-testid="class-summary">
      <span style={{ color: STATUS_LOOK.focused.colour }}>Focused {pct(last.focused)}</span>
      <span style={{ color: STATUS_LOOK.confused.colour }}>Confused {pct(last.confused)}</span>
      <span style={{ color: STATUS_LOOK.alert.colour }}>Proctor Alert {pct(last.alert)}</span>
      <span>I&apos;m lost: {last.lost}</span>
      <span className="muted">{last.present} connected</span>
    </div>
  );
}
