/** The snapshot of a student's session that the page renders (see {@link StudentSession}). */
import type {
  Accommodations,
  AnalysisPlace,
  AlertCode,
  ErrorInfo,
  FrameResult,
  Reason,
  ReportedStatus,
  SequencedMessage,
  SessionSettings,
} from '@smartsession/protocol';
import type { Overlay, TimelineState } from '@smartsession/engine';
import type { CameraFailure } from './camera.js';
import type { TelemetryStats } from './telemetryClient.js';
import type { CalibrationInfo } from './workerProtocol.js';

/** Where the session is. */
export type SessionPhase = 'starting' | 'running' | 'camera-error' | 'model-error' | 'ended' | 'refused';

/** What the page shows (an immutable snapshot). */
export interface SessionView {
  phase: SessionPhase;
  status: ReportedStatus;
  alert: AlertCode | null;
  reason: Reason | null;
  settings: SessionSettings;
  accommodations: Accommodations;
  camera: CameraFailure | null;
  modelError: string | null;
  refused: ErrorInfo | null;
  paused: boolean;
  lost: boolean;
  calibration: CalibrationInfo;
  backend: string | null;
  /** Analysed frames per second over the last few seconds. */
  fps: number;
  /** Frames analysed since the start. */
  analysed: number;
  /** Average worker time per frame, ms. */
  analysisMs: number | null;
  dropped: number;
  frame: FrameResult | null;
  overlay: Overlay | null;
  lastMessage: SequencedMessage | null;
  telemetry: TelemetryStats;
  /** The last message the server refused for good (e.g. the device clock is far off), or null. */
  rejected: { message: string; at: number } | null;
  /** When the camera last started (ms since the epoch), for the page's own diagnostics. */
  cameraStartedAt: number | null;
  /** Where frames are analysed: this browser, or the school's server (issue 14). */
  analysisPlace: AnalysisPlace;
  /**
   * The page offers analysis on the server (the class allows it): this device's engine did not load
   * (`failed`) or manages fewer than 2 analyses a second (`slow`); null: nothing to offer or already answered.
   */
  serverOffer: 'failed' | 'slow' | null;
}

/** The view before anything has started. */
export function initialView(settings: SessionSettings, state: TimelineState): SessionView {
  return {
    phase: 'starting',
    ...state,
    settings,
    accommodations: {},
    camera: null,
    modelError: null,
    refused: null,
    paused: false,
    lost: false,
    calibration: { active: false, progress: 0, done: false },
    backend: null,
    fps: 0,
    analysed: 0,
    analysisMs: null,
    dropped: 0,
    frame: null,
    overlay: null,
    lastMessage: null,
    rejected: null,
    telemetry: {
      connected: false,
      holding: false,
      lastSeq: 0,
      lastAcked: 0,
      pending: 0,
      thinned: 0,
      bytesSent: 0,
    },
    cameraStartedAt: null,
    analysisPlace: 'browser',
    serverOffer: null,
  };
}
