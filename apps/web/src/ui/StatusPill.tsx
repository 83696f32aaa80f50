/** A status word on its tone's colours (text contrast AA on every tone). */
import type { SessionMode, StudentStatus } from '@smartsession/protocol';
import { useI18n } from '../i18n/i18n.js';
import { statusTone, statusWord } from '../shared/status.js';

/** The pill (`tone-*` classes from tokens.css). */
export function StatusPill({
  status,
  mode,
  large = false,
}: {
  status: StudentStatus;
  mode: SessionMode;
  large?: boolean;
}) {
  const { t } = useI18n();
  return (
    <span className={`pill tone-${statusTone(status, mode)}${large ? ' pill-large' : ''}`}>
      {statusWord(t, status, mode)}
    </span>
  );
}
