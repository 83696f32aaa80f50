/** Camera and model problems: what happened and what to do, with a retry button. */
import type { SessionView } from './studentSession.js';
import { box } from './styles.js';

export function Problems({
  view,
  onRetryCamera,
  onRetryModels,
}: {
  view: SessionView;
  onRetryCamera: () => void;
  onRetryModels: () => void;
}) {
  return (
    <>
      {view.camera && (
        <div
          role="alert"
          style={box.error}
          data-testid="student-camera-error"
          data-problem={view.camera.problem}
        >
          <p style={{ margin: '0 0 0.5rem' }}>
            <strong>{view.camera.message}</strong> {view.camera.advice}
          </p>
          <button data-testid="camera-retry" style={box.button} onClick={onRetryCamera}>
            Try again
          </button>
        </div>
      )}
      {view.modelError && (
        <div role="alert" style={box.error} data-testid="student-model-error">
          <p style={{ margin: '0 0 0.5rem' }}>
            <strong>{view.modelError}.</strong> Your teacher sees “No signal”. Check your connection; the page
            tries again by itself every 15 seconds.
          </p>
          <button data-testid="model-retry" style={box.button} onClick={onRetryModels}>
            Try again
          </button>
        </div>
      )}
      {view.phase === 'starting' && !view.camera && !view.modelError && (
        <p style={box.note} data-testid="student-starting">
          Starting the camera and loading the analysis (this can take a few seconds)…
        </p>
      )}
    </>
  );
}
