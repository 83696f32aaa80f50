/**
 * Sub-pixel landmarks for the attention mesh.
 *
 * Human maps the mesh from its 192-pixel face crop to the image and then truncates every coordinate to
 * a whole pixel. On a face far from the camera (inter-ocular distance about 30 pixels) one pixel is 3%
 * of that distance and an eighth of the brow's height above the eyes: the same face at 40% size read
 * its brows 11% lower, a frown. So the attention mesh's raw outputs (crop pixels, floats) are kept as
 * the model produces them (`face-flag.ts` records them), the crop-to-image scale and offset are fitted
 * to Human's truncated mesh (least squares over the 468 mesh points, refined points left out), and the
 * points the engine reads are recomputed from the raw floats. Pure.
 */
import { MESH } from './landmarks.js';
import type { Point3 } from './measures.js';

/** The raw outputs of one attention-mesh run, in crop pixels (what the model returned). */
export interface RawAttention {
  /** 468 × (x, y, z). */
  mesh: Float32Array;
  /** The two eye-region refinements, 71 × (x, y) each, in the order Human reads them. */
  eyes: [Float32Array, Float32Array];
  /** The two iris refinements, 5 × (x, y) each (centre first), in the order Human reads them. */
  irises: [Float32Array, Float32Array];
  /** The face flag Human saw (0..1, after `face-flag.ts`). */
  flag: number;
}

/**
 * Where Human puts each refinement output (MediaPipe's attention-mesh refinement tables, as Human 3.3
 * applies them): the first eye output onto points 33…, the second onto 263…; the first iris output
 * becomes 468–472, the second 473–477. Position of each engine landmark in its output.
 */
const FROM_EYE: Readonly<Record<number, [0 | 1, number]>> = {
  [MESH.rightEyeOuter]: [0, 0],
  [MESH.rightEyeInner]: [0, 8],
  [MESH.rightBrowInnerUpper]: [0, 68],
  [MESH.rightBrowInnerLower]: [0, 69],
  [MESH.leftEyeOuter]: [1, 0],
  [MESH.leftEyeInner]: [1, 8],
  [MESH.leftBrowInnerUpper]: [1, 68],
  [MESH.leftBrowInnerLower]: [1, 69],
};
const FROM_IRIS: Readonly<Record<number, 0 | 1>> = { 468: 0, 473: 1 };
const FROM_MESH = [MESH.rightFaceEdge, MESH.leftFaceEdge, MESH.noseTip] as const;

/** The centre of the pixel a truncated coordinate came from (Math.trunc rounds towards zero). */
const untrunc = (v: number): number => (v >= 0 ? v + 0.5 : v - 0.5);

interface Fit {
  a: number;
  bx: number;
  by: number;
}

function fit(raw: Float32Array, mesh: readonly Point3[], use: (i: number) => boolean): Fit | null {
  let n = 0;
  let mrx = 0;
  let mry = 0;
  let mtx = 0;
  let mty = 0;
  for (let i = 0; i < 468; i++) {
    if (!use(i)) continue;
    n++;
    mrx += raw[3 * i] ?? 0;
    mry += raw[3 * i + 1] ?? 0;
    mtx += untrunc(mesh[i]?.[0] ?? 0);
    mty += untrunc(mesh[i]?.[1] ?? 0);
  }
  if (n < 100) return null;
  mrx /= n;
  mry /= n;
  mtx /= n;
  mty /= n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < 468; i++) {
    if (!use(i)) continue;
    const rx = (raw[3 * i] ?? 0) - mrx;
    const ry = (raw[3 * i + 1] ?? 0) - mry;
    num += rx * (untrunc(mesh[i]?.[0] ?? 0) - mtx) + ry * (untrunc(mesh[i]?.[1] ?? 0) - mty);
    den += rx * rx + ry * ry;
  }
  if (den <= 0) return null;
  const a = num / den;
  return { a, bx: mtx - a * mrx, by: mty - a * mry };
}

/**
 * The engine's landmarks at sub-pixel precision, with z in image pixels too, computed from the raw
 * outputs of the run that produced `mesh` (Human's truncated 478-point mesh of the same face). Null when
 * the two do not agree to within 2 pixels (then the caller keeps Human's mesh).
 */
export function preciseLandmarks(
  raw: RawAttention,
  mesh: readonly Point3[],
): Map<number, [number, number, number]> | null {
  if (mesh.length < 478 || raw.mesh.length < 1404) return null;
  const first = fit(raw.mesh, mesh, () => true);
  if (!first) return null;
  const resid = (f: Fit, i: number): number =>
    Math.hypot(
      f.a * (raw.mesh[3 * i] ?? 0) + f.bx - untrunc(mesh[i]?.[0] ?? 0),
      f.a * (raw.mesh[3 * i + 1] ?? 0) + f.by - untrunc(mesh[i]?.[1] ?? 0),
    );
  // Points moved by the eye, lip and iris refinements do not follow the plain mesh: leave them out.
  const f = fit(raw.mesh, mesh, (i) => resid(first, i) < 1.5) ?? first;
  const out = new Map<number, [number, number, number]>();
  const z = (i: number): number => f.a * (raw.mesh[3 * i + 2] ?? 0);
  for (const [id, [eye, k]] of Object.entries(FROM_EYE)) {
    const e = raw.eyes[eye];
    out.set(Number(id), [f.a * (e[2 * k] ?? 0) + f.bx, f.a * (e[2 * k + 1] ?? 0) + f.by, z(Number(id))]);
  }
  for (const [id, which] of Object.entries(FROM_IRIS)) {
    const ir = raw.irises[which];
    out.set(Number(id), [f.a * (ir[0] ?? 0) + f.bx, f.a * (ir[1] ?? 0) + f.by, 0]);
  }
  for (const id of FROM_MESH)
    out.set(id, [f.a * (raw.mesh[3 * id] ?? 0) + f.bx, f.a * (raw.mesh[3 * id + 1] ?? 0) + f.by, z(id)]);
  // Safety: every recomputed point must land in (or next to) the pixel Human reported.
  for (const [id, p] of out) {
    const q = mesh[id];
    if (!q || Math.abs(p[0] - untrunc(q[0] ?? 0)) > 2 || Math.abs(p[1] - untrunc(q[1] ?? 0)) > 2) return null;
  }
  return out;
}
