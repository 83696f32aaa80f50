import type { FrameResult } from '@smartsession/protocol';
import type { Baseline } from './calibration.js';
import type { FaceMeasures } from './measures.js';

/** Names of the engine's pipeline stages, each timed per frame. */
export type StageName = 'input' | 'detect' | 'quality' | 'signals' | 'total';

/** Milliseconds spent in each stage of one {@link Engine.analyze} call. */
export type StageTimings = Record<StageName, number>;

/**
 * What the student's own preview may draw (never sent anywhere). Coordinates are fractions 0..1 of the
 * frame width/height.
 */
export interface Overlay {
  /** Boxes `[x, y, width, height]` of the counted faces, largest (the student) first. */
  boxes: [number, number, number, number][];
  /** Mesh of the main face as x,y pairs (478 × 2 numbers), or null. */
  mesh: number[] | null;
}

/** Calibration progress as {@link Engine.analyze} reports it. */
export interface CalibrationStatus {
  /** `idle`: none running; `collecting`: frames are being collected; `done`: the baseline is in use. */
  state: 'idle' | 'collecting' | 'done';
  /** 0..1. */
  progress: number;
}

/** Output of one {@link Engine.analyze} call. */
export interface AnalyzeResult {
  /** The per-frame JSON (contract.md). */
  frame: FrameResult;
  /** For the local preview only. */
  overlay: Overlay;
  /** Per-stage milliseconds. */
  timings: StageTimings;
  /** Calibration progress after this frame. */
  calibration: CalibrationStatus;
  /** This frame's own measures of the main face (not smoothed), or null without a usable face. */
  measures: FaceMeasures | null;
}

/**
 * The analysis engine: one instance per camera / worker, holding its own models and state.
 * @typeParam I - accepted frame type (Node: raw pixels; browser: ImageBitmap / ImageData / OffscreenCanvas).
 */
export interface Engine<I> {
  /** tfjs backend in use (`wasm`, `webgl`). */
  readonly backend: string;
  /** Analyses one frame taken at `tMs` (ms; defaults to the clock), returning the per-frame JSON. */
  analyze(input: I, tMs?: number): Promise<AnalyzeResult>;
  /** Starts collecting a neutral baseline for `seconds` (default from config); frames feed it as they come. */
  startCalibration(seconds?: number): void;
  /** The baseline in use (calibrated mode), or null. */
  readonly baseline: Baseline | null;
  /** Sets or clears the baseline (e.g. restored after a reload). */
  setBaseline(baseline: Baseline | null): void;
  /** Live tensors held by tfjs (leak checks). */
  numTensors(): number;
  /** Releases models and tensors. */
  dispose(): void;
}
