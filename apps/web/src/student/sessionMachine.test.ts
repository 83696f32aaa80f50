import { describe, expect, it } from 'vitest';
import type { FrameResult, SequencedMessage, SessionSettings, WelcomeMessage } from '@smartsession/protocol';
import type { TimelineState } from '@smartsession/engine';
import { CAMERA_ENDED, describeCameraError } from './camera.js';
import {
  CALIBRATION_TIMEOUT_MS,
  CAMERA_RETRY_MS,
  initialSession,
  MAX_FRAME_ERRORS,
  MODEL_RETRY_MS,
  reduceSession,
  type SessionEffect,
  type SessionEvent,
  type SessionState,
} from './sessionMachine.js';
import type { TelemetryStats } from './telemetryClient.js';

const settings: SessionSettings = { mode: 'support', emotion: 'off', lookAwaySeconds: 4, anonymous: false };
const calibrating: TimelineState = { status: 'calibrating', alert: null, since: 0, reason: null };
const focused: TimelineState = { status: 'focused', alert: null, since: 10, reason: null };
const stats = (connected = true): TelemetryStats => ({
  ...initialSession(settings, calibrating, false).view.telemetry,
  connected,
});
const frame: FrameResult = {
  face_count: 1,
  status: 'OK',
  emotion: 'Happy / Engaged',
  happy_prob: 0.9,
  gaze: 'CENTER',
  confused: false,
  confusion_score: 0.2,
  head: { yaw: 0, pitch: 0, roll: 0 },
  eyes: null,
  signals: null,
  contributions: null,
};

/** Feeds events one after another (each at `now`), collecting the state and every effect. */
function drive(events: SessionEvent[], from?: SessionState, now = 1000) {
  let state = from ?? initialSession(settings, calibrating, false);
  const effects: SessionEffect[] = [];
  for (const e of events) {
    const step = reduceSession(state, e, now);
    state = step.state;
    effects.push(...step.effects);
  }
  return { state, effects, types: effects.map((e) => (e.type === 'loop' ? `loop:${e.action}` : e.type)) };
}

const result = (tMs: number, over: Partial<{ active: boolean; done: boolean }> = {}): SessionEvent => ({
  type: 'result',
  result: {
    type: 'result',
    id: 1,
    tMs,
    frame,
    overlay: null,
    analysisMs: 40,
    calibration: { active: over.active ?? false, progress: 1, done: over.done ?? true },
  },
  perfNow: tMs,
  averageMs: 40,
  dropped: 0,
});

/** Started, models loaded, camera open, video attached: the session runs. */
const running = () =>
  drive([
    { type: 'start' },
    { type: 'models-ready', backend: 'wasm' },
    { type: 'camera-opened' },
    { type: 'video', attached: true },
  ]);

describe('student session reducer: phases', () => {
  it('starts in "starting", calibrating, and start connects, loads models and opens the camera', () => {
    const { state, types, effects } = drive([{ type: 'start' }]);
    expect(state.view.phase).toBe('starting');
    expect(state.view.status).toBe('calibrating');
    expect(types).toEqual(['connect', 'heartbeat', 'watch-page', 'timeline', 'load-models', 'open-camera']);
    expect(effects).toContainEqual({ type: 'load-models', emotion: 'off' });
  });

  it('starting → running once models and camera are ready (either order); the loop waits for the video', () => {
    const a = drive([{ type: 'start' }, { type: 'models-ready', backend: 'wasm' }]);
    expect(a.state.view.phase).toBe('starting');
    const b = drive([{ type: 'camera-opened' }], a.state);
    expect(b.state.view.phase).toBe('running');
    expect(b.types).not.toContain('loop:create');
    const c = drive([{ type: 'video', attached: true }], b.state);
    expect(c.types).toEqual([
      'show-stream',
      'loop:create',
      'calibrate',
      'timeline',
      'set-timer',
      'evaluate',
      'loop:start',
    ]);
    expect(c.state.loop).toBe('running');
    expect(c.state.view.calibration.active).toBe(true);

    const other = drive([
      { type: 'start' },
      { type: 'camera-opened' },
      { type: 'models-ready', backend: 'webgl' },
    ]);
    expect(other.state.view.phase).toBe('running');
    expect(other.state.view.backend).toBe('webgl');
  });

  it('starting → camera-error → running: a busy camera is retried after a few seconds', () => {
    const busy = describeCameraError({ name: 'NotReadableError' });
    const failed = drive([
      { type: 'start' },
      { type: 'models-ready', backend: 'wasm' },
      { type: 'camera-failed', failure: busy },
    ]);
    expect(failed.state.view.phase).toBe('camera-error');
    expect(failed.effects).toContainEqual({ type: 'set-timer', timer: 'camera-retry', ms: CAMERA_RETRY_MS });
    const retry = drive([{ type: 'timer', timer: 'camera-retry' }], failed.state);
    expect(retry.types).toEqual(['open-camera']);
    const ok = drive([{ type: 'camera-opened' }], retry.state);
    expect(ok.state.view.phase).toBe('running');
    expect(ok.state.view.camera).toBeNull();
  });

  it('a refused camera is not retried on a timer: the permission is watched instead (once)', () => {
    const denied = describeCameraError({ name: 'NotAllowedError' });
    const a = drive([{ type: 'start' }, { type: 'camera-failed', failure: denied }]);
    expect(a.state.view.phase).toBe('camera-error');
    expect(a.types).toContain('watch-permission');
    expect(a.types).not.toContain('set-timer');
    const b = drive([{ type: 'retry-camera' }, { type: 'camera-failed', failure: denied }], a.state);
    expect(b.types.filter((t) => t === 'watch-permission')).toHaveLength(0);
    expect(drive([{ type: 'permission-changed' }], b.state).types).toEqual(['open-camera']);
  });

  it('starting → model-error → starting (automatic retry) → running', () => {
    const failed = drive([
      { type: 'start' },
      { type: 'camera-opened' },
      { type: 'models-failed', message: 'no wasm' },
    ]);
    expect(failed.state.view.phase).toBe('model-error');
    expect(failed.state.view.modelError).toBe('The analysis could not start: no wasm');
    expect(failed.effects).toContainEqual({ type: 'set-timer', timer: 'model-retry', ms: MODEL_RETRY_MS });
    const retry = drive([{ type: 'timer', timer: 'model-retry' }], failed.state);
    expect(retry.state.view.phase).toBe('starting');
    expect(retry.types).toEqual(['load-models']);
    expect(drive([{ type: 'models-ready', backend: 'wasm' }], retry.state).state.view.phase).toBe('running');
  });

  it('a retry by hand cancels the pending automatic one', () => {
    const failed = drive([{ type: 'start' }, { type: 'models-failed', message: 'x' }]);
    expect(drive([{ type: 'retry-models' }], failed.state).types).toEqual(['cancel-timer', 'load-models']);
  });

  it('a camera problem shows before a model problem', () => {
    const { state } = drive([
      { type: 'start' },
      { type: 'models-failed', message: 'x' },
      { type: 'camera-failed', failure: describeCameraError({ name: 'NotFoundError' }) },
    ]);
    expect(state.view.phase).toBe('camera-error');
  });

  it('running → camera-error when the camera goes away: loop dropped, stream released, retried', () => {
    const { state, types } = drive([{ type: 'camera-lost' }], running().state);
    expect(state.view.phase).toBe('camera-error');
    expect(state.view.camera).toBe(CAMERA_ENDED);
    expect(state.loop).toBe('none');
    expect(types).toEqual(['loop:drop', 'release-camera', 'timeline', 'evaluate', 'set-timer']);
  });

  it(`running → model-error after ${MAX_FRAME_ERRORS} frame failures in a row (one odd frame is nothing)`, () => {
    const errors = (n: number): SessionEvent[] =>
      Array.from({ length: n }, () => ({ type: 'frame-error', message: 'boom' }));
    const few = drive(
      [...errors(MAX_FRAME_ERRORS - 1), result(2000), ...errors(MAX_FRAME_ERRORS - 1)],
      running().state,
    );
    expect(few.state.view.phase).toBe('running');
    const broken = drive(errors(1), few.state);
    expect(broken.state.view.phase).toBe('model-error');
    expect(broken.state.view.modelError).toBe('The analysis stopped working: boom');
    expect(broken.types).toEqual(['loop:drop', 'set-timer', 'evaluate']);
    expect(drive(errors(3), broken.state).effects).toEqual([]);
  });

  it('running → ended: everything stops, and later events change nothing', () => {
    const { state, types } = drive(
      [{ type: 'telemetry', event: { type: 'ended' }, stats: stats() }],
      running().state,
    );
    expect(state.view.phase).toBe('ended');
    expect(types).toEqual([
      'heartbeat',
      'watch-page',
      'cancel-timer',
      'loop:stop',
      'release-camera',
      'stop-analysis',
    ]);
    const after = drive([{ type: 'models-ready', backend: 'wasm' }, { type: 'camera-opened' }], state);
    expect(after.state.view.phase).toBe('ended');
    expect(after.types).not.toContain('heartbeat');
  });

  it('running → refused keeps the server reason', () => {
    const error = { code: 'SESSION_ENDED', message: 'This class has ended.' } as const;
    const { state } = drive(
      [{ type: 'telemetry', event: { type: 'refused', error }, stats: stats(false) }],
      running().state,
    );
    expect(state.view.phase).toBe('refused');
    expect(state.view.refused).toEqual(error);
    expect(state.view.telemetry.connected).toBe(false);
  });

  it('dispose stops everything and closes the connection; a camera that opens afterwards is closed', () => {
    const { state, types } = drive([{ type: 'dispose' }], running().state);
    expect(state.disposed).toBe(true);
    expect(types.at(-1)).toBe('disconnect');
    expect(types).toContain('release-camera');
    expect(drive([{ type: 'camera-opened' }], state).types).toEqual(['release-camera']);
    expect(drive([{ type: 'heartbeat' }, { type: 'toggle-lost' }], state).effects).toEqual([]);
  });
});

describe('student session reducer: calibration, pause, telemetry', () => {
  it('a fresh result with calibration finished ends the calibration; older frames do not', () => {
    const start = running();
    expect(start.state.calibrationRequestedAt).toBe(1000);
    const stale = drive([result(900, { active: false, done: true })], start.state);
    expect(stale.state.view.calibration.active).toBe(true);
    expect(stale.types).toEqual(['timeline', 'evaluate']);
    const fresh = drive([result(1100, { active: false, done: true })], stale.state);
    expect(fresh.state.view.calibration).toEqual({ active: false, progress: 1, done: true });
    expect(fresh.types).toEqual(['cancel-timer', 'timeline', 'timeline', 'evaluate']);
    expect(fresh.state.view.analysed).toBe(2);
  });

  it('a calibration that never finishes ends on its timer', () => {
    const start = running();
    expect(start.effects).toContainEqual({
      type: 'set-timer',
      timer: 'calibration',
      ms: CALIBRATION_TIMEOUT_MS,
    });
    const { state, effects } = drive([{ type: 'timer', timer: 'calibration' }], start.state, 11_000);
    expect(state.view.calibration.active).toBe(false);
    expect(effects).toEqual([{ type: 'timeline', call: { op: 'calibrating', on: false, t: 11_000 } }]);
  });

  it('recalibrating needs models and a camera', () => {
    expect(drive([{ type: 'start' }, { type: 'recalibrate' }]).types).not.toContain('calibrate');
    expect(drive([{ type: 'recalibrate' }], running().state).types).toContain('calibrate');
  });

  it('pause stops the loop and hides the overlay; resume starts it again without a new calibration', () => {
    const paused = drive([{ type: 'pause', paused: true }], running().state);
    expect(paused.types).toEqual(['timeline', 'loop:stop', 'evaluate']);
    expect(paused.state.view.paused).toBe(true);
    expect(drive([result(2000)], paused.state).state.view.analysed).toBe(0);
    const resumed = drive([{ type: 'pause', paused: false }], paused.state);
    expect(resumed.types).toEqual(['timeline', 'loop:start', 'evaluate']);
  });

  it('a tick sends at once on a change, then about 3 a second; sent messages reach the view', () => {
    const start = running().state;
    const first = drive([{ type: 'tick', timeline: focused, stats: stats() }], start, 5000);
    expect(first.effects).toEqual([
      { type: 'send', message: { type: 'telemetry', t: 5000, ...focused, frame: null, analysis: 'browser' } },
    ]);
    expect(first.state.view.status).toBe('focused');
    expect(drive([{ type: 'tick', timeline: focused, stats: stats() }], first.state, 5100).effects).toEqual(
      [],
    );
    expect(drive([{ type: 'tick', timeline: focused, stats: stats() }], first.state, 5400).types).toEqual([
      'send',
    ]);
    const message = {
      type: 'telemetry',
      seq: 1,
      t: 5000,
      ...focused,
      frame: null,
    } as unknown as SequencedMessage;
    expect(drive([{ type: 'sent', message, stats: stats() }], first.state).state.view.lastMessage).toBe(
      message,
    );
  });

  it('without emotion consent the frame sent carries no emotion; a broken model reports no-signal', () => {
    const withFrame = drive([result(2000)], running().state).state;
    const sent = drive([{ type: 'tick', timeline: focused, stats: stats() }], withFrame).effects[0];
    expect(
      sent?.type === 'send' && sent.message.type === 'telemetry' && sent.message.frame?.emotion,
    ).toBeNull();
    const broken = drive(
      Array.from({ length: MAX_FRAME_ERRORS }, () => ({ type: 'frame-error', message: 'x' }) as const),
      withFrame,
    ).state;
    const tick = drive([{ type: 'tick', timeline: focused, stats: stats() }], broken);
    expect(tick.state.view.status).toBe('no-signal');
    expect(tick.state.view.reason).toEqual({ code: 'ANALYSIS_UNAVAILABLE' });
  });

  it('settings that turn emotion on (with consent) reload the models; accommodations reach the timeline', () => {
    const consent = initialSession(settings, calibrating, true);
    const base = drive(
      [
        { type: 'start' },
        { type: 'models-ready', backend: 'wasm' },
        { type: 'camera-opened' },
        { type: 'video', attached: true },
      ],
      consent,
    ).state;
    const welcome: WelcomeMessage = {
      type: 'welcome',
      protocol: 1,
      participantId: 'p',
      sessionId: 's',
      name: 'Sam',
      settings: { ...settings, emotion: 'on' },
      accommodations: { lookAwaySeconds: 9 },
      lastSeq: 0,
      maxSeq: 0,
    };
    const { state, effects } = drive(
      [{ type: 'telemetry', event: { type: 'welcome', welcome }, stats: stats() }],
      base,
    );
    expect(effects).toContainEqual({
      type: 'timeline',
      call: { op: 'options', options: { mode: 'support', lookAwaySeconds: 9, gazeChecks: true } },
    });
    expect(effects).toContainEqual({ type: 'load-models', emotion: 'on' });
    expect(state.view.phase).toBe('starting');
    // Without consent the same settings change nothing about the models.
    const noConsent = drive(
      [{ type: 'telemetry', event: { type: 'welcome', welcome }, stats: stats() }],
      running().state,
    );
    expect(noConsent.types).not.toContain('load-models');
  });

  it('"I\'m lost" toggles and is sent as a self-report', () => {
    const a = drive([{ type: 'toggle-lost' }], running().state, 3000);
    expect(a.state.view.lost).toBe(true);
    expect(a.effects).toEqual([{ type: 'send', message: { type: 'self_report', t: 3000, kind: 'lost' } }]);
    expect(drive([{ type: 'toggle-lost' }], a.state).effects).toEqual([
      { type: 'send', message: { type: 'self_report', t: 1000, kind: 'resolved' } },
    ]);
  });

  it('the page hidden goes to the timeline; a refused message is shown with its time', () => {
    expect(drive([{ type: 'page', hidden: true }], running().state, 7).effects).toEqual([
      { type: 'timeline', call: { op: 'hidden', on: true, t: 7 } },
    ]);
    const error = { code: 'BAD_MESSAGE', message: 'clock far off' } as const;
    const { state } = drive(
      [{ type: 'telemetry', event: { type: 'rejected', error, seq: 3 }, stats: stats() }],
      running().state,
      42,
    );
    expect(state.view.rejected).toEqual({ message: 'clock far off', at: 42 });
  });
});

describe('student session reducer: analysis on the server (issue 14)', () => {
  const allowing: SessionSettings = { ...settings, serverAnalysis: true };
  const slow = (n: number): SessionEvent => {
    const e = result(2000 + n);
    return e.type === 'result' ? { ...e, averageMs: 900 } : e;
  };

  it('agreed on the consent screen and allowed: frames go to the server from the start, and telemetry says so', () => {
    const start = initialSession(allowing, calibrating, false, true);
    const { state, effects } = drive(
      [
        { type: 'start' },
        { type: 'models-ready', backend: 'server' },
        { type: 'camera-opened' },
        { type: 'video', attached: true },
        { type: 'tick', timeline: focused, stats: stats() },
      ],
      start,
    );
    expect(effects).toContainEqual({ type: 'analysis-place', place: 'server' });
    expect(state.view.analysisPlace).toBe('server');
    const sent = effects.find((e) => e.type === 'send');
    expect(sent && sent.type === 'send' && sent.message).toMatchObject({
      type: 'telemetry',
      analysis: 'server',
    });
  });

  it('agreed but the class does not allow it: stays in the browser', () => {
    const { state, effects } = drive([{ type: 'start' }], initialSession(settings, calibrating, false, true));
    expect(effects.some((e) => e.type === 'analysis-place')).toBe(false);
    expect(state.view.analysisPlace).toBe('browser');
  });

  it('a failed engine or a slow device is offered the server once; yes switches, no stays', () => {
    const failed = drive(
      [{ type: 'start' }, { type: 'models-failed', message: 'no wasm' }],
      initialSession(allowing, calibrating, false),
    );
    expect(failed.state.view.serverOffer).toBe('failed');
    const yes = drive([{ type: 'server-choice', accept: true }], failed.state);
    expect(yes.state.view.serverOffer).toBeNull();
    expect(yes.effects).toContainEqual({ type: 'analysis-place', place: 'server' });
    expect(yes.effects.some((e) => e.type === 'load-models')).toBe(true);

    const base = drive(
      [
        { type: 'start' },
        { type: 'models-ready', backend: 'wasm' },
        { type: 'camera-opened' },
        { type: 'video', attached: true },
      ],
      initialSession(allowing, calibrating, false),
    );
    // Under 2 analyses a second, but only judged after warming up.
    const early = drive([slow(1), slow(2)], base.state);
    expect(early.state.view.serverOffer).toBeNull();
    const judged = drive(
      Array.from({ length: 12 }, (_, i) => slow(i)),
      base.state,
    );
    expect(judged.state.view.serverOffer).toBe('slow');
    const no = drive([{ type: 'server-choice', accept: false }, slow(20), slow(21)], judged.state);
    expect(no.state.view.serverOffer).toBeNull();
    expect(no.effects.some((e) => e.type === 'analysis-place')).toBe(false);
  });

  it('the teacher turns it off: back to the browser, the engine loads here again', () => {
    const on = drive([{ type: 'start' }], initialSession(allowing, calibrating, false, true));
    const welcome = {
      type: 'telemetry' as const,
      event: { type: 'settings' as const, settings: { settings, accommodations: {} } },
      stats: stats(),
    } as unknown as SessionEvent;
    const off = drive([welcome], on.state);
    expect(off.state.view.analysisPlace).toBe('browser');
    expect(off.effects).toContainEqual({ type: 'analysis-place', place: 'browser' });
    expect(off.effects.some((e) => e.type === 'load-models')).toBe(true);
  });
});
