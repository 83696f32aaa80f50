/**
 * The reason a tile gives for its status, in observable words ("Looking away", "2 people",
 * "Pressed I'm lost"). Pure: takes the student's state, returns text.
 */
import type { EmotionSetting, StudentState } from '@smartsession/protocol';
import { alertWord } from './alerts.js';

/** The parts of a student's state the reason depends on. */
export type ReasonInput = Pick<StudentState, 'status' | 'alert' | 'reason' | 'lostSince' | 'frame'>;

const CONTRIBUTION_WORDS: Record<'brow' | 'happy' | 'tilt', string> = {
  brow: 'Brows drawn together',
  happy: 'Not smiling',
  tilt: 'Head tilted',
};

/** The score input that adds most to the confusion score, in words; `happy` is skipped when emotion is off. */
export function topContributionWord(frame: StudentState['frame'], emotion: EmotionSetting): string | null {
  const c = frame?.contributions;
  if (!c) return null;
  let best: 'brow' | 'happy' | 'tilt' | null = null;
  let bestValue = 0;
  for (const key of ['brow', 'happy', 'tilt'] as const) {
    if (key === 'happy' && emotion === 'off') continue;
    const v = c[key];
    if (v !== null && v > bestValue) {
      best = key;
      bestValue = v;
    }
  }
  return best ? CONTRIBUTION_WORDS[best] : null;
}

function statusReason(s: ReasonInput, emotion: EmotionSetting): string {
  switch (s.status) {
    case 'alert': {
      if (s.alert === 'MULTIPLE_PEOPLE' && s.frame && s.frame.face_count > 1)
        return `${s.frame.face_count} people`;
      return alertWord(s.alert) || 'Proctor alert';
    }
    case 'confused':
      return topContributionWord(s.frame, emotion) ?? 'Confusion score high';
    case 'focused':
      return 'Following';
    case 'calibrating':
      return 'Calibrating';
    case 'paused':
      return 'Paused by the student';
    case 'camera-off':
      return 'Camera is off';
    case 'no-signal':
      return s.frame?.quality?.unreliable ? 'Face not clear enough' : 'No analysis result';
    case 'offline':
      return 'Disconnected';
  }
}

/**
 * The reason text of a tile. Prefers the reason the student's engine sent; otherwise derives one from the
 * status, alert code and frame. A standing "I'm lost" press comes first.
 * @param emotion when `off`, nothing emotion-shaped is produced
 */
export function reasonText(s: ReasonInput, emotion: EmotionSetting): string {
  const base = s.reason && s.status !== 'offline' ? s.reason : statusReason(s, emotion);
  return s.lostSince !== null && s.status !== 'offline' ? `Pressed I'm lost · ${base}` : base;
}
