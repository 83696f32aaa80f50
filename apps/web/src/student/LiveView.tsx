/** After consent: starts the session and shows status, preview, controls and what is sent, in plain words. */
import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import type { JoinResponse } from '@smartsession/protocol';
import { Preview } from './Preview.js';
import { Problems } from './Problems.js';
import { StatusBadge } from './StatusBadge.js';
import { SentExplained } from './SentExplained.js';
import { StudentSession, type SessionView } from './studentSession.js';
import { useI18n } from '../i18n/i18n.js';

/** `?backend=wasm|webgl` forces a tfjs backend (diagnosis; bench:student compares wasm with the default `auto`). */
function backendFromUrl(): 'auto' | 'wasm' | 'webgl' {
  const b = new URLSearchParams(window.location.search).get('backend');
  return b === 'wasm' || b === 'webgl' ? b : 'auto';
}

function useSession(
  join: JoinResponse,
  emotionConsent: boolean,
  analysisPlace: 'browser' | 'server',
): StudentSession | null {
  const [session, setSession] = useState<StudentSession | null>(null);
  useEffect(() => {
    const s = new StudentSession(join, { backend: backendFromUrl(), emotionConsent, analysisPlace });
    s.start();
    setSession(s);
    return () => s.dispose();
  }, [join, emotionConsent, analysisPlace]);
  return session;
}

export function LiveView({
  join,
  emotionConsent,
  place = 'browser',
}: {
  join: JoinResponse;
  emotionConsent: boolean;
  /** `server`: the student agreed to analysis on the school's server on the consent screen. */
  place?: 'browser' | 'server';
}) {
  const { t } = useI18n();
  const session = useSession(join, emotionConsent, place);
  if (!session) return <p className="muted">{t('student.starting')}</p>;
  return <Live session={session} />;
}

function Live({ session }: { session: StudentSession }) {
  const { t } = useI18n();
  const view = useSyncExternalStore(session.subscribe, session.getView);
  const [overlay, setOverlay] = useState(true);
  const [showSent, setShowSent] = useState(false);
  const attach = useCallback((el: HTMLVideoElement | null) => session.attachVideo(el), [session]);

  if (view.phase === 'ended' || view.phase === 'refused') {
    return (
      <section className="card" data-testid="student-ended">
        <p>
          {view.phase === 'ended'
            ? t('student.ended')
            : t('student.refused', { message: view.refused?.message ?? '' })}
        </p>
      </section>
    );
  }

  const exam = view.settings.mode === 'exam';
  return (
    <>
      <StatusBadge view={view} />
      <ServerAnalysisNotice view={view} onChoose={(yes) => session.chooseServerAnalysis(yes)} />
      <Problems
        view={view}
        onRetryCamera={() => session.retryCamera()}
        onRetryModels={() => session.retryModels()}
      />
      <div className="student-live">
        <Preview
          ref={attach}
          overlay={overlay && !view.paused ? view.overlay : null}
          calibration={view.calibration}
        />
        <div className="student-controls">
          <button
            type="button"
            data-testid="im-lost"
            className={view.lost ? 'btn btn-primary' : 'btn'}
            aria-pressed={view.lost}
            onClick={() => session.toggleLost()}
          >
            {view.lost ? t('student.lostSent') : t('student.lost')}
          </button>
          <button
            type="button"
            data-testid="student-pause"
            className="btn"
            onClick={() => session.setPaused(!view.paused)}
          >
            {view.paused ? t('student.resume') : exam ? t('student.pauseExam') : t('student.pause')}
          </button>
          <button
            type="button"
            data-testid="student-recalibrate"
            className="btn"
            disabled={view.phase !== 'running' || view.paused}
            onClick={() => session.recalibrate()}
          >
            {t('student.recalibrate')}
          </button>
          <label className="small-text">
            <input type="checkbox" checked={overlay} onChange={(e) => setOverlay(e.target.checked)} />{' '}
            {t('student.faceBox')}
          </label>
          <button
            type="button"
            data-testid="student-telemetry-toggle"
            className="btn"
            aria-expanded={showSent}
            onClick={() => setShowSent(!showSent)}
          >
            {showSent ? t('student.hideSent') : t('student.showSent')}
          </button>
        </div>
      </div>
      <Footer view={view} />
      {showSent && <SentExplained view={view} />}
    </>
  );
}

/** Connection in plain words; the counters stay in data attributes for tests and diagnosis. */
function Footer({ view }: { view: SessionView }) {
  const { t } = useI18n();
  const s = view.telemetry;
  const waiting = s.pending > 10 && s.connected;
  // A refusal in the last 10 s (the server's reason, e.g. a device clock far off) is worth saying.
  const rejected = view.rejected && Date.now() - view.rejected.at < 10_000 ? view.rejected : null;
  return (
    <p
      className="muted"
      data-testid="student-stats"
      data-fps={view.fps.toFixed(2)}
      data-seq={s.lastSeq}
      data-acked={s.lastAcked}
      data-pending={s.pending}
      data-holding={s.holding ? 'true' : 'false'}
      data-analysed={view.analysed}
      data-analysis-ms={view.analysisMs === null ? '' : view.analysisMs.toFixed(1)}
      data-backend={view.backend ?? ''}
      data-camera-started={view.cameraStartedAt ?? ''}
    >
      {!s.connected
        ? t('student.offline')
        : rejected
          ? t('student.rejected', { message: rejected.message })
          : s.holding
            ? t('student.holding')
            : waiting
              ? t('student.catchingUp')
              : t('student.online')}
    </p>
  );
}

/**
 * Analysis on the school's server (issue 14): the offer, in plain words, when this device cannot analyse
 * (or is too slow) and the class allows it; and, once in use, a line saying so.
 */
function ServerAnalysisNotice({ view, onChoose }: { view: SessionView; onChoose(yes: boolean): void }) {
  const { t } = useI18n();
  if (view.analysisPlace === 'server')
    return (
      <p className="muted small-text" data-testid="server-analysis-running">
        {t('server.running')}
      </p>
    );
  if (!view.serverOffer) return null;
  return (
    <section className="card consent" aria-labelledby="server-offer-title" data-testid="server-offer">
      <h2 id="server-offer-title">
        {t(view.serverOffer === 'failed' ? 'server.offer.failed' : 'server.offer.slow')}
      </h2>
      <ul className="consent-list">
        <li>
          <strong>{t('consent.server.sent')}</strong> {t('consent.server.memory')}
        </li>
        <li>{t('consent.server.same')}</li>
      </ul>
      <div className="actions">
        <button
          type="button"
          className="btn btn-primary"
          data-testid="server-offer-accept"
          onClick={() => onChoose(true)}
        >
          {t('server.offer.accept')}
        </button>
        <button
          type="button"
          className="btn"
          data-testid="server-offer-decline"
          onClick={() => onChoose(false)}
        >
          {t('server.offer.decline')}
        </button>
      </div>
    </section>
  );
}
