/**
 * The student's running session (no React): camera → worker → proctor timeline → telemetry. A thin shell
 * around the pure {@link reduceSession}: page actions and callbacks become events, and the reducer's
 * effects are run here (timers, socket, worker, camera, the proctor timeline). The page subscribes to
 * {@link SessionView} snapshots; every action (pause, "I'm lost", recalibrate, retry) is a method here.
 */
import type { JoinResponse } from '@smartsession/protocol';
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
import {
  HEARTBEAT_MS,
  initialSession,
  reduceSession,
  type SessionEffect,
  type SessionEvent,
  type SessionState,
  type TimelineCall,
  type TimerName,
} from './sessionMachine.js';
import type { SessionView } from './sessionView.js';
import { TelemetryClient } from './telemetryClient.js';
import { timelineOptions } from './timeline.js';
import type { WorkerSetup } from './workerProtocol.js';

export type { SessionView } from './sessionView.js';

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
  private state: SessionState;
  private readonly listeners = new Set<() => void>();
  private readonly telemetry: TelemetryClient;
  private readonly analysis: AnalysisClient;
  private readonly rate = new RateController();
  private readonly timeline: ProctorTimeline;
  private video: HTMLVideoElement | null = null;
  private stream: MediaStream | null = null;
  private unwatchTracks: (() => void) | null = null;
  private loop: FrameLoop | null = null;
  private heartbeat: ReturnType<typeof setInterval> | null = null;
  private readonly timers = new Map<TimerName, ReturnType<typeof setTimeout>>();
  private unwatchPage: (() => void) | null = null;
  private unwatchPermission: (() => void) | null = null;
  private readonly queue: SessionEvent[] = [];
  private draining = false;
  /** What {@link FrameLoop} paces by: the server's interval, or the in-browser rate controller's. */
  private readonly pace = {
    get: () => this.analysis.serverIntervalMs ?? this.rate.intervalMs,
    get intervalMs(): number {
      return this.get();
    },
  };

  constructor(
    join: JoinResponse,
    private readonly options: StudentSessionOptions = {},
  ) {
    this.timeline = new ProctorTimeline(timelineOptions(join.settings, {}));
    this.state = initialSession(
      join.settings,
      this.timeline.setCalibrating(true, Date.now()),
      options.emotionConsent === true,
      options.analysisPlace === 'server',
    );
    this.telemetry = new TelemetryClient({
      token: join.token,
      emotionConsent: options.emotionConsent === true,
      onEvent: (event) => this.dispatch({ type: 'telemetry', event, stats: this.telemetry.stats() }),
    });
    this.analysis = new AnalysisClient({
      onResult: (result) => {
        this.rate.record(result.analysisMs);
        this.dispatch({
          type: 'result',
          result,
          perfNow: performance.now(),
          averageMs: this.rate.averageMs,
          dropped: this.analysis.dropped,
        });
      },
      onFrameError: (message) => this.dispatch({ type: 'frame-error', message }),
    });
    this.telemetry.onAnalysis((m) => this.analysis.serverMessage(m));
  }

  /** Answers the offer of analysis on the server: yes sends frames there from now on; no stays here. */
  chooseServerAnalysis(accept: boolean): void {
    this.dispatch({ type: 'server-choice', accept });
  }

  /** Subscribes to view changes (for `useSyncExternalStore`). */
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** The current view snapshot. */
  getView = (): SessionView => this.state.view;

  /** Gives the session the preview element frames are read from. */
  attachVideo(video: HTMLVideoElement | null): void {
    this.video = video;
    this.dispatch({ type: 'video', attached: video !== null });
  }

  /** Starts everything (after consent): telemetry, models and camera in parallel. */
  start(): void {
    this.dispatch({ type: 'start' });
  }

  /** Tries the camera again (after the student fixed permissions or plugged it in). */
  retryCamera(): void {
    this.dispatch({ type: 'retry-camera' });
  }

  /** Loads the models again after a failure. */
  retryModels(): void {
    this.dispatch({ type: 'retry-models' });
  }

  /** Starts a new calibration (a few seconds looking at the screen as usual). */
  recalibrate(): void {
    this.dispatch({ type: 'recalibrate' });
  }

  /** Pauses or resumes analysis (support: the teacher sees "Paused"; exam: an alert). */
  setPaused(paused: boolean): void {
    this.dispatch({ type: 'pause', paused });
  }

  /** "I'm lost" (or withdraw it): sent at once as a self-report. */
  toggleLost(): void {
    this.dispatch({ type: 'toggle-lost' });
  }

  /** Stops camera, worker and connection. */
  dispose(): void {
    this.dispatch({ type: 'dispose' });
  }

  /**
   * Feeds an event to the reducer and runs its effects; events raised while effects run wait their turn.
   * Listeners hear once per outside event, after everything it caused.
   */
  private dispatch(event: SessionEvent): void {
    this.queue.push(event);
    if (this.draining) return;
    this.draining = true;
    const before = this.state.view;
    try {
      for (let e = this.queue.shift(); e; e = this.queue.shift()) {
        const { state, effects } = reduceSession(this.state, e, Date.now());
        this.state = state;
        for (const effect of effects) this.run(effect);
      }
    } finally {
      this.draining = false;
    }
    if (this.state.view !== before) for (const l of this.listeners) l();
  }

  private run(effect: SessionEffect): void {
    switch (effect.type) {
      case 'connect':
        return this.telemetry.connect();
      case 'disconnect':
        return this.telemetry.close();
      case 'heartbeat':
        if (this.heartbeat) clearInterval(this.heartbeat);
        this.heartbeat = effect.on
          ? setInterval(() => this.dispatch({ type: 'heartbeat' }), HEARTBEAT_MS)
          : null;
        return;
      case 'watch-page':
        this.unwatchPage?.();
        this.unwatchPage = effect.on ? this.watchPage() : null;
        return;
      case 'set-timer': {
        const { timer } = effect;
        this.cancelTimer(timer);
        this.timers.set(
          timer,
          setTimeout(() => {
            this.timers.delete(timer);
            this.dispatch({ type: 'timer', timer });
          }, effect.ms),
        );
        return;
      }
      case 'cancel-timer':
        return this.cancelTimer(effect.timer);
      case 'load-models':
        this.analysis
          .start({
            emotion: effect.emotion,
            backend: this.options.backend ?? 'auto',
            modelBasePath: this.options.modelBasePath ?? '/models/',
            wasmPath: this.options.wasmPath ?? '/wasm/',
            calibrationSeconds: 3,
          })
          .then(
            ({ backend }) => this.dispatch({ type: 'models-ready', backend }),
            (err: unknown) =>
              this.dispatch({
                type: 'models-failed',
                message: err instanceof Error ? err.message : String(err),
              }),
          );
        return;
      case 'stop-analysis':
        return this.analysis.stop();
      case 'analysis-place':
        return this.analysis.useServer(effect.place === 'server' ? this.telemetry : null);
      case 'calibrate':
        return this.analysis.calibrate();
      case 'reset-rate':
        return this.rate.reset();
      case 'open-camera':
        openCamera().then(
          (stream) => {
            this.stream = stream;
            this.unwatchTracks = watchTracks(stream, () => this.dispatch({ type: 'camera-lost' }));
            this.dispatch({ type: 'camera-opened' });
          },
          (err: unknown) =>
            this.dispatch({ type: 'camera-failed', failure: isCameraFailure(err) ? err : CAMERA_ENDED }),
        );
        return;
      case 'release-camera':
        this.unwatchTracks?.();
        this.unwatchTracks = null;
        stopStream(this.stream);
        this.stream = null;
        if (this.video) this.video.srcObject = null;
        return;
      case 'watch-permission':
        this.unwatchPermission?.();
        this.unwatchPermission = effect.on
          ? watchCameraPermission(() => this.dispatch({ type: 'permission-changed' }))
          : null;
        return;
      case 'show-stream': {
        const { video, stream } = this;
        if (video && stream && video.srcObject !== stream) {
          video.srcObject = stream;
          void video.play().catch(() => undefined);
        }
        return;
      }
      case 'loop':
        return this.runLoop(effect.action);
      case 'timeline':
        return this.applyToTimeline(effect.call);
      case 'evaluate':
        return this.dispatch({
          type: 'tick',
          timeline: this.timeline.tick(Date.now()),
          stats: this.telemetry.stats(),
        });
      case 'send': {
        const message = this.telemetry.send(effect.message);
        return this.dispatch({ type: 'sent', message, stats: this.telemetry.stats() });
      }
    }
  }

  private cancelTimer(timer: TimerName): void {
    const handle = this.timers.get(timer);
    if (handle !== undefined) clearTimeout(handle);
    this.timers.delete(timer);
  }

  private runLoop(action: 'create' | 'start' | 'stop' | 'drop'): void {
    if (action === 'create') {
      if (this.video) this.loop = new FrameLoop(this.video, this.analysis, this.pace);
    } else if (action === 'start') this.loop?.start();
    else {
      this.loop?.stop();
      if (action === 'drop') this.loop = null;
    }
  }

  private applyToTimeline(call: TimelineCall): void {
    const tl = this.timeline;
    switch (call.op) {
      case 'calibrating':
        tl.setCalibrating(call.on, call.t);
        return;
      case 'paused':
        tl.setPaused(call.on, call.t);
        return;
      case 'camera-off':
        tl.setCameraOff(call.on, call.t);
        return;
      case 'hidden':
        tl.setHidden(call.on, call.t);
        return;
      case 'frame':
        tl.update(call.frame, call.t);
        return;
      case 'options':
        tl.setOptions(call.options);
        return;
    }
  }

  /** A hidden or unfocused page counts as "hidden" (an exam alert). Returns the stop function. */
  private watchPage(): () => void {
    const hidden = () => document.visibilityState === 'hidden';
    const onVisibility = () => this.dispatch({ type: 'page', hidden: hidden() });
    const onBlur = () => this.dispatch({ type: 'page', hidden: true });
    const onFocus = () => this.dispatch({ type: 'page', hidden: hidden() });
    document.addEventListener('visibilitychange', onVisibility);
    window.addEventListener('blur', onBlur);
    window.addEventListener('focus', onFocus);
    return () => {
      document.removeEventListener('visibilitychange', onVisibility);
      window.removeEventListener('blur', onBlur);
      window.removeEventListener('focus', onFocus);
    };
  }
}
