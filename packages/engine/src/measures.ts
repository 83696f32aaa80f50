import { MESH } from './landmarks.js';

/** A mesh point `[x, y, z?]` in pixels of the analysed frame (z: depth, same scale, negative = nearer). */
export type Point3 = readonly (number | undefined)[];

/**
 * One detected face, as the perception adapter hands it to the pure code. Plain data: tests build it
 * from recorded detections without any model.
 */
export interface FaceObservation {
  /** Face box `[x, y, width, height]` in pixels. */
  box: readonly [number, number, number, number];
  /** Detector/mesh confidence, 0..1. */
  score: number;
  /** 478-point mesh in pixels (empty when the mesh model did not run). */
  mesh: readonly Point3[];
  /**
   * Head rotation from the detector in **radians**, Human's convention: yaw > 0 = turned to the
   * student's *right*, pitch > 0 = head down. Null when unknown.
   */
  rotation: { yaw: number; pitch: number; roll: number } | null;
  /** Emotion probabilities 0..1, or null when emotion inference is off. */
  emotion: { happy: number; neutral: number } | null;
}

/**
 * Scale-free measurements of one face, the raw material of every signal.
 * Ratios are divided by the 3-D inter-ocular distance (eye centre to eye centre), so they do not change
 * with camera distance and change little with head yaw.
 */
export interface FaceMeasures {
  /** Degrees; > 0 = head turned to the student's own left. */
  yaw: number;
  /** Degrees; > 0 = head down. */
  pitch: number;
  /** Degrees; > 0 = head tilted towards the student's left shoulder (the image-right eye is lower). */
  roll: number;
  /** Inner-brow gap (3-D) / inter-ocular distance (smaller = brows drawn together). */
  knit: number;
  /**
   * Height of the inner brows above the eye line / inter-ocular distance (smaller = brows lowered): the
   * mean distance, in the image, of each inner brow point from the line through the outer eye corners,
   * over the 3-D inter-ocular distance, divided by cos(pitch) (a head bowed by 25° shows its brows 9%
   * nearer the eyes). Perpendicular to the eye line, so roll does not change it; not 3-D, because the
   * depth between brow and eye (the brow ridge) does not change in a frown and only dilutes the cue.
   */
  lower: number;
  /** Iris offset from the eye middle along the eye line, fraction of eye width; > 0 = towards the student's left. */
  irisX: number;
  /** Iris offset across the eye line, fraction of eye width; > 0 = down. */
  irisY: number;
  /** Inter-ocular distance in pixels (3-D). */
  iod: number;
}

const RAD = 180 / Math.PI;

function at(mesh: readonly Point3[], i: number): [number, number, number] {
  const p = mesh[i];
  if (!p) throw new Error(`face mesh has no point ${i}`);
  return [p[0] ?? 0, p[1] ?? 0, p[2] ?? 0];
}
function mid(a: Point3, b: Point3): [number, number, number] {
  return [((a[0] ?? 0) + (b[0] ?? 0)) / 2, ((a[1] ?? 0) + (b[1] ?? 0)) / 2, ((a[2] ?? 0) + (b[2] ?? 0)) / 2];
}
function dist(a: Point3, b: Point3): number {
  return Math.hypot((a[0] ?? 0) - (b[0] ?? 0), (a[1] ?? 0) - (b[1] ?? 0), (a[2] ?? 0) - (b[2] ?? 0));
}

/** Iris position in one eye: offsets along / across the corner-to-corner line, in eye widths. */
function irisOffset(iris: Point3, imageLeftCorner: Point3, imageRightCorner: Point3): [number, number] {
  const ex = (imageRightCorner[0] ?? 0) - (imageLeftCorner[0] ?? 0);
  const ey = (imageRightCorner[1] ?? 0) - (imageLeftCorner[1] ?? 0);
  const width = Math.hypot(ex, ey) || 1;
  const centre = mid(imageLeftCorner, imageRightCorner);
  const dx = (iris[0] ?? 0) - centre[0];
  const dy = (iris[1] ?? 0) - centre[1];
  // along: unit eye vector (image right); across: its perpendicular pointing down the image.
  return [(dx * ex + dy * ey) / width / width, (-dx * ey + dy * ex) / width / width];
}

/** Pitch beyond which the foreshortening correction of `lower` stops growing, degrees. */
const MAX_PITCH_CORRECTION = 45;

/** Image-plane distance of `p` from the line through `a` and `b`, > 0 when `p` is above it (towards −y). */
function heightAbove(p: Point3, a: Point3, b: Point3): number {
  const ex = (b[0] ?? 0) - (a[0] ?? 0);
  const ey = (b[1] ?? 0) - (a[1] ?? 0);
  const len = Math.hypot(ex, ey) || 1;
  return (((p[1] ?? 0) - (a[1] ?? 0)) * -ex) / len + (((p[0] ?? 0) - (a[0] ?? 0)) * ey) / len;
}

/** True when the mesh has the 478 points (with iris) the measures need. */
export function hasFullMesh(face: FaceObservation): boolean {
  return face.mesh.length >= 478;
}

/**
 * Measures one face. Frames are expected **not mirrored** (the student's left on the image's right); for
 * a mirrored frame yaw, roll and `irisX` change sign.
 */
export function measureFace(face: FaceObservation): FaceMeasures {
  const m = face.mesh;
  const rOuter = at(m, MESH.rightEyeOuter);
  const rInner = at(m, MESH.rightEyeInner);
  const lInner = at(m, MESH.leftEyeInner);
  const lOuter = at(m, MESH.leftEyeOuter);
  const rEye = mid(rOuter, rInner);
  const lEye = mid(lInner, lOuter);
  const iod = dist(rEye, lEye) || 1;
  const rBrow = mid(at(m, MESH.rightBrowInnerUpper), at(m, MESH.rightBrowInnerLower));
  const lBrow = mid(at(m, MESH.leftBrowInnerUpper), at(m, MESH.leftBrowInnerLower));
  const knit = dist(rBrow, lBrow) / iod;
  // Roll from the outer eye corners: positive when the image-right eye (student's left) is lower.
  const roll = Math.atan2(lOuter[1] - rOuter[1], lOuter[0] - rOuter[0]) * RAD;
  const [rx, ry] = irisOffset(at(m, MESH.rightIris), rOuter, rInner);
  const [lx, ly] = irisOffset(at(m, MESH.leftIris), lInner, lOuter);
  let yaw: number;
  let pitch: number;
  if (face.rotation) {
    // Human: yaw > 0 = turned to the student's right (checked on the sample photos with mesh depth).
    yaw = -face.rotation.yaw * RAD;
    pitch = face.rotation.pitch * RAD;
  } else {
    // Fallback from mesh depth: the nearer face edge shows where the head points.
    const re = at(m, MESH.rightFaceEdge);
    const le = at(m, MESH.leftFaceEdge);
    yaw = -Math.atan2(re[2] - le[2], le[0] - re[0]) * RAD;
    pitch = 0;
  }
  const height = (heightAbove(rBrow, rOuter, lOuter) + heightAbove(lBrow, rOuter, lOuter)) / 2;
  const lower = height / iod / Math.cos(Math.min(MAX_PITCH_CORRECTION, Math.abs(pitch)) / RAD);
  return { yaw, pitch, roll, knit, lower, irisX: (rx + lx) / 2, irisY: (ry + ly) / 2, iod };
}
