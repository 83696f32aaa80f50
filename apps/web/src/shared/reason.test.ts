import { describe, expect, it } from 'vitest';
import type { FrameResult } from '@smartsession/protocol';
import { reasonText, topContributionWord, type ReasonInput } from './reason.js';
import { alertTitle, alertWord } from './alerts.js';
import { STATUS_LOOK, isGreyStatus, statusTone, statusWord } from './status.js';
import { formatDuration } from './time.js';

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

describe('status words and colours', () => {
  it('follow the seed: green Focused, yellow Confused, red Proctor Alert, grey for the rest', () => {
    expect([statusWord('focused'), statusTone('focused')]).toEqual(['Focused', 'green']);
    expect([statusWord('confused'), statusTone('confused')]).toEqual(['Confused', 'yellow']);
    expect([statusWord('alert'), statusTone('alert')]).toEqual(['Proctor Alert', 'red']);
    for (const s of ['calibrating', 'paused', 'camera-off', 'no-signal', 'offline'] as const) {
      expect(isGreyStatus(s)).toBe(true);
      expect(STATUS_LOOK[s].colour).toBe(STATUS_LOOK.offline.colour);
    }
    expect(isGreyStatus('confused')).toBe(false);
  });
});

describe('reasonText', () => {
  it("prefers the engine's own words and puts a standing I'm lost press first", () => {
    expect(reasonText(st({ status: 'alert', alert: 'GAZE_AWAY', reason: 'Looking away 6 s' }), 'on')).toBe(
      'Looking away 6 s',
    );
    expect(reasonText(st({ status: 'confused', lostSince: 1, reason: 'Brows drawn together' }), 'on')).toBe(
      "Pressed I'm lost · Brows drawn together",
    );
  });

  it('derives words when the engine sent none: people count, alert words, grey statuses', () => {
    expect(
      reasonText(st({ status: 'alert', alert: 'MULTIPLE_PEOPLE', frame: frame({ face_count: 2 }) }), 'on'),
    ).toBe('2 people');
    expect(reasonText(st({ status: 'alert', alert: 'NO_PERSON' }), 'on')).toBe(alertWord('NO_PERSON'));
    expect(reasonText(st({ status: 'offline', lostSince: 3, reason: 'stale' }), 'on')).toBe('Disconnected');
    expect(reasonText(st({ status: 'camera-off' }), 'on')).toBe('Camera is off');
  });

  it('names the largest score contribution, never the emotion one when emotion is off', () => {
    expect(topContributionWord(frame(), 'on')).toBe('Not smiling');
    expect(topContributionWord(frame(), 'off')).toBe('Brows drawn together');
    expect(reasonText(st({ status: 'confused', frame: frame() }), 'off')).toBe('Brows drawn together');
    expect(topContributionWord(null, 'on')).toBeNull();
  });
});

describe('alert words and durations', () => {
  it('titles alerts and self-reports', () => {
    expect(alertTitle('self_report', null)).toBe("Pressed I'm lost");
    expect(alertTitle('proctor', 'GAZE_AWAY')).toBe('Looking away');
    expect(alertWord('SOMETHING_NEW')).toBe('SOMETHING_NEW');
  });

  it('formats durations coarsely', () => {
    expect(formatDuration(-5)).toBe('0 s');
    expect(formatDuration(6400)).toBe('6 s');
    expect(formatDuration(125_000)).toBe('2 min 05 s');
    expect(formatDuration(3_900_000)).toBe('1 h 05 min');
  });
});
