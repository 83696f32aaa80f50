import type { Direction, FrameResult } from '@smartsession/protocol';
import { describe, expect, it } from 'vitest';
import { ProctorTimeline, studentTimelineOptions, type TimelineOptions } from './timeline.js';

/** A frame as the engine would produce it; only the fields the timeline reads matter. */
function frame(
  o: { faces?: number; gaze?: Direction; score?: number; unreliable?: boolean; tilt?: number } = {},
): FrameResult {
  const faces = o.faces ?? 1;
  const score = o.score ?? 0.2;
  return {
    face_count: faces,
    status: faces === 0 ? 'NO PERSON' : faces > 1 ? 'MULTIPLE PEOPLE' : 'OK',
    emotion: null,
    happy_prob: null,
    gaze: faces ? (o.gaze ?? 'CENTER') : null,
    confused: score >= 0.58,
    confusion_score: score,
    head: faces ? { yaw: 0, pitch: 0, roll: 0 } : null,
    eyes: null,
    signals: null,
    contributions: faces ? { brow: score - (o.tilt ?? 0), happy: null, tilt: o.tilt ?? 0 } : null,
    quality: {
      brightness: o.unreliable ? 0.03 : 0.5,
      faceSize: faces ? 0.4 : null,
      confidence: faces ? 0.99 : null,
      unreliable: o.unreliable ?? false,
    },
  };
}

/** Runs a script of [from s, to s, frame] segments at 10 frames per second; returns the timeline. */
function run(script: [number, number, FrameResult][], options: Partial<TimelineOptions> = {}) {
  let now = 0;
  const tl = new ProctorTimeline(options, () => now);
  const seen = new Set<string>();
  for (const [from, to, f] of script) {
    for (let t = from * 1000; t < to * 1000 - 1e-6; t += 100) {
      now = Math.round(t);
      const s = tl.update(f);
      seen.add(s.alert ?? s.status);
    }
  }
  return { tl, seen, at: (t: number) => ((now = t * 1000), tl.tick()) };
}

describe('ProctorTimeline: gaze away', () => {
  it('[GAZE-1] a 3.9 s glance raises nothing', () => {
    const { seen, tl } = run([
      [0, 1, frame()],
      [1, 4.9, frame({ gaze: 'LEFT' })],
      [4.9, 7, frame()],
    ]);
    expect(seen.has('GAZE_AWAY')).toBe(false);
    expect(tl.state.status).toBe('focused');
  });

  it('[GAZE-2] 4.1 s away raises GAZE_AWAY with an observable reason; returning resets it', () => {
    let now = 0;
    const tl = new ProctorTimeline({}, () => now);
    now = 0;
    tl.update(frame());
    now = 1000;
    tl.update(frame({ gaze: 'RIGHT' }));
    now = 5000;
    expect(tl.update(frame({ gaze: 'RIGHT' })).alert).toBeNull();
    now = 5100;
    const s = tl.update(frame({ gaze: 'DOWN' }));
    expect(s).toMatchObject({
      status: 'alert',
      alert: 'GAZE_AWAY',
      since: 5100,
      reason: { code: 'LOOKING_AWAY', seconds: 4 },
    });
    now = 7000;
    expect(tl.update(frame({ gaze: 'RIGHT' })).reason).toEqual({ code: 'LOOKING_AWAY', seconds: 6 });
    expect(tl.state.since).toBe(5100);
    now = 7100;
    expect(tl.update(frame())).toMatchObject({ status: 'focused', alert: null, since: 7100, reason: null });
    now = 7200;
    tl.update(frame({ gaze: 'LEFT' }));
    now = 11000;
    expect(tl.update(frame({ gaze: 'LEFT' })).alert).toBeNull();
  });

  it('honours accommodations: a longer limit, or gaze checks off', () => {
    const long = run([[0, 9, frame({ gaze: 'LEFT' })]], { lookAwaySeconds: 10 });
    expect(long.seen.has('GAZE_AWAY')).toBe(false);
    expect(long.at(10.2).alert).toBe('GAZE_AWAY');
    const off = run([[0, 30, frame({ gaze: 'LEFT' })]], { gazeChecks: false });
    expect(off.seen.has('GAZE_AWAY')).toBe(false);
  });
});

describe('studentTimelineOptions (the accommodation rule)', () => {
  const settings = { mode: 'exam', lookAwaySeconds: 4 } as const;
  it('takes the session limit when the student has no accommodation', () => {
    expect(studentTimelineOptions(settings, {})).toEqual({
      mode: 'exam',
      lookAwaySeconds: 4,
      gazeChecks: true,
    });
  });
  it("a student's accommodation wins over the session's limit", () => {
    expect(studentTimelineOptions(settings, { lookAwaySeconds: 12, gazeChecks: false })).toEqual({
      mode: 'exam',
      lookAwaySeconds: 12,
      gazeChecks: false,
    });
  });
});

describe('ProctorTimeline: accommodations changed live', () => {
  it('turning gaze checks off ends a GAZE_AWAY alert at once', () => {
    const { tl } = run([[0, 5, frame({ gaze: 'UP' })]]);
    expect(tl.state.alert).toBe('GAZE_AWAY');
    expect(tl.setOptions({ gazeChecks: false }, 5000)).toMatchObject({
      status: 'focused',
      alert: null,
      since: 5000,
    });
    expect(tl.options.gazeChecks).toBe(false);
  });
});

describe('ProctorTimeline: people', () => {
  it('[PEOPLE-1] one empty frame raises nothing', () => {
    const { seen } = run([
      [0, 2, frame()],
      [2, 2.1, frame({ faces: 0 })],
      [2.1, 5, frame()],
    ]);
    expect([...seen]).toEqual(['focused']);
  });

  it('[PEOPLE-2] nobody for longer than the grace period raises NO_PERSON', () => {
    const { tl } = run([
      [0, 1, frame()],
      [1, 4.5, frame({ faces: 0 })],
    ]);
    expect(tl.state).toMatchObject({
      status: 'alert',
      alert: 'NO_PERSON',
      reason: { code: 'NO_ONE_IN_VIEW', seconds: 3 },
      since: 4000,
    });
  });

  it('[PEOPLE-3] a second face within the grace period raises nothing; past it MULTIPLE_PEOPLE', () => {
    const brief = run([
      [0, 1, frame()],
      [1, 2.9, frame({ faces: 2 })],
      [2.9, 4, frame()],
    ]);
    expect(brief.seen.has('MULTIPLE_PEOPLE')).toBe(false);
    const long = run([
      [0, 1, frame()],
      [1, 3.5, frame({ faces: 2 })],
    ]);
    expect(long.tl.state).toMatchObject({
      status: 'alert',
      alert: 'MULTIPLE_PEOPLE',
      reason: { code: 'PEOPLE_IN_VIEW', count: 2 },
      since: 3000,
    });
  });

  it('[LIGHT-1] dark frames without a face give no-signal, never NO_PERSON', () => {
    const { seen, tl } = run([
      [0, 1, frame()],
      [1, 10, frame({ faces: 0, unreliable: true })],
    ]);
    expect(seen.has('NO_PERSON')).toBe(false);
    expect(tl.state).toMatchObject({ status: 'no-signal', alert: null, reason: { code: 'TOO_DARK' } });
  });
});

describe('ProctorTimeline: confused hysteresis', () => {
  it('enters after 2 s above the threshold, leaves after 3 s clearly below it', () => {
    const { tl, seen } = run([
      [0, 1, frame()],
      [1, 2.5, frame({ score: 0.7 })],
      [2.5, 3, frame({ score: 0.3 })],
    ]);
    expect(seen.has('confused')).toBe(false);
    expect(tl.state.status).toBe('focused');
    const r = run([
      [0, 3.5, frame({ score: 0.7 })],
      [3.5, 6, frame({ score: 0.55 })],
    ]);
    expect(r.tl.state).toMatchObject({ status: 'confused', since: 2000 });
    expect(r.tl.state.reason).toEqual({ code: 'BROWS_LOWERED', seconds: 5 });
    const back = run([
      [0, 3, frame({ score: 0.7, tilt: 0.5 })],
      [3, 6.2, frame({ score: 0.3 })],
    ]);
    expect(back.tl.state.status).toBe('focused');
    expect(back.seen.has('confused')).toBe(true);
  });

  it('reasons stay observable: tilt-dominated confusion says so', () => {
    const { tl } = run([[0, 3, frame({ score: 0.7, tilt: 0.5 })]]);
    expect(tl.state.reason).toEqual({ code: 'HEAD_TILTED', seconds: 2 });
  });
});

describe('ProctorTimeline: page events', () => {
  it('support mode: paused shows paused; hidden raises nothing', () => {
    let now = 0;
    const tl = new ProctorTimeline({ mode: 'support' }, () => now);
    tl.update(frame());
    now = 1000;
    expect(tl.setHidden(true)).toMatchObject({ status: 'focused', alert: null });
    expect(tl.setPaused(true)).toMatchObject({ status: 'paused', alert: null, since: 1000 });
    now = 2000;
    expect(tl.setPaused(false).status).toBe('focused');
  });

  it('exam mode: paused and hidden raise PAUSED and TAB_HIDDEN', () => {
    let now = 0;
    const tl = new ProctorTimeline({ mode: 'exam' }, () => now);
    tl.update(frame());
    now = 500;
    expect(tl.setHidden(true)).toMatchObject({ status: 'alert', alert: 'TAB_HIDDEN', since: 500 });
    expect(tl.setHidden(false).status).toBe('focused');
    expect(tl.setPaused(true)).toMatchObject({ status: 'alert', alert: 'PAUSED' });
  });

  it('camera off and calibrating override frames, and restart the timers', () => {
    let now = 0;
    const tl = new ProctorTimeline({}, () => now);
    tl.update(frame({ gaze: 'LEFT' }));
    now = 3000;
    expect(tl.setCameraOff(true)).toMatchObject({ status: 'camera-off', reason: { code: 'CAMERA_OFF' } });
    now = 3500;
    tl.setCameraOff(false);
    expect(tl.setCalibrating(true).status).toBe('calibrating');
    now = 6000;
    expect(tl.update(frame({ gaze: 'LEFT' })).status).toBe('calibrating');
    tl.setCalibrating(false);
    now = 6100;
    tl.update(frame({ gaze: 'LEFT' }));
    now = 9000;
    expect(tl.update(frame({ gaze: 'LEFT' })).alert).toBeNull();
    now = 10200;
    expect(tl.update(frame({ gaze: 'LEFT' })).alert).toBe('GAZE_AWAY');
  });
});
