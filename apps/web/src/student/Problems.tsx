/** Camera and analysis problems: what happened and what to do, in plain words, with a retry button. */
import { useI18n } from '../i18n/i18n.js';
import type { SessionView } from './studentSession.js';

export function Problems({
  view,
  onRetryCamera,
  onRetryModels,
}: {
  view: SessionView;
  onRetryCamera: () => void;
  onRetryModels: () => void;
}) {
  const { t } = useI18n();
  return (
    <>
      {view.camera && (
        <div
          role="alert"
          className="banner banner-error"
          data-testid="student-camera-error"
          data-problem={view.camera.problem}
        >
          <p>
            <strong>{t(`camera.${view.camera.problem}.message`)}</strong>{' '}
            {t(`camera.${view.camera.problem}.advice`)}
          </p>
          <button type="button" data-testid="camera-retry" className="btn" onClick={onRetryCamera}>
            {t('common.tryAgain')}
          </button>
        </div>
      )}
      {view.modelError && (
        <div role="alert" className="banner banner-error" data-testid="student-model-error">
          <p>
            <strong>{t('student.analysisFailed')}</strong> {t('student.analysisFailedAdvice')}
          </p>
          <details className="small-text">
            <summary>{t('student.forHelper')}</summary>
            <p>{view.modelError}</p>
          </details>
          <button type="button" data-testid="model-retry" className="btn" onClick={onRetryModels}>
            {t('common.tryAgain')}
          </button>
        </div>
      )}
      {view.phase === 'starting' && !view.camera && !view.modelError && (
        <p className="muted" data-testid="student-starting">
          {t('student.startingLong')}
        </p>
      )}
    </>
  );
}
