/**
 * Consent in plain words, with a real choice: what is analysed, what stays on this device, what the
 * teacher sees, what saying no means; emotion reading (when the class has it on) is a separate box,
 * unticked. "I agree" joins and starts the camera; "I don't agree" starts nothing and sends nothing.
 */
import { useState } from 'react';
import type { SessionSettings } from '@smartsession/protocol';
import { useI18n } from '../i18n/i18n.js';
import { serverAnalysisFromUrl } from './serverAnalysis.js';

export function ConsentScreen({
  settings,
  onAccept,
  onDecline,
}: {
  settings: SessionSettings;
  onAccept: (emotionConsent: boolean, place?: 'browser' | 'server') => Promise<void>;
  onDecline: () => void;
}) {
  const { t } = useI18n();
  const [emotion, setEmotion] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const exam = settings.mode === 'exam';
  const emotionOffered = settings.emotion === 'on';
  // `?analysis=server` in a class that allows it: pictures go to the school's server, and this says so.
  const server = settings.serverAnalysis === true && serverAnalysisFromUrl();
  const accept = (place: 'browser' | 'server' = server ? 'server' : 'browser') => {
    setBusy(true);
    setError(null);
    onAccept(emotionOffered && emotion, place).catch((e: unknown) => {
      setError(e instanceof Error ? e.message : String(e));
      setBusy(false);
    });
  };
  return (
    <section className="card consent" aria-labelledby="consent-title" data-testid="consent">
      <h2 id="consent-title">{t('consent.title')}</h2>
      <ul className="consent-list">
        <li>{t('consent.camera')}</li>
        {server ? (
          <>
            <li data-testid="consent-server">
              <strong>{t('consent.server.sent')}</strong> {t('consent.server.memory')}
            </li>
            <li>{t('consent.server.same')}</li>
            <li>{t('consent.server.no')}</li>
          </>
        ) : (
          <li>
            <strong>{t('consent.noVideo')}</strong> {t('consent.noVideoMore')}
          </li>
        )}
        <li>{t(exam ? 'consent.teacherSees.exam' : 'consent.teacherSees.support')}</li>
        <li>{t(exam ? 'consent.mode.exam' : 'consent.mode.support')}</li>
        <li>{t('consent.calibration')}</li>
      </ul>
      {emotionOffered ? (
        <div className="consent-emotion">
          <label>
            <input
              type="checkbox"
              checked={emotion}
              onChange={(e) => setEmotion(e.target.checked)}
              data-testid="consent-emotion"
            />{' '}
            {t('consent.emotionBox')}
          </label>
          <p className="muted small-text">{t('consent.emotionHelp')}</p>
        </div>
      ) : (
        <p className="muted">{t('consent.emotionOff')}</p>
      )}
      <h3>{t('consent.declineTitle')}</h3>
      <p>{t('consent.declineText')}</p>
      {error && (
        <p role="alert" className="field-error">
          {error}
        </p>
      )}
      <div className="actions">
        <button
          type="button"
          data-testid="consent-accept"
          className="btn btn-primary"
          disabled={busy}
          onClick={() => accept()}
        >
          {t('consent.accept')}
        </button>
        {server && (
          <button
            type="button"
            data-testid="consent-accept-browser"
            className="btn"
            disabled={busy}
            onClick={() => accept('browser')}
          >
            {t('consent.server.browserOnly')}
          </button>
        )}
        <button type="button" data-testid="consent-decline" className="btn" onClick={onDecline}>
          {t('consent.decline')}
        </button>
      </div>
    </section>
  );
}

/** After "I don't agree": what that means, and the way back if the student changes their mind. */
export function Declined({ onBack }: { onBack: () => void }) {
  const { t } = useI18n();
  return (
    <section className="card" aria-labelledby="declined-title" data-testid="consent-declined">
      <h2 id="declined-title">{t('consent.declinedTitle')}</h2>
      <p>{t('consent.declinedText')}</p>
      <p>{t('consent.declinedTalk')}</p>
      <button type="button" className="btn" onClick={onBack} data-testid="consent-back">
        {t('consent.changeMind')}
      </button>
    </section>
  );
}
