/**
 * Where each landmark id the engine reads must sit on a real face photo (not mirrored): shared by the
 * attention-mesh and old-mesh tests, so both meshes are held to the same ids (packages/engine/README.md).
 */
import { expect } from 'vitest';
import { FACE_REGIONS, type renderRegion } from '../../../test/support/faces.js';
import { MESH } from '../src/landmarks.js';

/** Three single, roughly frontal faces from the sample photos (see eval/sample-faces.json). */
export const LANDMARK_FACES: Record<string, Parameters<typeof renderRegion>[0]> = {
  's5-bottom (open smile)': FACE_REGIONS[1],
  's5-top (neutral)': { sample: 5, crop: { left: 659, top: 25, width: 408, height: 306 } },
  's6-middle (broad smile)': { sample: 6, crop: { left: 519, top: 232, width: 520, height: 390 } },
};

/** Checks the landmark positions of one face's 478-point mesh `p` (pixels); `name` labels failures. */
export function expectLandmarks(p: readonly (readonly number[])[], name: string): void {
  const x = (i: number) => p[i]![0]!;
  const y = (i: number) => p[i]![1]!;
  const iod = x(MESH.leftEyeOuter) - x(MESH.rightEyeOuter);
  // Eye corners left to right on the image: student's right eye (33 outer, 133 inner), then left (362, 263).
  expect(
    [x(MESH.rightEyeOuter), x(MESH.rightEyeInner), x(MESH.leftEyeInner), x(MESH.leftEyeOuter)],
    name,
  ).toEqual(
    [...[MESH.rightEyeOuter, MESH.rightEyeInner, MESH.leftEyeInner, MESH.leftEyeOuter].map(x)].sort(
      (a, b) => a - b,
    ),
  );
  // Inner brow points above their eye's inner corner, within a quarter eye distance sideways.
  for (const [b, c] of [
    [MESH.rightBrowInnerUpper, MESH.rightEyeInner],
    [MESH.rightBrowInnerLower, MESH.rightEyeInner],
    [MESH.leftBrowInnerUpper, MESH.leftEyeInner],
    [MESH.leftBrowInnerLower, MESH.leftEyeInner],
  ] as const) {
    expect(y(b), `${name} brow ${b}`).toBeLessThan(y(c));
    expect(Math.abs(x(b) - x(c)), `${name} brow ${b}`).toBeLessThan(iod * 0.3);
  }
  // The upper brow contour point above the lower one.
  expect(y(MESH.rightBrowInnerUpper)).toBeLessThan(y(MESH.rightBrowInnerLower));
  expect(y(MESH.leftBrowInnerUpper)).toBeLessThan(y(MESH.leftBrowInnerLower));
  // Iris centres inside their eye: 473 in the image-left eye, 468 in the image-right eye.
  expect(x(MESH.rightIris)).toBeGreaterThan(x(MESH.rightEyeOuter));
  expect(x(MESH.rightIris)).toBeLessThan(x(MESH.rightEyeInner));
  expect(x(MESH.leftIris)).toBeGreaterThan(x(MESH.leftEyeInner));
  expect(x(MESH.leftIris)).toBeLessThan(x(MESH.leftEyeOuter));
  // Face contour by the ears on either side of the nose (a turned face hides the far one behind the
  // eye, so not necessarily outside the eyes); nose tip between the eyes and below them.
  expect(x(MESH.rightFaceEdge)).toBeLessThan(x(MESH.noseTip));
  expect(x(MESH.leftFaceEdge)).toBeGreaterThan(x(MESH.noseTip));
  expect(x(MESH.leftFaceEdge) - x(MESH.rightFaceEdge)).toBeGreaterThan(iod);
  expect(x(MESH.noseTip)).toBeGreaterThan(x(MESH.rightEyeInner));
  expect(x(MESH.noseTip)).toBeLessThan(x(MESH.leftEyeInner));
  expect(y(MESH.noseTip)).toBeGreaterThan(y(MESH.rightEyeInner));
}
