/** The student's own status in the same words and colours as the teacher's tile, with its reason. */
import { useI18n } from '../i18n/i18n.js';
import { statusTone, statusWord } from '../shared/status.js';
import { tileReason } from '../shared/reason.js';
import type { SessionView } from './studentSession.js';

export function StatusBadge({ view }: { view: SessionView }) {
  const { t } = useI18n();
  const mode = view.settings.mode;
  const starting = view.phase === 'starting';
  const detail = starting
    ? t('student.starting')
    : tileReason(t, { ...view, lostSince: null }, view.settings.emotion);
  return (
    <div
      data-testid="student-status"
      data-status={view.status}
      data-alert={view.alert ?? undefined}
      role="status"
      className={`student-status tone-${statusTone(view.status, mode)}`}
    >
      <strong className="student-status-word">{statusWord(t, view.status, mode)}</strong>
      {detail && <span>{detail}</span>}
      <span className="student-status-note">{t('student.sameAsTeacher')}</span>
    </div>
  );
}
