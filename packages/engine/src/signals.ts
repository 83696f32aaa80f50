import type { Direction, FaceStatus } from '@smartsession/protocol';
import type { EngineConfig } from './config.js';
import type { FaceMeasures } from './measures.js';

/** The seed's face-count rule: 0 → `NO PERSON`, more than 1 → `MULTIPLE PEOPLE`, 1 → `OK`. */
export function faceStatus(faceCount: number): FaceStatus {
  if (faceCount === 0) return 'NO PERSON';
  return faceCount > 1 ? 'MULTIPLE PEOPLE' : 'OK';
}

/**
 * The reference a face is compared with: the student's calibrated neutral pose, or the population
 * default (looking straight at the camera, typical brow ratios).
 */
export type Reference = Pick<FaceMeasures, 'yaw' | 'pitch' | 'roll' | 'knit' | 'lower' | 'irisX' | 'irisY'>;

/**
 * Population reference used until a student is calibrated: straight at the camera, and the median brow
 * ratios of the 21 faces (confidence ≥ 0.4) in the face-api sample photos (knit 0.52, lower 0.33); the
 * iris rests slightly above the corner line (median irisY −0.06 eye widths on the same faces).
 */
export const DEFAULT_REFERENCE: Readonly<Reference> = Object.freeze({
  yaw: 0,
  pitch: 0,
  roll: 0,
  knit: 0.52,
  lower: 0.33,
  irisX: 0,
  irisY: -0.06,
});

/**
 * Head direction class from yaw/pitch in degrees relative to the reference. Horizontal wins over
 * vertical when both pass their threshold. LEFT = the student's own left (yaw > 0).
 */
export function gazeClass(
  m: Pick<FaceMeasures, 'yaw' | 'pitch'>,
  ref: Reference,
  t: EngineConfig['gaze'],
): Direction {
  const yaw = m.yaw - ref.yaw;
  const pitch = m.pitch - ref.pitch;
  if (yaw > t.yawDeg) return 'LEFT';
  if (yaw < -t.yawDeg) return 'RIGHT';
  if (pitch > t.downDeg) return 'DOWN';
  if (pitch < -t.upDeg) return 'UP';
  return 'CENTER';
}

/**
 * Iris-based eye direction from the iris offsets (fractions of eye width) relative to the reference.
 * LEFT = towards the student's own left.
 */
export function eyesClass(
  m: Pick<FaceMeasures, 'irisX' | 'irisY'>,
  ref: Reference,
  t: EngineConfig['eyes'],
): Direction {
  const x = m.irisX - ref.irisX;
  const y = m.irisY - ref.irisY;
  if (Math.abs(x) >= Math.abs(y) && Math.abs(x) > t.horizontal) return x > 0 ? 'LEFT' : 'RIGHT';
  if (y > t.vertical) return 'DOWN';
  if (y < -t.vertical) return 'UP';
  return 'CENTER';
}

const clamp01 = (x: number): number => (x < 0 ? 0 : x > 1 ? 1 : x);

/**
 * Brow signal 0..1: the mean of the knit and lowering deficits, each the relative reduction of its
 * ratio below the reference divided by `span` (0.3 = a 30% reduction is full contraction).
 * Replaces the seed's `1 - brow_dist / 3.5`, whose unit was unstated.
 */
export function browSignal(m: Pick<FaceMeasures, 'knit' | 'lower'>, ref: Reference, span: number): number {
  const knit = clamp01((ref.knit - m.knit) / (ref.knit * span));
  const lower = clamp01((ref.lower - m.lower) / (ref.lower * span));
  return clamp01((knit + lower) / 2);
}

/** Tilt signal 0..1: |roll − reference roll| in degrees divided by `fullDeg`, clamped. */
export function tiltSignal(m: Pick<FaceMeasures, 'roll'>, ref: Reference, fullDeg: number): number {
  return clamp01(Math.abs(m.roll - ref.roll) / fullDeg);
}
