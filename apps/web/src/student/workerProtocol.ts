/**
 * Messages between the student page and its analysis Web Worker. Frames travel as transferred
 * `ImageBitmap`s (never copied); results come back as plain JSON (the per-frame JSON plus the preview
 * overlay, which never leaves the page).
 */
import type { EmotionSetting, FrameResult } from '@smartsession/protocol';
import type { Overlay } from '@smartsession/engine';

/** How the worker should set the engine up. */
export interface WorkerSetup {
  emotion: EmotionSetting;
  backend: 'auto' | 'wasm' | 'webgl';
  /** Where the models are served (ends with '/'). */
  modelBasePath: string;
  /** Where the tfjs wasm binaries are served (ends with '/'). */
  wasmPath: string;
  /** Calibration length, seconds. */
  calibrationSeconds: number;
  /**
   * Face mesh: `attention` (the engine's default, the vendored attention mesh) or `facemesh` (Human's old
   * mesh, for comparison; `?mesh=facemesh` on the page). Unset = the engine's default.
   */
  mesh?: 'attention' | 'facemesh';
}

/** Page → worker. */
export type ToWorker =
  | { type: 'init'; setup: WorkerSetup }
  | { type: 'frame'; id: number; tMs: number; bitmap: ImageBitmap }
  | { type: 'calibrate' }
  | { type: 'dispose' };

/** Calibration progress as the worker sees it. */
export interface CalibrationInfo {
  active: boolean;
  /** 0..1 while active; 1 once a baseline exists. */
  progress: number;
  /** True once a baseline has been set. */
  done: boolean;
}

/** Worker → page. */
export type FromWorker =
  | { type: 'ready'; backend: string; loadMs: number }
  | { type: 'load-error'; message: string }
  | {
      type: 'result';
      id: number;
      tMs: number;
      frame: FrameResult;
      /** Face boxes / mesh for the preview (fractions of the frame); never sent. */
      overlay: Overlay | null;
      /** Worker time spent on this frame, ms. */
      analysisMs: number;
      calibration: CalibrationInfo;
    }
  | { type: 'frame-error'; id: number; message: string };
