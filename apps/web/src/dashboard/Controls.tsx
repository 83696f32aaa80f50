/**
 * Dashboard header pieces: the join panel (code, link from the server's `joinUrl`, copy, QR code, the
 * projector view), session settings (mode, emotion, privacy), end session, markers, the class summary.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { SessionInfo, SessionSettings } from '@smartsession/protocol';
import type { DashboardStore } from './store.js';
import { useTopic } from './hooks.js';
import { api, errorMessage } from '../shared/api.js';
import { statusTone, statusWord } from '../shared/status.js';
import { formatPercent, useI18n } from '../i18n/i18n.js';
import { CopyButton } from '../ui/CopyButton.js';
import { QrCode } from '../ui/QrCode.js';

/**
 * The projector view (`data-testid="projector"`): the code as large as the screen allows, the link and
 * the QR code, in a modal dialog (Escape or the button closes it; full screen when the browser allows).
 */
function Projector({ info, url, onClose }: { info: SessionInfo; url: string; onClose(): void }) {
  const { t } = useI18n();
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (!d.open) d.showModal();
    void d.requestFullscreen?.().catch(() => undefined);
    return () => {
      if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
    };
  }, []);
  return (
    <dialog
      ref={ref}
      className="projector"
      data-testid="projector"
      aria-labelledby="projector-title"
      onClose={onClose}
      onCancel={onClose}
    >
      <h2 id="projector-title" className="projector-title">
        {t('join.projectorTitle', { title: info.title })}
      </h2>
      <p className="projector-step">{t('join.projectorStep', { host: new URL(url).host })}</p>
      <div className="projector-body">
        <div className="projector-code" data-testid="projector-code">
          {info.joinCode}
        </div>
        <QrCode text={url} label={t('join.qrLabel', { url })} className="projector-qr" />
      </div>
      <p className="projector-url">{url}</p>
      <button
        type="button"
        className="btn"
        onClick={() => ref.current?.close()}
        data-testid="projector-close"
      >
        {t('common.close')}
      </button>
    </dialog>
  );
}

/** The join code, large, with the join link, a copy button, a QR code and the projector view. */
export function JoinPanel({ info }: { info: SessionInfo }) {
  const { t } = useI18n();
  const [projector, setProjector] = useState(false);
  // The link is the server's (built from PUBLIC_URL there), never this page's address.
  const url = info.joinUrl;
  return (
    <section className="join-panel" aria-labelledby="join-title" data-testid="join-panel">
      <div className="join-text">
        <h2 id="join-title" className="join-label">
          {t('join.code')}
        </h2>
        <div className="join-code" data-testid="join-code">
          {info.joinCode}
        </div>
        <a className="join-url" href={url} data-testid="join-url" target="_blank" rel="noreferrer">
          {url}
        </a>
        <div className="join-actions">
          <CopyButton text={url} label={t('join.copy')} testId="join-copy" />
          <button
            type="button"
            className="btn btn-small"
            onClick={() => setProjector(true)}
            data-testid="projector-open"
          >
            {t('join.projector')}
          </button>
        </div>
      </div>
      <QrCode text={url} label={t('join.qrLabel', { url })} className="join-qr" />
      {projector && <Projector info={info} url={url} onClose={() => setProjector(false)} />}
    </section>
  );
}

/** Mode, emotion and privacy switches; each change is a `PATCH /api/sessions/:id`. */
export function SettingsBar({ sessionId, settings }: { sessionId: string; settings: SessionSettings }) {
  const { t } = useI18n();
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
        {t('settings.mode')}{' '}
        <select
          value={settings.mode}
          onChange={(e) => void patch({ mode: e.target.value as SessionSettings['mode'] })}
          data-testid="setting-mode"
        >
          <option value="support">{t('settings.mode.support')}</option>
          <option value="exam">{t('settings.mode.exam')}</option>
        </select>
      </label>
      <label>
        <input
          type="checkbox"
          checked={settings.emotion === 'on'}
          onChange={(e) => void patch({ emotion: e.target.checked ? 'on' : 'off' })}
          data-testid="setting-emotion"
        />{' '}
        {t('settings.emotionToggle')}
      </label>
      <label>
        <input
          type="checkbox"
          checked={settings.anonymous}
          onChange={(e) => void patch({ anonymous: e.target.checked })}
          data-testid="setting-anonymous"
        />{' '}
        {t('settings.anonymous')}
      </label>
      <label title={t('settings.serverAnalysisHelp')}>
        <input
          type="checkbox"
          checked={settings.serverAnalysis === true}
          onChange={(e) => void patch({ serverAnalysis: e.target.checked })}
          aria-describedby="setting-server-analysis-help"
          data-testid="setting-server-analysis"
        />{' '}
        {t('settings.serverAnalysis')}
        <span id="setting-server-analysis-help" className="visually-hidden">
          {t('settings.serverAnalysisHelp')}
        </span>
      </label>
      {error && <span className="field-error">{error}</span>}
    </div>
  );
}

/** Ends the session (`POST /api/sessions/:id/end`) after a confirmation; students stop sending. */
export function EndSessionButton({ sessionId, ended }: { sessionId: string; ended: boolean }) {
  const { t } = useI18n();
  const [error, setError] = useState<string | null>(null);
  if (ended) return null;
  const end = async () => {
    if (!window.confirm(t('dashboard.endConfirm'))) return;
    setError(null);
    try {
      await api(`/api/sessions/${encodeURIComponent(sessionId)}/end`, { method: 'POST', body: {} });
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <>
      <button type="button" className="btn btn-small" onClick={() => void end()} data-testid="end-session">
        {t('dashboard.end')}
      </button>
      {error && <span className="field-error">{error}</span>}
    </>
  );
}

/** Drop a marker on the class timeline ("started fractions"): `POST /api/sessions/:id/markers`. */
export function MarkerForm({ sessionId }: { sessionId: string }) {
  const { t } = useI18n();
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
    <form className="marker-form" onSubmit={(e) => void submit(e)}>
      <input
        value={label}
        maxLength={120}
        onChange={(e) => setLabel(e.target.value)}
        placeholder={t('marker.placeholder')}
        data-testid="marker-label"
        aria-label={t('marker.label')}
      />
      <button type="submit" className="btn" data-testid="marker-add">
        {t('marker.add')}
      </button>
      {error && <span className="field-error">{error}</span>}
    </form>
  );
}

/** Shares per status colour, the anonymous aggregate (`data-testid="class-summary"`). */
export function ClassSummary({ store, mode }: { store: DashboardStore; mode: SessionSettings['mode'] }) {
  const { t } = useI18n();
  const points = useTopic(store, 'class', (s) => s.classPoints);
  const last = points[points.length - 1];
  if (!last || last.present === 0)
    return (
      <p className="class-summary muted" data-testid="class-summary-empty">
        {t('summary.waiting')}
      </p>
    );
  const item = (status: 'focused' | 'confused' | 'alert', share: number) => (
    <li data-status={status}>
      <span className={`swatch tone-${statusTone(status, mode)}`} aria-hidden="true" />
      {statusWord(t, status, mode)} <strong>{formatPercent(share)}</strong>
    </li>
  );
  return (
    <ul className="class-summary" data-testid="class-summary">
      {item('focused', last.focused)}
      {item('confused', last.confused)}
      {item('alert', last.alert)}
      <li>
        <span className="swatch swatch-lost" aria-hidden="true" />
        {t('summary.lost')} <strong>{last.lost}</strong>
      </li>
      <li className="muted">{t('summary.connected', { count: last.present })}</li>
    </ul>
  );
}
