/**
 * The student session's lifecycle as a pure reducer: `(state, event, now) → {state, effects}`. It holds
 * every flag the page's session needs (model ready, camera open, loop, timers, calibration, what was last
 * sent) and says what to do as {@link SessionEffect}s; {@link StudentSession} is the thin shell that runs
 * them (timers, socket, worker, camera, the proctor timeline) and turns callbacks back into events.
 *
 * Phases: `starting` → `running` once models and camera are both ready; `camera-error` / `model-error`
 * while either failed (a camera problem shows first); `ended` / `refused` are final (the server ended the
 * class or refused this student), after which nothing runs.
 */
import type {
  Accommodations,
  EmotionSetting,
  ErrorInfo,
  SequencedMessage,
  SessionSettings,
  UnsequencedSelfReport,
  UnsequencedTelemetry,
} from '@smartsession/protocol';
import { stripEmotion } from '@smartsession/protocol';
import type { TimelineOptions, TimelineState } from '@smartsession/engine';
import { CAMERA_ENDED, type CameraFailure } from './camera.js';
import { initialView, type SessionPhase, type SessionView } from './sessionView.js';
import type { TelemetryEvent, TelemetryStats } from './telemetryClient.js';
import { decideSend, NOTHING_SENT, recordSent, type PolicyMemory } from './telemetryPolicy.js';
import { timelineOptions } from './timeline.js';
import type { FromWorker } from './workerProtocol.js';

/** How often the session re-evaluates its status and maybe sends, ms. */
export const HEARTBEAT_MS = 100;
/** Automatic retry of a failed model load, ms. */
export const MODEL_RETRY_MS = 15_000;
/** Consecutive frame failures after which the engine is reloaded. */
export const MAX_FRAME_ERRORS = 5;
/** Longest a calibration may keep the status at "calibrating", ms. */
export const CALIBRATION_TIMEOUT_MS = 10_000;
/** Automatic retry of a camera that stopped, ms. */
export const CAMERA_RETRY_MS = 3_000;
/** Analyses before the in-browser speed is judged (issue 14: offer the server below 2 a second). */
const WARM_UP_RESULTS = 10;
/** Below this many analyses a second (at full use of the analysis thread) the server is offered. */
const SERVER_OFFER_BELOW_PER_SECOND = 2;
/** Window of the analysed-frames-per-second figure, ms (on the `performance.now()` clock). */
const FPS_WINDOW_MS = 3000;

/** The session's one-shot timers. */
export type TimerName = 'model-retry' | 'camera-retry' | 'calibration';

/** The frame loop: none yet, made but stopped, or running. */
type LoopState = 'none' | 'stopped' | 'running';

/** Everything the session knows (plain data). */
export interface SessionState {
  /** What the page renders. */
  view: SessionView;
  /** The student agreed to emotion reading. */
  emotionConsent: boolean;
  /** `start` ran and no teardown since (the heartbeat is on). */
  started: boolean;
  disposed: boolean;
  modelReady: boolean;
  /** A camera stream is open. */
  camera: boolean;
  /** The page gave a `<video>` element. */
  video: boolean;
  loop: LoopState;
  /** Timers set and not yet fired or cancelled. */
  timers: Readonly<Record<TimerName, boolean>>;
  /** Clock time (ms) of the last calibration request: frames taken before it carry the old calibration. */
  calibrationRequestedAt: number;
  /** Frame failures in a row. */
  frameErrors: number;
  /** `performance.now()` of each result in the last few seconds (for {@link SessionView.fps}). */
  resultTimes: readonly number[];
  /** The camera permission is being watched (after a refusal). */
  permissionWatch: boolean;
  /** What the telemetry policy remembers. */
  policy: PolicyMemory;
  /** The student agreed on the consent screen to analysis on the school's server. */
  serverFromStart: boolean;
  /** The student answered the offer of analysis on the server (null: not asked). */
  serverChoice: boolean | null;
}

/** A change to the proctor timeline (the shell owns it; its state comes back in a `tick`). */
export type TimelineCall =
  | { op: 'calibrating' | 'paused' | 'camera-off' | 'hidden'; on: boolean; t: number }
  | { op: 'frame'; frame: ResultMessage['frame']; t: number }
  | { op: 'options'; options: Partial<TimelineOptions> };

/** What the shell does for the session. */
export type SessionEffect =
  | { type: 'connect' }
  | { type: 'disconnect' }
  | { type: 'heartbeat'; on: boolean }
  /** Listen (or stop listening) to page visibility, blur and focus. */
  | { type: 'watch-page'; on: boolean }
  | { type: 'set-timer'; timer: TimerName; ms: number }
  | { type: 'cancel-timer'; timer: TimerName }
  /** Start the analysis worker and load its models; answers `models-ready` or `models-failed`. */
  | { type: 'load-models'; emotion: EmotionSetting }
  | { type: 'stop-analysis' }
  /** Analyse frames on the school's server from the next model load on, or back in this browser. */
  | { type: 'analysis-place'; place: 'browser' | 'server' }
  | { type: 'calibrate' }
  | { type: 'reset-rate' }
  /** Open the camera; answers `camera-opened` or `camera-failed` (and `camera-lost` later). */
  | { type: 'open-camera' }
  /** Stop the open camera stream, stop watching it and take it off the preview. */
  | { type: 'release-camera' }
  /** Watch the camera permission (answers `permission-changed`), or stop watching it. */
  | { type: 'watch-permission'; on: boolean }
  /** Put the open stream on the preview element. */
  | { type: 'show-stream' }
  /** Make the frame loop (`create`), start it, stop it, or stop and forget it (`drop`). */
  | { type: 'loop'; action: 'create' | 'start' | 'stop' | 'drop' }
  | { type: 'timeline'; call: TimelineCall }
  /** Read the proctor timeline now; answers `tick`. */
  | { type: 'evaluate' }
  /** Hand a message to the telemetry client; answers `sent`. */
  | { type: 'send'; message: UnsequencedTelemetry | UnsequencedSelfReport };

type ResultMessage = Extract<FromWorker, { type: 'result' }>;

/** What happens to the session. */
export type SessionEvent =
  | { type: 'start' }
  | { type: 'dispose' }
  | { type: 'video'; attached: boolean }
  | { type: 'heartbeat' }
  | { type: 'page'; hidden: boolean }
  | { type: 'timer'; timer: TimerName }
  | { type: 'retry-models' }
  | { type: 'models-ready'; backend: string }
  | { type: 'models-failed'; message: string }
  | { type: 'retry-camera' }
  | { type: 'camera-opened' }
  | { type: 'camera-failed'; failure: CameraFailure }
  | { type: 'camera-lost' }
  | { type: 'permission-changed' }
  | { type: 'recalibrate' }
  | { type: 'pause'; paused: boolean }
  | { type: 'toggle-lost' }
  /** The student's answer to the offer of analysis on the server. */
  | { type: 'server-choice'; accept: boolean }
  /** A frame analysed: `perfNow` is `performance.now()`, `averageMs` the rate controller's average. */
  | { type: 'result'; result: ResultMessage; perfNow: number; averageMs: number | null; dropped: number }
  | { type: 'frame-error'; message: string }
  | { type: 'telemetry'; event: TelemetryEvent; stats: TelemetryStats }
  /** The proctor timeline's state now, and the connection's counters. */
  | { type: 'tick'; timeline: TimelineState; stats: TelemetryStats }
  | { type: 'sent'; message: SequencedMessage; stats: TelemetryStats };

/** A reducer step's result. */
export interface Step {
  state: SessionState;
  effects: SessionEffect[];
}

/** The state before `start`: calibrating from the first moment, so the page never shows "Focused" too early. */
export function initialSession(
  settings: SessionSettings,
  timeline: TimelineState,
  emotionConsent: boolean,
  serverFromStart = false,
): SessionState {
  return {
    view: initialView(settings, timeline),
    emotionConsent,
    started: false,
    disposed: false,
    modelReady: false,
    camera: false,
    video: false,
    loop: 'none',
    timers: { 'model-retry': false, 'camera-retry': false, calibration: false },
    calibrationRequestedAt: Infinity,
    frameErrors: 0,
    resultTimes: [],
    permissionWatch: false,
    policy: NOTHING_SENT,
    serverFromStart,
    serverChoice: null,
  };
}

/** Emotion reading on this device: the session has it on and the student agreed. */
function emotionFor(state: SessionState, settings: SessionSettings = state.view.settings): EmotionSetting {
  return settings.emotion === 'on' && state.emotionConsent ? 'on' : 'off';
}

/** The phase the flags put the session in (final phases stay). */
function phaseOf(s: SessionState): SessionPhase {
  const v = s.view;
  if (v.phase === 'ended' || v.phase === 'refused') return v.phase;
  if (v.camera) return 'camera-error';
  if (v.modelError) return 'model-error';
  return s.modelReady && s.camera ? 'running' : 'starting';
}

/** The reducer: the session after `event` at clock time `now` (ms), and what the shell must do. */
export function reduceSession(state: SessionState, event: SessionEvent, now: number): Step {
  const run = new Run(state, now);
  run.handle(event);
  return run.done();
}

/** One reducer step: a copy-on-write state and the effects collected so far. */
class Run {
  readonly effects: SessionEffect[] = [];

  constructor(
    public s: SessionState,
    readonly now: number,
  ) {}

  done(): Step {
    if (!this.s.disposed) {
      const phase = phaseOf(this.s);
      if (phase !== this.s.view.phase) this.view({ phase });
    }
    return { state: this.s, effects: this.effects };
  }

  private set(change: Partial<SessionState>): void {
    this.s = { ...this.s, ...change };
  }

  private view(change: Partial<SessionView>): void {
    this.s = { ...this.s, view: { ...this.s.view, ...change } };
  }

  private do(...effects: SessionEffect[]): void {
    this.effects.push(...effects);
  }

  private timeline(call: TimelineCall): void {
    this.do({ type: 'timeline', call });
  }

  private setTimer(timer: TimerName, ms: number): void {
    this.set({ timers: { ...this.s.timers, [timer]: true } });
    this.do({ type: 'set-timer', timer, ms });
  }

  private cancelTimer(timer: TimerName): void {
    if (!this.s.timers[timer]) return;
    this.set({ timers: { ...this.s.timers, [timer]: false } });
    this.do({ type: 'cancel-timer', timer });
  }

  handle(e: SessionEvent): void {
    const s = this.s;
    if (s.disposed) {
      // A camera that opened after the end is closed again; nothing else happens.
      if (e.type === 'camera-opened') this.do({ type: 'release-camera' });
      return;
    }
    switch (e.type) {
      case 'start':
        this.set({ started: true });
        this.do({ type: 'connect' }, { type: 'heartbeat', on: true }, { type: 'watch-page', on: true });
        this.timeline({ op: 'calibrating', on: true, t: this.now });
        // Agreed on the consent screen (and the class allows it): analysis on the server from the start.
        if (s.serverFromStart && s.view.settings.serverAnalysis) {
          this.set({ serverChoice: true });
          this.useServer();
        }
        this.loadModels();
        this.openCamera();
        return;
      case 'dispose':
        this.teardown();
        this.set({ disposed: true });
        this.do({ type: 'disconnect' });
        return;
      case 'video':
        this.set({ video: e.attached });
        if (e.attached) this.do({ type: 'show-stream' });
        this.maybeRun();
        return;
      case 'heartbeat':
        this.evaluate();
        return;
      case 'page':
        this.timeline({ op: 'hidden', on: e.hidden, t: this.now });
        return;
      case 'timer':
        this.set({ timers: { ...s.timers, [e.timer]: false } });
        if (e.timer === 'model-retry') this.loadModels();
        else if (e.timer === 'camera-retry') this.openCamera();
        else this.endCalibration(this.now);
        return;
      case 'retry-models':
        this.loadModels();
        return;
      case 'models-ready':
        this.set({ modelReady: true });
        this.do({ type: 'reset-rate' });
        this.view({ backend: e.backend });
        this.maybeRun();
        this.evaluate();
        return;
      case 'models-failed':
        this.view({ modelError: `The analysis could not start: ${e.message}` });
        this.setTimer('model-retry', MODEL_RETRY_MS);
        this.maybeOfferServer('failed', null);
        this.evaluate();
        return;
      case 'retry-camera':
        this.openCamera();
        return;
      case 'camera-opened':
        this.set({ camera: true });
        this.timeline({ op: 'camera-off', on: false, t: this.now });
        this.view({ camera: null, cameraStartedAt: this.now });
        this.do({ type: 'show-stream' });
        this.maybeRun();
        this.evaluate();
        return;
      case 'camera-failed': {
        const camera = e.failure;
        this.timeline({ op: 'camera-off', on: true, t: this.now });
        this.view({ camera });
        if (camera.problem === 'in-use' || camera.problem === 'not-found') this.scheduleCameraRetry();
        if (camera.problem === 'denied' && !s.permissionWatch) {
          this.set({ permissionWatch: true });
          this.do({ type: 'watch-permission', on: true });
        }
        this.evaluate();
        return;
      }
      case 'camera-lost':
        this.dropLoop();
        this.set({ camera: false });
        this.do({ type: 'release-camera' });
        this.timeline({ op: 'camera-off', on: true, t: this.now });
        this.view({ camera: CAMERA_ENDED, overlay: null });
        this.evaluate();
        this.scheduleCameraRetry();
        return;
      case 'permission-changed':
        if (s.view.camera?.problem === 'denied') this.openCamera();
        return;
      case 'recalibrate':
        this.recalibrate();
        return;
      case 'pause':
        this.timeline({ op: 'paused', on: e.paused, t: this.now });
        if (e.paused && s.loop === 'running') {
          this.set({ loop: 'stopped' });
          this.do({ type: 'loop', action: 'stop' });
        }
        this.view({ paused: e.paused, overlay: e.paused ? null : s.view.overlay });
        if (!e.paused) this.maybeRun();
        this.evaluate();
        return;
      case 'toggle-lost': {
        const lost = !s.view.lost;
        this.view({ lost });
        this.do({
          type: 'send',
          message: { type: 'self_report', t: this.now, kind: lost ? 'lost' : 'resolved' },
        });
        return;
      }
      case 'server-choice':
        this.set({ serverChoice: e.accept });
        this.view({ serverOffer: null });
        if (!e.accept || !s.view.settings.serverAnalysis) return;
        this.useServer();
        this.loadModels();
        return;
      case 'result':
        this.maybeOfferServer('slow', e.averageMs);
        this.result(e);
        return;
      case 'frame-error':
        this.frameError(e.message);
        return;
      case 'telemetry':
        this.telemetry(e.event);
        this.view({ telemetry: e.stats });
        return;
      case 'tick':
        this.tick(e.timeline, e.stats);
        return;
      case 'sent':
        this.view({ lastMessage: e.message, telemetry: e.stats });
        return;
    }
  }

  private loadModels(): void {
    this.cancelTimer('model-retry');
    this.set({ modelReady: false, frameErrors: 0 });
    this.view({ modelError: null });
    this.do({ type: 'load-models', emotion: emotionFor(this.s) });
  }

  /** Frames go to the school's server from the next model load on (the loop is made again then). */
  private useServer(): void {
    this.dropLoop();
    this.do({ type: 'analysis-place', place: 'server' });
    this.view({ analysisPlace: 'server', calibration: { active: false, progress: 0, done: false } });
  }

  /**
   * Offers analysis on the server when the class allows it and the student was not asked yet: this
   * device's engine did not load, or manages under 2 analyses a second after warming up.
   */
  private maybeOfferServer(why: 'failed' | 'slow', averageMs: number | null): void {
    const { s } = this;
    if (s.serverChoice !== null || s.view.serverOffer || s.view.analysisPlace === 'server') return;
    if (!s.view.settings.serverAnalysis) return;
    if (why === 'slow') {
      if (s.view.analysed < WARM_UP_RESULTS || averageMs === null) return;
      if (1000 / averageMs >= SERVER_OFFER_BELOW_PER_SECOND) return;
    }
    this.view({ serverOffer: why });
  }

  private openCamera(): void {
    this.cancelTimer('camera-retry');
    if (this.s.camera) return;
    this.do({ type: 'open-camera' });
  }

  private scheduleCameraRetry(): void {
    if (this.s.timers['camera-retry']) return;
    this.setTimer('camera-retry', CAMERA_RETRY_MS);
  }

  private dropLoop(): void {
    if (this.s.loop === 'none') return;
    this.set({ loop: 'none' });
    this.do({ type: 'loop', action: 'drop' });
  }

  /** Starts the frame loop (and a first calibration) once camera, video element and models are all ready. */
  private maybeRun(): void {
    const s = this.s;
    if (!s.modelReady || !s.camera || !s.video || s.view.paused) return;
    if (s.loop === 'none') {
      this.set({ loop: 'stopped' });
      this.do({ type: 'loop', action: 'create' });
      if (!s.view.calibration.done) this.recalibrate();
    }
    if (this.s.loop !== 'running') {
      this.set({ loop: 'running' });
      this.do({ type: 'loop', action: 'start' });
    }
  }

  private recalibrate(): void {
    if (!this.s.modelReady || !this.s.camera) return;
    this.set({ calibrationRequestedAt: this.now });
    this.do({ type: 'calibrate' });
    this.timeline({ op: 'calibrating', on: true, t: this.now });
    this.cancelTimer('calibration');
    // Nobody in view for long: go on uncalibrated rather than stay "calibrating" for ever.
    this.setTimer('calibration', CALIBRATION_TIMEOUT_MS);
    this.view({ calibration: { active: true, progress: 0, done: false } });
    this.evaluate();
  }

  private endCalibration(t: number): void {
    this.cancelTimer('calibration');
    this.timeline({ op: 'calibrating', on: false, t });
    this.view({ calibration: { ...this.s.view.calibration, active: false } });
  }

  private result(e: Extract<SessionEvent, { type: 'result' }>): void {
    const r = e.result;
    const times = [...this.s.resultTimes, e.perfNow];
    while (times.length > 0 && e.perfNow - times[0]! > FPS_WINDOW_MS) times.shift();
    this.set({ frameErrors: 0, resultTimes: times });
    const v = this.s.view;
    if (v.paused || !this.s.camera) return;
    // A frame taken before the (re)calibration request still carries the old calibration state.
    const fresh = r.tMs >= this.s.calibrationRequestedAt;
    const calibration = fresh ? r.calibration : v.calibration;
    if (v.calibration.active && fresh && !r.calibration.active) this.endCalibration(r.tMs);
    this.timeline({ op: 'frame', frame: r.frame, t: r.tMs });
    this.view({
      frame: r.frame,
      overlay: r.overlay,
      calibration,
      fps: times.length / (FPS_WINDOW_MS / 1000),
      analysed: v.analysed + 1,
      analysisMs: e.averageMs,
      dropped: e.dropped,
    });
    this.evaluate();
  }

  private frameError(message: string): void {
    const frameErrors = this.s.frameErrors + 1;
    this.set({ frameErrors });
    // A few failures in a row mean the engine is broken, not one odd frame: reload it.
    if (frameErrors < MAX_FRAME_ERRORS || this.s.view.modelError) return;
    this.dropLoop();
    this.set({ modelReady: false });
    this.view({ modelError: `The analysis stopped working: ${message}` });
    this.setTimer('model-retry', MODEL_RETRY_MS);
    this.evaluate();
  }

  private telemetry(e: TelemetryEvent): void {
    if (e.type === 'welcome') this.applySettings(e.welcome.settings, e.welcome.accommodations);
    else if (e.type === 'settings') this.applySettings(e.settings.settings, e.settings.accommodations);
    else if (e.type === 'ended') this.end('ended', null);
    else if (e.type === 'refused') this.end('refused', e.error);
    else if (e.type === 'rejected') this.view({ rejected: { message: e.error.message, at: this.now } });
  }

  private applySettings(settings: SessionSettings, accommodations: Accommodations): void {
    const before = emotionFor(this.s);
    this.timeline({ op: 'options', options: timelineOptions(settings, accommodations) });
    this.view({ settings, accommodations });
    // The teacher no longer allows analysis on the server: back to this browser.
    if (!settings.serverAnalysis && this.s.view.analysisPlace === 'server' && this.s.started) {
      this.do({ type: 'analysis-place', place: 'browser' });
      this.view({ analysisPlace: 'browser' });
      this.dropLoop();
      this.loadModels();
      return;
    }
    // The analysis runs with or without the emotion model: restart it when that changes.
    if (emotionFor(this.s) !== before && this.s.started) {
      this.dropLoop();
      this.loadModels();
    }
  }

  /** Stops everything that runs: heartbeat, timers, page listeners, loop, camera, worker. */
  private teardown(): void {
    if (this.s.started) this.do({ type: 'heartbeat', on: false }, { type: 'watch-page', on: false });
    if (this.s.permissionWatch) this.do({ type: 'watch-permission', on: false });
    for (const t of ['model-retry', 'camera-retry', 'calibration'] as const) this.cancelTimer(t);
    if (this.s.loop === 'running') this.do({ type: 'loop', action: 'stop' });
    this.do({ type: 'release-camera' }, { type: 'stop-analysis' });
    this.set({ started: false, camera: false, loop: this.s.loop === 'none' ? 'none' : 'stopped' });
  }

  private end(phase: 'ended' | 'refused', refused: ErrorInfo | null): void {
    this.teardown();
    this.view({ phase, refused });
  }

  private evaluate(): void {
    this.do({ type: 'evaluate' });
  }

  /** Re-evaluates the reported status and sends telemetry when the policy says so. */
  private tick(timeline: TimelineState, stats: TelemetryStats): void {
    const v = this.s.view;
    let state = timeline;
    if (v.modelError && state.status !== 'camera-off' && state.status !== 'paused') {
      state = {
        status: 'no-signal',
        alert: null,
        since: state.since,
        reason: { code: 'ANALYSIS_UNAVAILABLE' },
      };
    }
    const why = decideSend(this.s.policy, state, this.now);
    if (why) {
      const shown = state.status === 'camera-off' || state.status === 'paused' ? null : v.frame;
      const frame = emotionFor(this.s) === 'on' ? shown : stripEmotion(shown);
      const message = { type: 'telemetry', t: this.now, ...state, frame, analysis: v.analysisPlace } as const;
      this.do({ type: 'send', message });
      this.set({ policy: recordSent(state, this.now) });
    }
    if (
      why ||
      v.status !== state.status ||
      v.alert !== state.alert ||
      v.reason !== state.reason ||
      v.telemetry.connected !== stats.connected
    ) {
      this.view({ ...state, telemetry: stats });
    }
  }
}
