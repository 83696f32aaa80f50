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
 * Population reference used until a student is calibrated (the CLI on single photos): straight at the
 * camera, eyes centred, and the median brow ratios and vertical iris rest of the relaxed real faces of
 * the evaluation set (`npm run eval:signals` prints them), measured with each mesh. Every entry is a
 * left/right average or zero, so a mirrored photo is compared with the same reference.
 */
export const POPULATION_REFERENCE: Readonly<Record<'attention' | 'facemesh', Readonly<Reference>>> =
  Object.freeze({
    attention: Object.freeze({
      yaw: 0,
      pitch: 0,
      roll: 0,
      knit: 0.465,
      lower: 0.247,
      irisX: 0,
      irisY: -0.05,
    }),
    facemesh: Object.freeze({ yaw: 0, pitch: 0, roll: 0, knit: 0.53, lower: 0.275, irisX: 0, irisY: -0.06 }),
  });

/** The population reference of the default (attention) mesh. */
export const DEFAULT_REFERENCE: Readonly<Reference> = POPULATION_REFERENCE.attention;

const RAD = 180 / Math.PI;

/**
 * Horizontal rotation of the eyes in their sockets, degrees (> 0 = towards the student's own left), from
 * the iris offset relative to the reference (fractions of the eye width): asin(gain × offset).
 */
export function eyeYawDeg(irisX: number, ref: Pick<Reference, 'irisX'>, gain: number): number {
  const s = gain * (irisX - ref.irisX);
  return Math.asin(s < -1 ? -1 : s > 1 ? 1 : s) * RAD;
}

/**
 * Where the student looks, class from degrees relative to the reference. Horizontally: a head turned
 * past `yawDeg` reads LEFT/RIGHT as before; otherwise the head's yaw plus the eyes' rotation in the head
 * ({@link eyeYawDeg}) decides, so a nearly straight head with the eyes well off to one side reads
 * LEFT/RIGHT too. (The eyes only add: with the head turned far, the iris sits on a foreshortened eye and
 * its offset is least reliable.) Vertically the head's pitch alone (the iris's vertical offset moves with
 * the eyelids). Horizontal wins over vertical when both pass their threshold. LEFT = the student's own
 * left (yaw > 0).
 */
export function gazeClass(
  m: Pick<FaceMeasures, 'yaw' | 'pitch' | 'irisX'>,
  ref: Reference,
  t: EngineConfig['gaze'],
): Direction {
  const head = m.yaw - ref.yaw;
  const yaw = Math.abs(head) > t.yawDeg ? head : head + eyeYawDeg(m.irisX, ref, t.irisGain);
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
 * Brow signal 0..1, the brow lowerer (facial action unit 4): the relative lowering of the inner brows
 * below their height in the reference face (`lower`, see {@link FaceMeasures}), less a dead zone for
 * measurement noise, as a share of `span`: with 0.08 and 0.08, 8% lower reads 0 and 16% lower reads 1.
 * The dead zone grows on small faces, whose landmarks are noisier (fewer pixels per landmark, a blurrier
 * crop for the mesh): by `noiseIodPx / iod` below an inter-ocular distance of `noiseIodPx` pixels, so
 * a face at 40% size (about 30 px between the eyes) needs twice as clear a frown.
 *
 * `spread` is how uncertain the reference itself is: 0 for the student's own calibrated face; for the
 * population reference, how much resting brow heights differ between people. It widens both the dead
 * zone and the ramp: against a reference that is only known to ±15%, a few percent more or less (a
 * mirror flip moved one face's reading by 2.4%) must not swing the signal from 0 to 0.3, which a ramp
 * as steep as the calibrated one did (`npm run eval:signals`). The knit ratio (inner-brow gap) is
 * measured but not used: a frown moved it no more than a mirror flip does (engine README, "Brow
 * lowering"). Replaces the seed's `1 - brow_dist / 3.5`, whose unit was unstated.
 */
export function browSignal(
  m: Pick<FaceMeasures, 'lower'> & Partial<Pick<FaceMeasures, 'iod'>>,
  ref: Pick<Reference, 'lower'>,
  span: number,
  dead = 0,
  noiseIodPx = 0,
  spread = 0,
): number {
  const small = m.iod && noiseIodPx > 0 && m.iod < noiseIodPx ? noiseIodPx / m.iod : 1;
  return clamp01(((ref.lower - m.lower) / ref.lower - dead * small - spread) / (span + spread));
}

/** Tilt signal 0..1: |roll − reference roll| in degrees divided by `fullDeg`, clamped. */
export function tiltSignal(m: Pick<FaceMeasures, 'roll'>, ref: Reference, fullDeg: number): number {
  return clamp01(Math.abs(m.roll - ref.roll) / fullDeg);
}
