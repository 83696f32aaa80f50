/**
 * Synthetic face meshes for the pure-maths tests: only the landmark ids the engine reads are placed
 * (a frontal face, eyes on y = 100, inter-ocular distance 80 px); the rest of the 478 points sit at the
 * nose. Real-photo behaviour is tested in node.test.ts.
 */
import { MESH, type FaceObservation } from '../src/index.js';

type P = [number, number, number];

/** Frontal face landmarks (pixels). */
const FRONTAL: Record<number, P> = {
  [MESH.rightEyeOuter]: [100, 100, 0],
  [MESH.rightEyeInner]: [140, 100, 0],
  [MESH.leftEyeInner]: [180, 100, 0],
  [MESH.leftEyeOuter]: [220, 100, 0],
  [MESH.rightBrowInnerUpper]: [140, 70, 0],
  [MESH.rightBrowInnerLower]: [140, 80, 0],
  [MESH.leftBrowInnerUpper]: [180, 70, 0],
  [MESH.leftBrowInnerLower]: [180, 80, 0],
  [MESH.rightFaceEdge]: [80, 120, 0],
  [MESH.leftFaceEdge]: [240, 120, 0],
  [MESH.noseTip]: [160, 130, 0],
  [MESH.rightIris]: [120, 100, 0],
  [MESH.leftIris]: [200, 100, 0],
};

/** Options to derive a mesh. */
export interface MeshOptions {
  /** Brow gap multiplier (0.7 = brows 30% closer together). */
  knit?: number;
  /** Brow height multiplier (0.7 = brows 30% nearer the eyes). */
  lower?: number;
  /** In-plane rotation in degrees, clockwise on screen (image-right side goes down). */
  rotateDeg?: number;
  /** Scale about the nose. */
  scale?: number;
  /** Mirror the finished mesh left-right about x = 160. */
  mirror?: boolean;
  /** Iris shift in px (x right, y down on the image). */
  iris?: [number, number];
}

/** Builds a 478-point mesh from {@link FRONTAL} with the options applied. */
export function mesh(o: MeshOptions = {}): P[] {
  const pts: Record<number, P> = {};
  for (const [k, p] of Object.entries(FRONTAL)) pts[Number(k)] = [...p];
  const knit = o.knit ?? 1;
  const lower = o.lower ?? 1;
  for (const id of [
    MESH.rightBrowInnerUpper,
    MESH.rightBrowInnerLower,
    MESH.leftBrowInnerUpper,
    MESH.leftBrowInnerLower,
  ]) {
    const p = pts[id] as P;
    p[0] = 160 + (p[0] - 160) * knit;
    p[1] = 100 + (p[1] - 100) * lower;
  }
  for (const id of [MESH.rightIris, MESH.leftIris]) {
    const p = pts[id] as P;
    p[0] += o.iris?.[0] ?? 0;
    p[1] += o.iris?.[1] ?? 0;
  }
  const a = ((o.rotateDeg ?? 0) * Math.PI) / 180;
  const s = o.scale ?? 1;
  let out: P[] = [];
  for (let i = 0; i < 478; i++) {
    const p = pts[i] ?? ([160, 130, 0] as P);
    const x = (p[0] - 160) * s;
    const y = (p[1] - 130) * s;
    out.push([160 + x * Math.cos(a) - y * Math.sin(a), 130 + x * Math.sin(a) + y * Math.cos(a), p[2] * s]);
  }
  if (o.mirror) {
    // A mirrored face still looks like a face: the model gives the image-left eye the "right eye" ids,
    // so mirroring = flipping x and swapping the left/right id pairs.
    out = out.map(([x, y, z]) => [320 - x, y, z]);
    const pairs: [number, number][] = [
      [MESH.rightEyeOuter, MESH.leftEyeOuter],
      [MESH.rightEyeInner, MESH.leftEyeInner],
      [MESH.rightBrowInnerUpper, MESH.leftBrowInnerUpper],
      [MESH.rightBrowInnerLower, MESH.leftBrowInnerLower],
      [MESH.rightFaceEdge, MESH.leftFaceEdge],
      [MESH.rightIris, MESH.leftIris],
    ];
    for (const [r, l] of pairs) [out[r], out[l]] = [out[l] as P, out[r] as P];
  }
  return out;
}

/** A face observation around {@link mesh}. */
export function face(
  o: MeshOptions & {
    yawDeg?: number;
    pitchDeg?: number;
    score?: number;
    happy?: number;
    neutral?: number;
    box?: [number, number, number, number];
  } = {},
): FaceObservation {
  const rad = Math.PI / 180;
  return {
    box: o.box ?? [60, 40, 200, 200],
    score: o.score ?? 0.95,
    mesh: mesh(o),
    // Human's convention: yaw > 0 = turned to the person's right, so the engine's yaw is its negative.
    rotation: { yaw: -(o.yawDeg ?? 0) * rad, pitch: (o.pitchDeg ?? 0) * rad, roll: 0 },
    emotion: { happy: o.happy ?? 0, neutral: o.neutral ?? 0.9 },
  };
}
