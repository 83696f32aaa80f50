/** The student's own status in the same words and colours as the teacher's tile. */
import { STATUS_LOOK } from '../shared/status.js';
import { alertWord } from '../shared/alerts.js';
import type { SessionView } from './studentSession.js';

export function StatusBadge({ view }: { view: SessionView }) {
  const look = STATUS_LOOK[view.status];
  const detail = view.status === 'alert' ? alertWord(view.alert) : view.reason;
  return (
    <div
      data-testid="student-status"
      data-status={view.status}
      data-alert={view.alert ?? undefined}
      role="status"
      aria-live="polite"
      style={{
        display: 'flex',
        alignItems: 'center',
        gap: '0.75rem',
        padding: '0.75rem 1rem',
        borderRadius: 8,
        background: look.background,
        borderLeft: `6px solid ${look.colour}`,
        margin: '0 0 1rem',
      }}
    >
      <strong style={{ color: look.colour, fontSize: '1.2rem' }}>{look.word}</strong>
      {detail && <span>{detail}</span>}
      <span style={{ marginLeft: 'auto', fontSize: '0.85rem', color: '#5f6368' }}>
        This is what your teacher sees
      </span>
    </div>
  );
}
