/** After consent: starts the session and shows status, preview, controls and what is sent. */
import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import type { JoinResponse } from '@smartsession/protocol';
import { Preview } from './Preview.js';
import { Problems } from './Problems.js';
import { StatusBadge } from './StatusBadge.js';
import { StudentSession, type SessionView } from './studentSession.js';
import { box } from './styles.js';

/** `?backend=wasm|webgl` forces a tfjs backend (diagnosis; bench:student compares wasm with the default `auto`). */
function backendFromUrl(): 'auto' | 'wasm' | 'webgl' {
  const b = new URLSearchParams(window.location.search).get('backend');
  return b === 'wasm' || b === 'webgl' ? b : 'auto';
}

function useSession(join: JoinResponse): StudentSession | null {
  const [session, setSession] = useState<StudentSession | null>(null);
  useEffect(() => {
    const s = new StudentSession(join, { backend: backendFromUrl() });
    s.start();
    setSession(s);
    return () => s.dispose();
  }, [join]);
  return session;
}

export function LiveView({ join }: { join: JoinResponse }) {
  const session = useSession(join);
  if (!session) return <p style={box.note}>Starting…</p>;
  return <Live session={session} />;
}

function Live({ session }: { session: StudentSession }) {
  const view = useSyncExternalStore(session.subscribe, session.getView);
  const [overlay, setOverlay] = useState(true);
  const [showJson, setShowJson] = useState(false);
  const attach = useCallback((el: HTMLVideoElement | null) => session.attachVideo(el), [session]);

  if (view.phase === 'ended' || view.phase === 'refused') {
    return (
      <section style={box.card} data-testid="student-ended">
        <p>
          {view.phase === 'ended'
            ? 'The teacher ended this session. The camera is off; you can close this page.'
            : `The server refused this connection: ${view.refused?.message ?? 'unknown reason'}. Join again from the link.`}
        </p>
      </section>
    );
  }

  return (
    <>
      <StatusBadge view={view} />
      <Problems
        view={view}
        onRetryCamera={() => session.retryCamera()}
        onRetryModels={() => session.retryModels()}
      />
      <Preview
        ref={attach}
        overlay={overlay && !view.paused ? view.overlay : null}
        calibration={view.calibration}
      />
      <div style={box.row}>
        <button
          data-testid="im-lost"
          style={view.lost ? box.primary : box.button}
          onClick={() => session.toggleLost()}
        >
          {view.lost ? "I'm lost (sent) — press when you're back on track" : "I'm lost"}
        </button>
        <button
          data-testid="student-pause"
          style={box.button}
          onClick={() => session.setPaused(!view.paused)}
        >
          {view.paused ? 'Resume' : view.settings.mode === 'exam' ? 'Pause (reported as an alert)' : 'Pause'}
        </button>
        <button
          data-testid="student-recalibrate"
          style={box.button}
          disabled={view.phase !== 'running' || view.paused}
          onClick={() => session.recalibrate()}
        >
          Calibrate again
        </button>
        <label style={box.note}>
          <input type="checkbox" checked={overlay} onChange={(e) => setOverlay(e.target.checked)} /> Show face
          box
        </label>
        <button
          data-testid="student-telemetry-toggle"
          style={box.button}
          onClick={() => setShowJson(!showJson)}
        >
          {showJson ? 'Hide what is sent' : 'Show what is sent'}
        </button>
      </div>
      <Footer view={view} />
      {showJson && (
        <pre data-testid="student-telemetry" style={box.pre}>
          {view.lastMessage ? JSON.stringify(view.lastMessage, null, 2) : 'Nothing sent yet.'}
        </pre>
      )}
    </>
  );
}

function Footer({ view }: { view: SessionView }) {
  const t = view.telemetry;
  return (
    <p
      style={box.note}
      data-testid="student-stats"
      data-fps={view.fps.toFixed(2)}
      data-seq={t.lastSeq}
      data-acked={t.lastAcked}
      data-pending={t.pending}
      data-analysed={view.analysed}
      data-analysis-ms={view.analysisMs === null ? '' : view.analysisMs.toFixed(1)}
      data-backend={view.backend ?? ''}
      data-camera-started={view.cameraStartedAt ?? ''}
    >
      {t.connected ? 'Connected' : 'Not connected: messages are kept and sent when the connection is back'} ·
      message {t.lastSeq}, stored up to {t.lastAcked}
      {t.pending > 0 ? `, ${t.pending} waiting` : ''} · {view.fps.toFixed(1)} analyses/s
      {view.analysisMs !== null ? ` (${Math.round(view.analysisMs)} ms each` : ''}
      {view.analysisMs !== null && view.backend ? `, ${view.backend})` : view.analysisMs !== null ? ')' : ''}
    </p>
  );
}
