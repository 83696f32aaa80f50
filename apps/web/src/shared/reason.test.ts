import { describe, expect, it } from 'vitest';
import type { FrameResult } from '@smartsession/protocol';
import { reasonWords, tileReason, topCue, type ReasonInput } from './reason.js';
import { isGreyStatus, statusTone, statusWord } from './status.js';
import { translate, type Translate } from '../i18n/i18n.js';

const en: Translate = (key, values) => translate(key, values, 'en');
const es: Translate = (key, values) => translate(key, values, 'es');

const frame = (over: Partial<FrameResult> = {}): FrameResult => ({
  face_count: 1,
  status: 'OK',
  emotion: null,
  happy_prob: null,
  gaze: 'CENTER',
  confused: true,
  confusion_score: 0.7,
  head: { yaw: 0, pitch: 0, roll: 0 },
  eyes: 'CENTER',
  signals: { brow: 0.5, happy: 0.9, tilt: 0.1 },
  contributions: { brow: 0.2, happy: 0.45, tilt: 0.05 },
  ...over,
});

const st = (over: Partial<ReasonInput>): ReasonInput => ({
  status: 'focused',
  alert: null,
  reason: null,
  lostSince: null,
  frame: null,
  ...over,
});

describe('[issue 11] status words by mode', () => {
  it('support mode never says "Proctor Alert" and is never red; exam mode speaks of exams', () => {
    expect([statusWord(en, 'alert', 'support'), statusTone('alert', 'support')]).toEqual([
      'Needs a look',
      'blue',
    ]);
    expect([statusWord(en, 'alert', 'exam'), statusTone('alert', 'exam')]).toEqual(['Exam alert', 'red']);
    expect(statusWord(es, 'alert', 'support')).toBe('Para revisar');
    expect([statusWord(en, 'focused', 'support'), statusTone('focused', 'exam')]).toEqual([
      'Focused',
      'green',
    ]);
    expect([statusWord(en, 'confused', 'exam'), statusTone('confused', 'support')]).toEqual([
      'Confused',
      'yellow',
    ]);
    for (const s of ['calibrating', 'paused', 'camera-off', 'no-signal', 'offline'] as const) {
      expect(isGreyStatus(s)).toBe(true);
      expect(statusTone(s, 'exam')).toBe('grey');
    }
  });
});

describe('[issue 11] one vocabulary of reasons', () => {
  it('renders reason codes with their parameters', () => {
    expect(reasonWords(en, { code: 'LOOKING_AWAY', seconds: 6 })).toBe('Looking away for 6 seconds');
    expect(reasonWords(en, { code: 'NO_ONE_IN_VIEW', seconds: 4 })).toBe('No one in view for 4 seconds');
    expect(reasonWords(es, { code: 'BROWS_LOWERED', seconds: 1 })).toBe(
      'Cejas fruncidas desde hace 1 segundo',
    );
  });

  it('a tile shows the reason without its time, and never repeats the status word', () => {
    expect(
      tileReason(
        en,
        st({ status: 'alert', alert: 'GAZE_AWAY', reason: { code: 'LOOKING_AWAY', seconds: 6 } }),
        'on',
      ),
    ).toBe('Looking away');
    expect(tileReason(en, st({ status: 'camera-off', reason: { code: 'CAMERA_OFF' } }), 'on')).toBeNull();
    expect(tileReason(en, st({ status: 'calibrating', reason: { code: 'CALIBRATING' } }), 'on')).toBeNull();
    expect(tileReason(en, st({ status: 'offline', reason: { code: 'LOOKING_AWAY' } }), 'on')).toBeNull();
  });

  it('the same event has the same words everywhere (no "Nobody in frame" next to "No one in view")', () => {
    expect(tileReason(en, st({ status: 'alert', alert: 'NO_PERSON' }), 'on')).toBe(
      tileReason(
        en,
        st({ status: 'alert', alert: 'NO_PERSON', reason: { code: 'NO_ONE_IN_VIEW', seconds: 9 } }),
        'on',
      ),
    );
    expect(
      tileReason(
        en,
        st({ status: 'alert', alert: 'MULTIPLE_PEOPLE', frame: frame({ face_count: 3 }) }),
        'on',
      ),
    ).toBe('3 people in view');
  });

  it('names the largest score part; never the emotion one when emotion is off or the student did not agree', () => {
    expect(topCue(frame(), 'on')).toBe('happy');
    expect(topCue(frame(), 'off')).toBe('brow');
    // Emotion turned on mid-session for a student who never agreed: the frame carries no emotion value.
    const noConsent = frame({
      signals: { brow: 0.5, happy: null, tilt: 0.1 },
      contributions: { brow: 0.2, happy: null, tilt: 0.05 },
    });
    expect(topCue(noConsent, 'on')).toBe('brow');
    expect(tileReason(en, st({ status: 'confused', frame: frame() }), 'off')).toBe('Brows lowered');
    expect(topCue(null, 'on')).toBeNull();
  });
});
