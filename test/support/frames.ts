import type { FrameResult } from '@smartsession/protocol';

/** A valid per-frame JSON of one face looking at the screen, emotion off (about 300 bytes); `over` changes fields. */
export const okFrame = (over: Partial<FrameResult> = {}): FrameResult => ({
  face_count: 1,
  status: 'OK',
  emotion: null,
  happy_prob: null,
  gaze: 'CENTER',
  confused: false,
  confusion_score: 0.2,
  head: { yaw: 1.5, pitch: -2.25, roll: 0.5 },
  eyes: 'CENTER',
  signals: { brow: 0.1, happy: null, tilt: 0.05 },
  contributions: { brow: 0.05, happy: null, tilt: 0.01 },
  ...over,
});
