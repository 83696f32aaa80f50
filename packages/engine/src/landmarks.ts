/**
 * Landmark ids of Human's 478-point face mesh (MediaPipe FaceMesh topology + 10 iris points) that the
 * engine uses. Checked against the sample photos in `@vladmandic/face-api/demo/` (see the README of this
 * package). "Right"/"left" are the *student's own* sides: on a non-mirrored webcam frame the student's
 * right eye appears on the image's left.
 *
 * The seed's ids were wrong: 70/300 are the *outer* ends of the upper brow contour (their distance is
 * about 1.75 inter-ocular distances), and 133/362 are the *inner eye corners*, not eye centres.
 */
export const MESH = {
  /** Outer corner of the student's right eye (image left). */
  rightEyeOuter: 33,
  /** Inner corner of the student's right eye. */
  rightEyeInner: 133,
  /** Inner corner of the student's left eye (image right). */
  leftEyeInner: 362,
  /** Outer corner of the student's left eye. */
  leftEyeOuter: 263,
  /** Inner end of the student's right brow, upper contour. */
  rightBrowInnerUpper: 107,
  /** Inner end of the student's right brow, lower contour. */
  rightBrowInnerLower: 55,
  /** Inner end of the student's left brow, upper contour. */
  leftBrowInnerUpper: 336,
  /** Inner end of the student's left brow, lower contour. */
  leftBrowInnerLower: 285,
  /** Face contour beside the student's right ear (image left). */
  rightFaceEdge: 234,
  /** Face contour beside the student's left ear (image right). */
  leftFaceEdge: 454,
  /** Nose tip. */
  noseTip: 1,
  /** Iris centre of the student's right eye (image left): Human puts it at 473, not 468. */
  rightIris: 473,
  /** Iris centre of the student's left eye (image right). */
  leftIris: 468,
} as const;

/** Number of points in Human's face mesh with iris refinement. */
export const MESH_POINTS = 478;
