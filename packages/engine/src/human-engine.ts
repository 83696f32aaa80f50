import type * as TF from '@tensorflow/tfjs-core';
import type { FaceResult, Human } from '@vladmandic/human';
import { Calibrator, type Baseline } from './calibration.js';
import type { EngineConfig } from './config.js';
import { buildFrame, countedFaces } from './frame.js';
import type { FaceObservation } from './measures.js';
import { failedModels, requiredModels, type ModelLoadState } from './model-check.js';
import type { AnalyzeResult, CalibrationStatus, Engine, Overlay, StageTimings } from './types.js';

/** The tfjs namespace Human carries (`human.tf`). */
export type Tf = typeof TF;

/** A frame as a `[1, height, width, 3]` tensor plus its size; the engine disposes the tensor. */
export interface TensorFrame {
  tensor: TF.Tensor4D;
  width: number;
  height: number;
  /** The same pixels in JS memory when the input had them (raw RGB/RGBA): brightness is sampled here, not with tensor ops. */
  pixels?: { data: ArrayLike<number>; channels: number };
}

/** Converts one input into a tensor frame with Human's tfjs. */
export type ToTensor<I> = (tf: Tf, input: I) => TensorFrame;

const now = (): number => globalThis.performance.now();

/** Live engines per Human bundle (keyed by its shared `env` object); see {@link HumanEngine.dispose}. */
const liveEngines = new WeakMap<object, number>();

/**
 * The required models (see {@link requiredModels}) that Human failed to load (it only logs a failed
 * download and carries on). On a failure Human's shared models are flagged for a reload, so a later
 * `load()` in this bundle fetches them again instead of keeping the broken ones.
 */
export function modelFailures(human: Human, cfg: Pick<EngineConfig, 'emotion'>): ModelLoadState[] {
  const failed = failedModels(
    requiredModels(cfg),
    human.models.stats().modelStats as ModelLoadState[],
    human.models.loaded(),
  );
  if (failed.length) (human.env as { initial: boolean }).initial = true;
  return failed;
}

/** Human's face result → the plain observation the pure code reads. */
export function toObservation(face: FaceResult): FaceObservation {
  const emo = face.emotion;
  const p = (name: string): number => emo?.find((e) => e.emotion === name)?.score ?? 0;
  return {
    box: [face.box[0], face.box[1], face.box[2], face.box[3]],
    score: face.score,
    mesh: face.mesh,
    rotation: face.rotation ? { ...face.rotation.angle } : null,
    emotion: emo ? { happy: p('happy'), neutral: p('neutral') } : null,
  };
}

/** Clamps a box `[x, y, w, h]` (pixels) to the frame, or the whole frame for null. */
function clampBox(frame: TensorFrame, box: readonly number[] | null): [number, number, number, number] {
  if (!box) return [0, 0, frame.width, frame.height];
  const x = Math.max(0, Math.min(frame.width - 1, Math.round(box[0] ?? 0)));
  const y = Math.max(0, Math.min(frame.height - 1, Math.round(box[1] ?? 0)));
  const w = Math.max(1, Math.min(frame.width - x, Math.round(box[2] ?? 1)));
  const h = Math.max(1, Math.min(frame.height - y, Math.round(box[3] ?? 1)));
  return [x, y, w, h];
}

/** Mean luma 0..1 (Rec. 601 weights) of about 64x64 pixels sampled evenly from a box of JS pixels. */
function sampledLuma(
  frame: TensorFrame & { pixels: NonNullable<TensorFrame['pixels']> },
  box: readonly number[] | null,
): number {
  const [x0, y0, w, h] = clampBox(frame, box);
  const { data, channels } = frame.pixels;
  const step = Math.max(1, Math.floor(Math.max(w, h) / 64));
  let sum = 0;
  let n = 0;
  for (let y = y0; y < y0 + h; y += step) {
    for (let x = x0, i = (y * frame.width + x0) * channels; x < x0 + w; x += step, i += step * channels) {
      sum += 0.299 * (data[i] ?? 0) + 0.587 * (data[i + 1] ?? 0) + 0.114 * (data[i + 2] ?? 0);
      n++;
    }
  }
  return n ? sum / n / 255 : 0;
}

/**
 * Mean luma 0..1 of a box `[x, y, w, h]` (pixels) of the frame, or of the whole frame. Sampled in JS
 * when the frame carries its pixels, else computed with tensor ops.
 */
export function meanLuma(tf: Tf, frame: TensorFrame, box: readonly number[] | null): number {
  if (frame.pixels) return sampledLuma({ ...frame, pixels: frame.pixels }, box);
  return tf.tidy(() => {
    let region: TF.Tensor4D;
    if (box) {
      const [x, y, w, h] = clampBox(frame, box);
      region = tf.slice(frame.tensor, [0, y, x, 0], [1, h, w, 3]);
    } else {
      // Cast first: stridedSlice of an int32 tensor returns garbage on the wasm backend (tfjs 4.22).
      const all = tf.cast(frame.tensor, 'float32');
      region = tf.stridedSlice(
        all,
        [0, 0, 0, 0],
        [1, frame.height, frame.width, 3],
        [1, 4, 4, 1],
      ) as TF.Tensor4D;
    }
    const luma = tf.sum(tf.mul(tf.cast(region, 'float32'), tf.tensor1d([0.299, 0.587, 0.114])), -1);
    return (tf.mean(luma).dataSync()[0] ?? 0) / 255;
  });
}

/**
 * The engine over a loaded Human instance; shared by the Node and browser entries. Stages: `input`
 * (frame → tensor), `detect` (Human), `quality` (brightness of the face box), `signals` (pure maths).
 */
export class HumanEngine<I> implements Engine<I> {
  readonly #human: Human;
  readonly #cfg: EngineConfig;
  readonly #toTensor: ToTensor<I>;
  #baseline: Baseline | null = null;
  #calibrator: Calibrator | null = null;
  #disposed = false;

  constructor(human: Human, cfg: EngineConfig, toTensor: ToTensor<I>) {
    this.#human = human;
    this.#cfg = cfg;
    this.#toTensor = toTensor;
    liveEngines.set(human.env, (liveEngines.get(human.env) ?? 0) + 1);
  }

  /** The underlying Human instance (benchmarks compare against raw `human.detect`). */
  get human(): Human {
    return this.#human;
  }

  /** The validated configuration in force. */
  get config(): EngineConfig {
    return this.#cfg;
  }

  /** The tfjs backend in use (`wasm`, `webgl`). */
  get backend(): string {
    return (this.#human.tf as Tf).getBackend();
  }

  /** The calibrated neutral baseline in use, or null (uncalibrated). */
  get baseline(): Baseline | null {
    return this.#baseline;
  }

  /** Sets or clears the baseline; stops a calibration in progress. */
  setBaseline(baseline: Baseline | null): void {
    this.#baseline = baseline;
    this.#calibrator = null;
  }

  /** Starts collecting a neutral baseline over `seconds` of usable frames (the next analyze calls feed it). */
  startCalibration(seconds = this.#cfg.calibrationSeconds): void {
    this.#calibrator = new Calibrator({ seconds });
  }

  /** Live tfjs tensors (leak checks). */
  numTensors(): number {
    return (this.#human.tf as Tf).memory().numTensors;
  }

  /**
   * Analyses one frame taken at `tMs` (ms, used by calibration). Call one frame at a time (the worker
   * drops frames while busy). The input tensor is always disposed, also on errors.
   */
  async analyze(input: I, tMs: number = Date.now()): Promise<AnalyzeResult> {
    if (this.#disposed) throw new Error('engine is disposed');
    const tf = this.#human.tf as Tf;
    const t0 = now();
    const frame = this.#toTensor(tf, input);
    const t1 = now();
    try {
      const result = await this.#human.detect(frame.tensor);
      if (result.error) throw new Error(`face analysis failed: ${result.error}`);
      const t2 = now();
      const detected = result.face.map(toObservation);
      const main = countedFaces(detected, this.#cfg.minFaceConfidence)[0] ?? null;
      const brightness = meanLuma(tf, frame, main ? main.box : null);
      const t3 = now();
      const ctx = { width: frame.width, height: frame.height, brightness };
      const built = buildFrame(detected, ctx, this.#cfg, this.#baseline);
      const calibration = this.#feedCalibration(built, tMs);
      const overlay = makeOverlay(built.faces, frame.width, frame.height);
      const t4 = now();
      const timings: StageTimings = {
        input: t1 - t0,
        detect: t2 - t1,
        quality: t3 - t2,
        signals: t4 - t3,
        total: t4 - t0,
      };
      return { frame: built.frame, overlay, timings, calibration };
    } finally {
      frame.tensor.dispose();
    }
  }

  #feedCalibration(built: ReturnType<typeof buildFrame>, tMs: number): CalibrationStatus {
    const cal = this.#calibrator;
    if (!cal) return { state: this.#baseline ? 'done' : 'idle', progress: this.#baseline ? 1 : 0 };
    if (built.measures && built.frame.face_count === 1 && !built.frame.quality?.unreliable)
      cal.add(built.measures, tMs);
    const baseline = cal.result();
    if (baseline) {
      this.#baseline = baseline;
      this.#calibrator = null;
      return { state: 'done', progress: 1 };
    }
    return { state: 'collecting', progress: cal.progress };
  }

  /**
   * Releases this engine. Human keeps loaded models in module-level singletons shared by every Human
   * instance of one bundle, so the weights are disposed only with the last live engine of that bundle;
   * Human then reloads them for the next engine (its `env.initial` flag).
   */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    const env = this.#human.env;
    const left = (liveEngines.get(env) ?? 1) - 1;
    liveEngines.set(env, left);
    if (left > 0) return;
    for (const model of Object.values(this.#human.models.models ?? {})) {
      (model as { dispose?: () => void } | null)?.dispose?.();
    }
    this.#human.models.reset();
    (env as { initial: boolean }).initial = true;
  }
}

function makeOverlay(faces: FaceObservation[], width: number, height: number): Overlay {
  const boxes = faces.map((f): [number, number, number, number] => [
    f.box[0] / width,
    f.box[1] / height,
    f.box[2] / width,
    f.box[3] / height,
  ]);
  const main = faces[0];
  const mesh =
    main && main.mesh.length ? main.mesh.flatMap((p) => [(p[0] ?? 0) / width, (p[1] ?? 0) / height]) : null;
  return { boxes, mesh };
}
