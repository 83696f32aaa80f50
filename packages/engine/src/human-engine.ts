import type * as TF from '@tensorflow/tfjs-core';
import type { FaceResult, Human } from '@vladmandic/human';
import { Calibrator, type Baseline } from './calibration.js';
import type { EngineConfig } from './config.js';
import { EmotionReader } from './emotion.js';
import { faceVerifier, installFaceFlag, takeRawRuns } from './face-flag.js';
import { loadGraph } from './graph-model.js';
import { buildFrame, countedFaces } from './frame.js';
import { MESH_INPUT_SIZE } from './human-config.js';
import type { FaceObservation } from './measures.js';
import { BrowSmoother } from './smoothing.js';
import { preciseLandmarks, type RawAttention } from './precise-mesh.js';
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

/**
 * Live engines per Human bundle (keyed by its shared `env` object) and the mesh they use; see
 * {@link HumanEngine.dispose}. Human keeps one mesh model per bundle, so every live engine of a bundle
 * must use the same mesh.
 */
const liveEngines = new WeakMap<object, { count: number; mesh: EngineConfig['mesh'] }>();

/**
 * Throws when another live engine of this Human bundle uses the other mesh (Human would silently run
 * the wrong model for one of them). Call before loading models.
 */
export function assertMeshFree(human: Human, mesh: EngineConfig['mesh']): void {
  const live = liveEngines.get(human.env);
  if (live && live.count > 0 && live.mesh !== mesh) {
    throw new Error(
      `a live engine in this process uses the ${live.mesh} mesh; dispose it before creating one with the ${mesh} mesh`,
    );
  }
}

/**
 * The required models (see {@link requiredModels}) that Human failed to load (it only logs a failed
 * download and carries on). On a failure Human's shared models are flagged for a reload, so a later
 * `load()` in this bundle fetches them again instead of keeping the broken ones.
 */
export function modelFailures(human: Human, cfg: Pick<EngineConfig, 'mesh'>): ModelLoadState[] {
  const failed = failedModels(
    requiredModels(cfg),
    human.models.stats().modelStats as ModelLoadState[],
    human.models.loaded(),
  );
  if (failed.length) (human.env as { initial: boolean }).initial = true;
  return failed;
}

/** The models the engine loads and runs itself, next to Human's. */
export interface OwnModels {
  /** Reads P(happy) / P(neutral) of the main face; null with emotion off. */
  emotion: EmotionReader | null;
}

/**
 * Loads the models the engine runs itself from `baseUrl` (ending with `/`, where Human's model files
 * are): with the attention mesh, Human's own mesh as the face verifier (`face-flag.ts`); with emotion on,
 * the emotion model (`emotion.ts`). Call after Human's `load()`. Rejects naming the file.
 */
export async function loadOwnModels(human: Human, cfg: EngineConfig, baseUrl: string): Promise<OwnModels> {
  if (cfg.mesh === 'attention') await installFaceFlag(human, `${baseUrl}facemesh.json`);
  if (cfg.emotion === 'off') return { emotion: null };
  const model = await loadGraph(human, `${baseUrl}emotion.json`);
  return { emotion: new EmotionReader(human.tf as Tf, model, cfg.video ? 500 : 0) };
}

/**
 * Human's face result → the plain observation the pure code reads. Human scales the mesh's x and y from
 * the 192-pixel face crop to image pixels but leaves z in crop pixels (and truncates all three), so a
 * small face's depth was out of proportion: 3-D brow distances of one face shrunk to 40% grew by up to
 * 85%. z is scaled here by the crop's size, which is the face box's larger side (Human sizes the box from
 * the crop; a box clipped by the frame edge keeps its other side).
 */
function toObservation(face: FaceResult): FaceObservation {
  const emo = face.emotion;
  const p = (name: string): number => emo?.find((e) => e.emotion === name)?.score ?? 0;
  const zScale = Math.max(face.box[2], face.box[3]) / MESH_INPUT_SIZE;
  return {
    box: [face.box[0], face.box[1], face.box[2], face.box[3]],
    score: face.score,
    mesh: face.mesh.map((q) => [q[0], q[1], (q[2] ?? 0) * zScale]),
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
function meanLuma(tf: Tf, frame: TensorFrame, box: readonly number[] | null): number {
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
 * Replaces the engine's landmarks of each face with sub-pixel ones from the attention mesh's raw runs
 * (`precise-mesh.ts`). Human keeps a run's face when its flag, rounded to 2 decimals, exceeds the
 * detector's `minConfidence`, in run order, so the kept runs pair with the faces in order; any doubt
 * (counts differ, a face without a full mesh, a fit that disagrees) leaves Human's landmarks as they are.
 */
function withPreciseLandmarks(
  faces: FaceObservation[],
  runs: readonly RawAttention[],
  minConfidence: number,
): FaceObservation[] {
  const kept = runs.filter((r) => Math.round(100 * r.flag) / 100 > minConfidence);
  if (!kept.length || kept.length !== faces.length) return faces;
  return faces.map((face, i) => {
    const run = kept[i];
    const precise = run && face.mesh.length >= 478 ? preciseLandmarks(run, face.mesh) : null;
    if (!precise) return face;
    const mesh = face.mesh.slice();
    for (const [id, p] of precise) mesh[id] = p;
    return { ...face, mesh };
  });
}

/**
 * The engine over a loaded Human instance; shared by the Node and browser entries. Stages: `input`
 * (frame → tensor), `detect` (Human, plus the engine's emotion model), `quality` (brightness of the face box), `signals` (pure maths).
 */
export class HumanEngine<I> implements Engine<I> {
  readonly #human: Human;
  readonly #cfg: EngineConfig;
  readonly #toTensor: ToTensor<I>;
  readonly #now: () => number;
  readonly #emotion: EmotionReader | null;
  #baseline: Baseline | null = null;
  #calibrator: Calibrator | null = null;
  readonly #smoother: BrowSmoother | null;
  #disposed = false;

  /**
   * `now` is the stage timer, in ms (the platform's `performance.now`: this file is built without DOM or
   * Node types, so each entry hands it in).
   */
  constructor(human: Human, cfg: EngineConfig, toTensor: ToTensor<I>, own: OwnModels, now: () => number) {
    this.#human = human;
    this.#cfg = cfg;
    this.#toTensor = toTensor;
    this.#now = now;
    this.#emotion = own.emotion;
    this.#smoother = cfg.video && cfg.browWindowSeconds > 0 ? new BrowSmoother(cfg.browWindowSeconds) : null;
    assertMeshFree(human, cfg.mesh);
    const live = liveEngines.get(human.env);
    liveEngines.set(human.env, { count: (live?.count ?? 0) + 1, mesh: cfg.mesh });
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
    this.#smoother?.reset();
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
    const t0 = this.#now();
    const frame = this.#toTensor(tf, input);
    const t1 = this.#now();
    try {
      const meshModel = this.#human.models.models.facemesh;
      takeRawRuns(meshModel);
      const result = await this.#human.detect(frame.tensor);
      if (result.error) throw new Error(`face analysis failed: ${result.error}`);
      const detected = withPreciseLandmarks(
        result.face.map(toObservation),
        takeRawRuns(meshModel),
        this.#human.config.face.detector?.minConfidence ?? 0,
      );
      const main = countedFaces(detected, this.#cfg.minFaceConfidence)[0] ?? null;
      if (main && this.#emotion) main.emotion = this.#emotion.read(frame.tensor, main.box, tMs);
      else this.#emotion?.reset();
      const t2 = this.#now();
      const brightness = meanLuma(tf, frame, main ? main.box : null);
      const t3 = this.#now();
      const ctx = { width: frame.width, height: frame.height, brightness };
      const built = buildFrame(detected, ctx, this.#cfg, this.#baseline, this.#smoother, tMs);
      const calibration = this.#feedCalibration(built, tMs);
      const overlay = makeOverlay(built.faces, frame.width, frame.height);
      const t4 = this.#now();
      const timings: StageTimings = {
        input: t1 - t0,
        detect: t2 - t1,
        quality: t3 - t2,
        signals: t4 - t3,
        total: t4 - t0,
      };
      return { frame: built.frame, overlay, timings, calibration, measures: built.measures };
    } finally {
      frame.tensor.dispose();
    }
  }

  #feedCalibration(built: ReturnType<typeof buildFrame>, tMs: number): CalibrationStatus {
    const cal = this.#calibrator;
    if (!cal) return { state: this.#baseline ? 'done' : 'idle', progress: this.#baseline ? 1 : 0 };
    if (built.measures && built.frame.face_count === 1 && !built.frame.quality?.unreliable)
      cal.add(built.measures, tMs, built.frame.happy_prob);
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
    this.#emotion?.dispose();
    const env = this.#human.env;
    const left = (liveEngines.get(env)?.count ?? 1) - 1;
    liveEngines.set(env, { count: left, mesh: this.#cfg.mesh });
    if (left > 0) return;
    for (const model of Object.values(this.#human.models.models ?? {})) {
      faceVerifier(model)?.dispose();
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
