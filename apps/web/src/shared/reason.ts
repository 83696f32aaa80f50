/**
 * The one vocabulary of reasons: a protocol {@link Reason} (a code with parameters, as the engine and the
 * server send it) in the reader's language, and the words for alert codes and score cues. Pure apart from
 * the translator it is given.
 */
import type {
  AlertCode,
  EmotionSetting,
  Reason,
  ReasonCode,
  StudentState,
  StudentStatus,
} from '@smartsession/protocol';
import type { MessageKey, Translate } from '../i18n/i18n.js';

/** The parts of a student's state the reason depends on. */
export type ReasonInput = Pick<StudentState, 'status' | 'alert' | 'reason' | 'lostSince' | 'frame'>;

/** Reasons that only repeat the status word ("Camera off" on a "Camera off" tile): not shown twice. */
const SAME_AS_STATUS: Partial<Record<ReasonCode, StudentStatus>> = {
  CAMERA_OFF: 'camera-off',
  PAUSED: 'paused',
  CALIBRATING: 'calibrating',
};

/** Whether a reason says more than the status word it comes with (not "Camera off" on "Camera off"). */
export function reasonAdds(reason: Reason, status: StudentStatus): boolean {
  return SAME_AS_STATUS[reason.code] !== status;
}

/** A reason in words, with its parameters ("Looking away for 6 s", "2 people in view"). */
export function reasonWords(t: Translate, reason: Reason): string {
  return t(`reason.${reason.code}`, { seconds: reason.seconds ?? 0, count: reason.count ?? 2, time: 'yes' });
}

/** A reason in words without its time ("Looking away"): for tiles, which show a live "for 19 s" instead. */
function reasonLabel(t: Translate, reason: Reason): string {
  return t(`reason.${reason.code}`, { seconds: 0, count: reason.count ?? 2, time: 'no' });
}

/** The word for an alert code ("Looking away", "Left the page"). */
export function alertWord(t: Translate, code: AlertCode | null): string {
  return code ? t(`alert.${code}`) : '';
}

/** Score inputs, in the order they are shown. */
export const CUES = ['brow', 'happy', 'tilt'] as const;
/** A score input. */
export type Cue = (typeof CUES)[number];

/** The words of a score input ("Brows lowered", "Not smiling", "Head tilted"). */
export function cueWord(t: Translate, cue: Cue): string {
  return t(`cue.${cue}` as MessageKey);
}

/**
 * Whether the emotion cue may be shown for a frame: the session has emotion on and the frame carries an
 * emotion value (the student agreed; otherwise the server and the device strip it).
 */
export function emotionShown(frame: StudentState['frame'], emotion: EmotionSetting): boolean {
  return emotion === 'on' && frame?.contributions?.happy != null;
}

/** The score input that adds most to the confusion score; `happy` only where {@link emotionShown}. */
export function topCue(frame: StudentState['frame'], emotion: EmotionSetting): Cue | null {
  const c = frame?.contributions;
  if (!c) return null;
  let best: Cue | null = null;
  let bestValue = 0;
  for (const key of CUES) {
    if (key === 'happy' && !emotionShown(frame, emotion)) continue;
    const v = c[key];
    if (v !== null && v > bestValue) {
      best = key;
      bestValue = v;
    }
  }
  return best;
}

/**
 * The reason a tile shows under its status word, or null when there is nothing to add: the reason the
 * student's engine sent (without its time: the tile counts that live), else one derived from the status,
 * alert code and frame. Never repeats the status word.
 */
export function tileReason(t: Translate, s: ReasonInput, emotion: EmotionSetting): string | null {
  if (s.status === 'offline') return null;
  if (s.reason && reasonAdds(s.reason, s.status)) return reasonLabel(t, s.reason);
  switch (s.status) {
    case 'alert':
      if (s.alert === 'MULTIPLE_PEOPLE' && s.frame && s.frame.face_count > 1)
        return reasonLabel(t, { code: 'PEOPLE_IN_VIEW', count: s.frame.face_count });
      return alertWord(t, s.alert) || null;
    case 'confused': {
      const cue = topCue(s.frame, emotion);
      return cue ? cueWord(t, cue) : null;
    }
    case 'no-signal':
      return s.frame?.quality?.unreliable ? reasonLabel(t, { code: 'FACE_NOT_CLEAR' }) : null;
    default:
      return null;
  }
}
