/**
 * Which faces count, with the attention mesh.
 *
 * Human turns each detector box into a face only when the mesh model's face flag says so (at least the
 * detector's `minConfidence`), keeps only those faces' boxes for the next video frames, and reports the
 * flag as the face's `score`. Human's own mesh gives a probability 0..1. The attention mesh
 * (`facemesh-attention-pinto`) gives a raw logit instead (about 1 to 31 on real faces here), and it is a
 * worse judge of what is a face: on the face-api sample photos and the devset (flipped, shrunk to 40%,
 * darkened to 35%) it scored real faces as low as −15 (small or cut-off faces, which Human then drops)
 * and a window frame with a weak detector box (0.3) at +10.8, which Human then keeps. Measured in
 * `npm run eval:signals`; see the engine README.
 *
 * So the attention model's flag is replaced, inside its `execute`, by a probability: the logistic of the
 * logit when the logit is at least {@link CONFIDENT_LOGIT} (every box that high was a real face), else
 * the face flag of Human's own mesh (`facemesh.json`) run on the very same crop. Human's thresholds,
 * its video box cache and the engine's count and quality checks then behave exactly as with the old
 * mesh, while the landmarks come from the attention mesh. The extra model runs only on doubtful boxes.
 */
import type * as TF from '@tensorflow/tfjs-core';
import type { Human } from '@vladmandic/human';
import { loadGraph } from './graph-model.js';
import type { RawAttention } from './precise-mesh.js';
import type { Tf } from './human-engine.js';

/** Attention-mesh logit from which the attention mesh alone vouches for a face (logistic ≥ 0.9999997). */
const CONFIDENT_LOGIT = 15;

/** The part of a tfjs GraphModel the wrapper uses. */
export interface ExecutableModel {
  execute(
    inputs: TF.Tensor | TF.Tensor[] | TF.NamedTensorMap,
    outputs?: string | string[],
  ): TF.Tensor | TF.Tensor[];
  dispose(): void;
}

const VERIFIER = Symbol('smartsession.faceVerifier');
const RECORDS = Symbol('smartsession.rawAttention');
type Wrapped = ExecutableModel & { [VERIFIER]?: ExecutableModel; [RECORDS]?: RawAttention[] };

/** Most runs kept between two {@link takeRawRuns} calls (a frame has at most a few faces). */
const MAX_RECORDS = 32;

/** The face-flag output of a mesh model: the output whose last dimension is 1. */
function flagIndex(out: readonly TF.Tensor[]): number {
  return out.findIndex((t) => t.shape[t.shape.length - 1] === 1);
}

/**
 * Replaces the face flag of the attention mesh (see the file comment). Idempotent: Human keeps one mesh
 * model per bundle, shared by its instances, so a second engine finds it wrapped already.
 */
function wrapFaceFlag(tf: Tf, mesh: ExecutableModel, verifier: ExecutableModel): void {
  const model = mesh as Wrapped;
  if (model[VERIFIER]) {
    if (model[VERIFIER] !== verifier) verifier.dispose();
    return;
  }
  model[VERIFIER] = verifier;
  const execute = mesh.execute.bind(mesh);
  model.execute = (inputs, outputs) => {
    const out = execute(inputs, outputs);
    if (!Array.isArray(out)) return out;
    const i = flagIndex(out);
    const flag = out[i];
    if (!flag) return out;
    const logit = flag.dataSync()[0] ?? -Infinity;
    let p: number;
    if (logit >= CONFIDENT_LOGIT) p = 1 / (1 + Math.exp(-logit));
    else {
      const old = verifier.execute(inputs);
      const list = Array.isArray(old) ? old : [old];
      p = list[flagIndex(list)]?.dataSync()[0] ?? 0;
      tf.dispose(list);
    }
    out[i] = tf.fill(flag.shape, p);
    flag.dispose();
    record(model, out, p);
    return out;
  };
}

/** Keeps the raw outputs of one run (sub-pixel landmarks, `precise-mesh.ts`); cheap: a few KB read back. */
function record(model: Wrapped, out: readonly TF.Tensor[], flag: number): void {
  const bySize = (n: number) => out.filter((t) => t.size === n).map((t) => t.dataSync() as Float32Array);
  const [mesh] = bySize(1404);
  const eyes = bySize(142);
  const irises = bySize(10);
  if (!mesh || eyes.length < 2 || irises.length < 2) return;
  const list = (model[RECORDS] ??= []);
  if (list.length >= MAX_RECORDS) list.shift();
  list.push({ mesh, eyes: [eyes[0]!, eyes[1]!], irises: [irises[0]!, irises[1]!], flag });
}

/**
 * The raw runs of the attention mesh since the last call, oldest first, and forgets them. Call before
 * and after one `human.detect` (one analysis at a time per Human bundle).
 */
export function takeRawRuns(mesh: unknown): RawAttention[] {
  const model = mesh as Wrapped | null;
  const list = model?.[RECORDS] ?? [];
  if (model) model[RECORDS] = [];
  return list;
}

/** The old mesh that vouches for faces next to the attention mesh, or null (not wrapped). */
export function faceVerifier(mesh: unknown): ExecutableModel | null {
  return (mesh as Wrapped | null)?.[VERIFIER] ?? null;
}

/**
 * Loads Human's own mesh from `url` as the face verifier and wraps the loaded attention mesh with it.
 * Rejects naming the file when it does not load (`ModelFileError`), or when the backend lacks the `atan2` kernel (Human
 * then silently disables the attention mesh and finds no face at all).
 */
export async function installFaceFlag(human: Human, url: string): Promise<void> {
  const tf = human.tf as Tf;
  if (!human.env.kernels.includes('atan2')) {
    throw new Error(`the ${tf.getBackend()} backend lacks the atan2 kernel the attention face mesh needs`);
  }
  const mesh = human.models.models.facemesh as unknown as ExecutableModel | null;
  if (!mesh) throw new Error('the attention face mesh is not loaded');
  if (faceVerifier(mesh)) return;
  wrapFaceFlag(tf, mesh, await loadGraph(human, url));
}
