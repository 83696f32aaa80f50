/**
 * Status words and colours shared by the teacher dashboard and the student page, so both show the same
 * words and colours. The words depend on the session mode: in support mode a proctor alert is a calm
 * "Needs a look" (blue, never red); in exam mode it is a red "Exam alert". Grey for the statuses with no
 * analysis result to judge.
 */
import type { SessionMode, StudentStatus } from '@smartsession/protocol';
import type { MessageKey, Translate } from '../i18n/i18n.js';

/** Colour family of a status: the `tone-*` class of tiles, badges and swatches (tokens.css). */
export type StatusTone = 'green' | 'yellow' | 'red' | 'blue' | 'grey';

/**
 * Solid colours per tone, for what CSS cannot reach (chart lines and bands on a canvas). Keep in step with
 * `--tone-*` in tokens.css.
 */
export const TONE_COLOURS: Record<StatusTone, { colour: string; background: string }> = {
  green: { colour: '#1e9e4a', background: '#e6f4ea' },
  yellow: { colour: '#d9a400', background: '#fef6d8' },
  red: { colour: '#d93025', background: '#fce8e6' },
  blue: { colour: '#2f6fd0', background: '#e7effc' },
  grey: { colour: '#80868b', background: '#eef0f2' },
};

/** The tone of a status in a mode (`alert` is blue in support mode, red in exam mode). */
export function statusTone(status: StudentStatus, mode: SessionMode): StatusTone {
  switch (status) {
    case 'focused':
      return 'green';
    case 'confused':
      return 'yellow';
    case 'alert':
      return mode === 'exam' ? 'red' : 'blue';
    default:
      return 'grey';
  }
}

/** The message key of a status word in a mode. */
function statusKey(status: StudentStatus, mode: SessionMode): MessageKey {
  if (status === 'alert') return mode === 'exam' ? 'status.alert.exam' : 'status.alert.support';
  return `status.${status}`;
}

/** The word for a status ("Focused", "Needs a look", "Exam alert"). */
export function statusWord(t: Translate, status: StudentStatus, mode: SessionMode): string {
  return t(statusKey(status, mode));
}

/** True for the grey statuses (no analysis result to judge: calibrating, paused, camera off, no signal, offline). */
export function isGreyStatus(status: StudentStatus): boolean {
  return status !== 'focused' && status !== 'confused' && status !== 'alert';
}
