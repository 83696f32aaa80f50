/**
 * The student's running session (no React): camera → worker → proctor timeline → telemetry. The page
 * subscribes to {@link SessionView} snapshots; every action (pause, "I'm lost", recalibrate, retry) is a
 * method here.
 */
import type {
  Accommodations,
  EmotionSetting,
  ErrorInfo,
  JoinResponse,
  SessionSettings,
} from '@smartsession/protocol';
import { stripEmotion } from '@smartsession/protocol';
import { ProctorTimeline } from '@smartsession/engine';
import { AnalysisClient } from './analysisClient.js';
import {
  CAMERA_ENDED,
  isCameraFailure,
  openCamera,
  stopStream,
  watchCameraPermission,
  watchTracks,
} from './camera.js';
import { FrameLoop } from './frameLoop.js';
import { RateController } from './rateController.js';
import { TelemetryClient } from './telemetryClient.js';
import { TelemetryPolicy } from './telemetryPolicy.js';
import { timelineOptions } from './timeline.js';
import type { WorkerSetup } from './workerProtocol.js';
import { initialView, type SessionPhase, type SessionView } from './sessionView.js';

export type { SessionPhase, SessionView } from './sessionView.js';

/** How often the session re-evaluates its status and maybe sends, ms. */
const HEARTBEAT_MS = 100;
/** Automatic retry of a failed model load, ms. */
const MODEL_RETRY_MS = 15_000;
/** Consecutive frame failures after which the engine is reloaded. */
const MAX_FRAME_ERRORS = 5;
/** Longest a calibration may keep the status at "calibrating", ms. */
const CALIBRATION_TIMEOUT_MS = 10_000;
/** Automatic retry of a camera that stopped, ms. */
const CAMERA_RETRY_MS = 3_000;
/** Analyses before the in-browser speed is judged (issue 14: offer the server below 2 a second). */
const WARM_UP_RESULTS = 10;
/** Below this many analyses a second (at full use of the analysis thread) the server is offered. */
const SERVER_OFFER_BELOW_PER_SECOND = 2;

/** Options (tests and the bench may change where models come from). */
export interface StudentSessionOptions {
  modelBasePath?: string;
  wasmPath?: string;
  backend?: WorkerSetup['backend'];
  /**
   * The student ticked "read my expressions" on the consent screen. Without it nothing emotion-shaped is
   * computed on this device or sent, whatever the session's setting is now or later.
   */
  emotionConsent?: boolean;
  /**
   * `server`: the student agreed on the consent screen to analysis on the school's server
   * (`?analysis=server`, and the class allows it). Default: in this browser.
   */
  analysisPlace?: 'browser' | 'server';
}

export class StudentSession {
  private view: SessionView;
  private readonly listeners = new Set<() => void>();
  private readonly telemetry: TelemetryClient;
  private readonly analysis: AnalysisClient;
  private readonly rate = new RateController();
  private readonly policy = new TelemetryPolicy();
  private readonly timeline: ProctorTimeline;
  private video: HTMLVideoElement | null = null;
  private stream: MediaStream | null = null;
  private loop: FrameLoop | null = null;
  private unwatch: (() => void) | null = null;
  private heartbeat: ReturnType<typeof setInterval> | null = null;
  private modelReady = false;
  private modelRetry: ReturnType<typeof setTimeout> | null = null;
  private cameraRetry: ReturnType<typeof setTimeout> | null = null;
  private resultTimes: number[] = [];
  private disposed = false;
  private calibrationRequestedAt = Infinity;
  private frameErrors = 0;
  private permissionWatch = false;
  private calibrationTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly cleanups: (() => void)[] = [];
  /** The student answered the offer of analysis on the server (null: not asked). */
  private serverChoice: boolean | null = null;
  /** What {@link FrameLoop} paces by: the server's interval, or the in-browser rate controller's. */
  private readonly pace = {
    get: () => this.analysis.serverIntervalMs ?? this.rate.intervalMs,
    get intervalMs(): number {
      return this.get();
    },
  };

  constructor(
    private readonly join: JoinResponse,
    private readonly options: StudentSessionOptions = {},
  ) {
    this.timeline = new ProctorTimeline(timelineOptions(join.settings, {}));
    // Calibrating from the first moment: the page never shows "Focused" before anything was analysed.
    this.view = initialView(join.settings, this.timeline.setCalibrating(true, Date.now()));
    this.telemetry = new TelemetryClient({
      token: join.token,
      emotionConsent: options.emotionConsent === true,
      onEvent: (e) => {
        if (e.type === 'welcome') this.applySettings(e.welcome.settings, e.welcome.accommodations);
        else if (e.type === 'settings') this.applySettings(e.settings.settings, e.settings.accommodations);
        else if (e.type === 'ended') this.end('ended', null);
        else if (e.type === 'refused') this.end('refused', e.error);
        else if (e.type === 'rejected')
          this.publish({ rejected: { message: e.error.message, at: Date.now() } });
        this.publish({ telemetry: this.telemetry.stats() });
      },
    });
    this.telemetry.onAnalysis((m) => this.analysis.serverMessage(m));
    this.analysis = new AnalysisClient({
      onResult: (r) => {
        this.frameErrors = 0;
        this.rate.record(r.analysisMs);
        this.maybeOfferServer('slow');
        const now = performance.now();
        this.resultTimes.push(now);
        while (this.resultTimes.length > 0 && now - this.resultTimes[0]! > 3000) this.resultTimes.shift();
        if (this.view.paused || !this.stream) return;
        // A frame taken before the (re)calibration request still carries the old calibration state.
        const fresh = r.tMs >= this.calibrationRequestedAt;
        const calibration = fresh ? r.calibration : this.view.calibration;
        if (this.view.calibration.active && fresh && !r.calibration.active) this.endCalibration(r.tMs);
        this.timeline.update(r.frame, r.tMs);
        this.publish({
          frame: r.frame,
          overlay: r.overlay,
          calibration,
          fps: this.resultTimes.length / 3,
          analysed: this.view.analysed + 1,
          analysisMs: this.rate.averageMs,
          dropped: this.analysis.dropped,
        });
        this.tick();
      },
      onFrameError: (message) => {
        // A few failures in a row mean the engine is broken, not one odd frame: reload it.
        if (++this.frameErrors < MAX_FRAME_ERRORS || this.view.modelError) return;
        this.loop?.stop();
        this.loop = null;
        const modelError = `The analysis stopped working: ${message}`;
        this.modelReady = false;
        this.publish({ modelError, phase: this.phaseFor({ modelError }) });
        this.modelRetry = setTimeout(() => void this.loadModels(), MODEL_RETRY_MS);
        this.tick();
      },
    });
  }

  /** Answers the offer of analysis on the server: yes sends frames there from now on; no stays here. */
  chooseServerAnalysis(accept: boolean): void {
    this.serverChoice = accept;
    this.publish({ serverOffer: null });
    if (!accept || !this.view.settings.serverAnalysis) return;
    this.useServer();
    void this.loadModels();
  }

  private useServer(): void {
    this.loop?.stop();
    this.loop = null;
    this.analysis.useServer(this.telemetry);
    this.publish({ analysisPlace: 'server', calibration: { active: false, progress: 0, done: false } });
  }

  /** Offers analysis on the server when the class allows it and the student was not asked yet. */
  private maybeOfferServer(why: 'failed' | 'slow'): void {
    if (this.serverChoice !== null || this.view.serverOffer || this.analysis.place === 'server') return;
    if (!this.view.settings.serverAnalysis) return;
    if (why === 'slow') {
      const avg = this.rate.averageMs;
      if (this.view.analysed < WARM_UP_RESULTS || avg === null) return;
      if (1000 / avg >= SERVER_OFFER_BELOW_PER_SECOND) return;
    }
    this.publish({ serverOffer: why });
  }

  /** Subscribes to view changes (for `useSyncExternalStore`). */
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** The current view snapshot. */
  getView = (): SessionView => this.view;

  /** Starts on the server when the student agreed to it on the consent screen (and the class allows it). */
  private serverFromStart(): void {
    if (this.options.analysisPlace === 'server' && this.join.settings.serverAnalysis) {
      this.serverChoice = true;
      this.useServer();
    }
  }

  /** Gives the session the preview element frames are read from. */
  attachVideo(video: HTMLVideoElement | null): void {
    this.video = video;
    if (video && this.stream && video.srcObject !== this.stream) {
      video.srcObject = this.stream;
      void video.play().catch(() => undefined);
    }
    this.maybeRun();
  }

  /** Starts everything (after consent): telemetry, models and camera in parallel. */
  start(): void {
    this.telemetry.connect();
    this.heartbeat = setInterval(() => this.tick(), HEARTBEAT_MS);
    const onVisibility = () => this.timeline.setHidden(document.visibilityState === 'hidden', Date.now());
    const onBlur = () => this.timeline.setHidden(true, Date.now());
    const onFocus = () => this.timeline.setHidden(document.visibilityState === 'hidden', Date.now());
    document.addEventListener('visibilitychange', onVisibility);
    window.addEventListener('blur', onBlur);
    window.addEventListener('focus', onFocus);
    this.cleanups.push(() => {
      document.removeEventListener('visibilitychange', onVisibility);
      window.removeEventListener('blur', onBlur);
      window.removeEventListener('focus', onFocus);
    });
    this.timeline.setCalibrating(true, Date.now());
    this.serverFromStart();
    void this.loadModels();
    void this.startCamera();
  }

  /** Tries the camera again (after the student fixed permissions or plugged it in). */
  retryCamera(): void {
    void this.startCamera();
  }

  /** Loads the models again after a failure. */
  retryModels(): void {
    void this.loadModels();
  }

  /** Starts a new calibration (a few seconds looking at the screen as usual). */
  recalibrate(): void {
    if (!this.modelReady || !this.stream) return;
    this.calibrationRequestedAt = Date.now();
    this.analysis.calibrate();
    this.timeline.setCalibrating(true, Date.now());
    if (this.calibrationTimer) clearTimeout(this.calibrationTimer);
    // Nobody in view for long: go on uncalibrated rather than stay "calibrating" for ever.
    this.calibrationTimer = setTimeout(() => this.endCalibration(Date.now()), CALIBRATION_TIMEOUT_MS);
    this.publish({ calibration: { active: true, progress: 0, done: false } });
    this.tick();
  }

  private endCalibration(tMs: number): void {
    if (this.calibrationTimer) clearTimeout(this.calibrationTimer);
    this.calibrationTimer = null;
    this.timeline.setCalibrating(false, tMs);
    this.publish({ calibration: { ...this.view.calibration, active: false } });
  }

  /** Pauses or resumes analysis (support: the teacher sees "Paused"; exam: an alert). */
  setPaused(paused: boolean): void {
    this.timeline.setPaused(paused, Date.now());
    if (paused) this.loop?.stop();
    this.publish({ paused, overlay: paused ? null : this.view.overlay });
    if (!paused) this.maybeRun();
    this.tick();
  }

  /** "I'm lost" (or withdraw it): sent at once as a self-report. */
  toggleLost(): void {
    const lost = !this.view.lost;
    const msg = this.telemetry.send({ type: 'self_report', t: Date.now(), kind: lost ? 'lost' : 'resolved' });
    this.publish({ lost, lastMessage: msg, telemetry: this.telemetry.stats() });
  }

  /** Stops camera, worker and connection. */
  dispose(): void {
    this.disposed = true;
    this.teardown();
    this.telemetry.close();
  }

  private teardown(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
    if (this.modelRetry) clearTimeout(this.modelRetry);
    if (this.cameraRetry) clearTimeout(this.cameraRetry);
    if (this.calibrationTimer) clearTimeout(this.calibrationTimer);
    for (const c of this.cleanups.splice(0)) c();
    this.loop?.stop();
    this.unwatch?.();
    stopStream(this.stream);
    this.stream = null;
    this.analysis.stop();
  }

  private end(phase: 'ended' | 'refused', refused: ErrorInfo | null): void {
    this.teardown();
    this.publish({ phase, refused });
  }

  /** Emotion reading on this device: the session has it on and the student agreed. */
  private emotionFor(settings: SessionSettings): EmotionSetting {
    return settings.emotion === 'on' && this.options.emotionConsent === true ? 'on' : 'off';
  }

  private applySettings(settings: SessionSettings, accommodations: Accommodations): void {
    const before = this.emotionFor(this.view.settings);
    this.timeline.setOptions(timelineOptions(settings, accommodations));
    this.publish({ settings, accommodations });
    // The teacher no longer allows analysis on the server: back to this browser.
    if (!settings.serverAnalysis && this.analysis.place === 'server' && this.heartbeat !== null) {
      this.analysis.useServer(null);
      this.publish({ analysisPlace: 'browser' });
      this.loop?.stop();
      this.loop = null;
      void this.loadModels();
      return;
    }
    // The analysis runs with or without the emotion model: restart it when that changes.
    if (this.emotionFor(settings) !== before && this.heartbeat !== null) {
      this.loop?.stop();
      this.loop = null;
      void this.loadModels();
    }
  }

  private async loadModels(): Promise<void> {
    if (this.modelRetry) clearTimeout(this.modelRetry);
    this.modelRetry = null;
    this.modelReady = false;
    this.frameErrors = 0;
    this.publish({ modelError: null, phase: this.phaseFor({ modelError: null }) });
    try {
      const { backend } = await this.analysis.start({
        emotion: this.emotionFor(this.view.settings),
        backend: this.options.backend ?? 'auto',
        modelBasePath: this.options.modelBasePath ?? '/models/',
        wasmPath: this.options.wasmPath ?? '/wasm/',
        calibrationSeconds: 3,
      });
      if (this.disposed) return;
      this.modelReady = true;
      this.rate.reset();
      this.publish({ backend, phase: this.phaseFor({}) });
      this.maybeRun();
    } catch (err) {
      if (this.disposed) return;
      const modelError = `The analysis could not start: ${err instanceof Error ? err.message : String(err)}`;
      this.publish({ modelError, phase: this.phaseFor({ modelError }) });
      this.modelRetry = setTimeout(() => void this.loadModels(), MODEL_RETRY_MS);
      this.maybeOfferServer('failed');
    }
    this.tick();
  }

  private async startCamera(): Promise<void> {
    if (this.cameraRetry) clearTimeout(this.cameraRetry);
    this.cameraRetry = null;
    if (this.stream) return;
    try {
      const stream = await openCamera();
      if (this.disposed) return stopStream(stream);
      this.stream = stream;
      this.unwatch = watchTracks(stream, () => this.cameraLost());
      this.timeline.setCameraOff(false, Date.now());
      this.publish({ camera: null, cameraStartedAt: Date.now(), phase: this.phaseFor({ camera: null }) });
      this.attachVideo(this.video);
    } catch (err) {
      if (this.disposed) return;
      const camera = isCameraFailure(err) ? err : CAMERA_ENDED;
      this.timeline.setCameraOff(true, Date.now());
      this.publish({ camera, phase: this.phaseFor({ camera }) });
      if (camera.problem === 'in-use' || camera.problem === 'not-found') this.scheduleCameraRetry();
      if (camera.problem === 'denied' && !this.permissionWatch) {
        this.permissionWatch = true;
        const stop = watchCameraPermission(() => {
          if (this.view.camera?.problem === 'denied') void this.startCamera();
        });
        this.cleanups.push(stop);
      }
    }
    this.tick();
  }

  private cameraLost(): void {
    this.loop?.stop();
    this.loop = null;
    this.unwatch?.();
    this.unwatch = null;
    stopStream(this.stream);
    this.stream = null;
    if (this.video) this.video.srcObject = null;
    this.timeline.setCameraOff(true, Date.now());
    this.publish({ camera: CAMERA_ENDED, overlay: null, phase: this.phaseFor({ camera: CAMERA_ENDED }) });
    this.tick();
    this.scheduleCameraRetry();
  }

  private scheduleCameraRetry(): void {
    if (this.disposed || this.cameraRetry) return;
    this.cameraRetry = setTimeout(() => {
      this.cameraRetry = null;
      void this.startCamera();
    }, CAMERA_RETRY_MS);
  }

  /** Starts the frame loop and a calibration once camera, video element and models are all ready. */
  private maybeRun(): void {
    if (!this.modelReady || !this.stream || !this.video || this.view.paused || this.disposed) return;
    if (!this.loop) {
      this.loop = new FrameLoop(this.video, this.analysis, this.pace);
      if (!this.view.calibration.done) this.recalibrate();
    }
    this.loop.start();
  }

  private phaseFor(change: Partial<SessionView>): SessionPhase {
    const v = { ...this.view, ...change };
    if (v.phase === 'ended' || v.phase === 'refused') return v.phase;
    if (v.camera) return 'camera-error';
    if (v.modelError) return 'model-error';
    return this.modelReady && this.stream ? 'running' : 'starting';
  }

  /** Re-evaluates the reported status and sends telemetry when the policy says so. */
  private tick(): void {
    if (this.disposed) return;
    const now = Date.now();
    let state = this.timeline.tick(now);
    if (this.view.modelError && state.status !== 'camera-off' && state.status !== 'paused') {
      state = {
        status: 'no-signal',
        alert: null,
        since: state.since,
        reason: { code: 'ANALYSIS_UNAVAILABLE' },
      };
    }
    const why = this.policy.decide(state, now);
    let lastMessage = this.view.lastMessage;
    if (why) {
      const shown = state.status === 'camera-off' || state.status === 'paused' ? null : this.view.frame;
      const frame = this.emotionFor(this.view.settings) === 'on' ? shown : stripEmotion(shown);
      const analysis = this.analysis.place;
      lastMessage = this.telemetry.send({ type: 'telemetry', t: now, ...state, frame, analysis });
      this.policy.sent(state, now);
    }
    const v = this.view;
    if (
      why ||
      v.status !== state.status ||
      v.alert !== state.alert ||
      v.reason !== state.reason ||
      v.telemetry.connected !== this.telemetry.stats().connected
    ) {
      this.publish({ ...state, lastMessage, telemetry: this.telemetry.stats() });
    }
  }

  private publish(change: Partial<SessionView>): void {
    this.view = { ...this.view, ...change };
    for (const l of this.listeners) l();
  }
}
