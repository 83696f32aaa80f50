import { describe, expect, it } from 'vitest';
import { face, mesh } from '../test/synthetic.js';
import { resolveConfig } from './config.js';
import { measureFace } from './measures.js';
import {
  browSignal,
  DEFAULT_REFERENCE,
  eyesClass,
  eyeYawDeg,
  faceStatus,
  gazeClass,
  POPULATION_REFERENCE,
  tiltSignal,
} from './signals.js';

const cfg = resolveConfig();
const ref = DEFAULT_REFERENCE;

describe('faceStatus (seed rule)', () => {
  it('maps 0 / 1 / many faces', () => {
    expect(faceStatus(0)).toBe('NO PERSON');
    expect(faceStatus(1)).toBe('OK');
    expect(faceStatus(2)).toBe('MULTIPLE PEOPLE');
    expect(faceStatus(5)).toBe('MULTIPLE PEOPLE');
  });
});

describe('measureFace', () => {
  it('measures brow ratios by inter-ocular distance, independent of scale', () => {
    const a = measureFace(face());
    const b = measureFace(face({ scale: 0.4 }));
    expect(a.iod).toBeCloseTo(80, 6);
    expect(a.knit).toBeCloseTo(40 / 80, 6);
    expect(a.lower).toBeCloseTo(25 / 80, 6);
    expect(b.knit).toBeCloseTo(a.knit, 6);
    expect(b.lower).toBeCloseTo(a.lower, 6);
    expect(b.iod).toBeCloseTo(32, 6);
  });

  it('roll > 0 when the image-right eye (the student’s left) is lower; mirroring flips it', () => {
    expect(measureFace(face({ rotateDeg: 12 })).roll).toBeCloseTo(12, 6);
    expect(measureFace(face({ rotateDeg: 12, mirror: true })).roll).toBeCloseTo(-12, 6);
  });

  it('converts Human’s radians to degrees with yaw > 0 = the student’s own left', () => {
    const m = measureFace(face({ yawDeg: 30, pitchDeg: -10 }));
    expect(m.yaw).toBeCloseTo(30, 6);
    expect(m.pitch).toBeCloseTo(-10, 6);
  });

  it('iris offsets are fractions of the eye width; mirroring flips the horizontal sign', () => {
    const m = measureFace(face({ iris: [8, 0] }));
    expect(m.irisX).toBeCloseTo(0.2, 6);
    expect(m.irisY).toBeCloseTo(0, 6);
    expect(measureFace(face({ iris: [8, 0], mirror: true })).irisX).toBeCloseTo(-0.2, 6);
    expect(measureFace(face({ iris: [0, 6] })).irisY).toBeCloseTo(0.15, 6);
  });

  it('rejects a mesh without the iris points', () => {
    expect(() => measureFace({ ...face(), mesh: mesh().slice(0, 468) })).toThrow(/no point/);
  });
});

describe('gazeClass (degrees)', () => {
  const g = (yaw: number, pitch: number, r = ref, irisX = r.irisX) =>
    gazeClass({ yaw, pitch, irisX }, r, cfg.gaze);
  it('uses the configured thresholds', () => {
    expect(g(0, 0)).toBe('CENTER');
    expect(g(19.9, 0)).toBe('CENTER');
    expect(g(20.1, 0)).toBe('LEFT');
    expect(g(-20.1, 0)).toBe('RIGHT');
    expect(g(0, 25.1)).toBe('DOWN');
    expect(g(0, -15.1)).toBe('UP');
    expect(g(30, 30)).toBe('LEFT');
  });
  it('[GAZE-EYES] a nearly straight head with the eyes well off to one side reads LEFT/RIGHT', () => {
    // 0.15 eye widths = asin(2.5 × 0.15) ≈ 22° of eye rotation.
    expect(eyeYawDeg(0.15, ref, 2.5)).toBeCloseTo(22.02, 1);
    expect(g(5, 0, ref, 0.15)).toBe('LEFT');
    expect(g(-5, 0, ref, -0.15)).toBe('RIGHT');
    expect(g(0, 0, ref, 0.05)).toBe('CENTER');
    // Head and eyes add up: 12° + 9° (0.06 eye widths).
    expect(g(12, 0, ref, 0.06)).toBe('LEFT');
    // A head turned past the threshold stays away whatever the eyes do (iris least reliable there).
    expect(g(25, 0, ref, -0.3)).toBe('LEFT');
    // Without the iris term (gain 0) only the head counts.
    expect(gazeClass({ yaw: 5, pitch: 0, irisX: 0.15 }, ref, { ...cfg.gaze, irisGain: 0 })).toBe('CENTER');
  });

  it('[GAZE-EYES] mirror-correct: a mirrored frame swaps LEFT and RIGHT of the eyes too', () => {
    const m = measureFace(face({ yawDeg: 6, iris: [6, 0] }));
    const mm = measureFace(face({ yawDeg: -6, iris: [6, 0], mirror: true }));
    expect(m.irisX).toBeCloseTo(-mm.irisX, 6);
    expect(gazeClass(m, ref, cfg.gaze)).toBe('LEFT');
    expect(gazeClass(mm, ref, cfg.gaze)).toBe('RIGHT');
  });

  it('is relative to the reference pose (a camera above the screen)', () => {
    const above = { ...ref, pitch: 22 };
    expect(g(0, 30)).toBe('DOWN');
    expect(g(0, 30, above)).toBe('CENTER');
  });
});

describe('eyesClass (fractions of eye width)', () => {
  // A reference whose iris rests 0.06 eye widths above the corner line.
  const e = (irisX: number, irisY: number) => eyesClass({ irisX, irisY }, { ...ref, irisY: -0.06 }, cfg.eyes);
  it('classifies iris offsets, LEFT = the student’s own left', () => {
    expect(e(0, 0)).toBe('CENTER');
    expect(e(0.2, 0)).toBe('LEFT');
    expect(e(-0.2, 0)).toBe('RIGHT');
    expect(e(0, 0.2)).toBe('DOWN');
    expect(e(0, -0.25)).toBe('UP');
    expect(e(0, -0.2)).toBe('CENTER');
    expect(e(0.1, 0.05)).toBe('CENTER');
  });
});

describe('browSignal and tiltSignal (0..1)', () => {
  const r = { ...ref, knit: 0.5, lower: 0.3 };
  it('[AU4] is 0 within the dead zone, 1 at dead zone + span of lowering, clamped; knit alone does nothing', () => {
    expect(browSignal({ lower: 0.3 }, r, 0.15, 0.05)).toBe(0);
    expect(browSignal({ lower: 0.3 * 0.96 }, r, 0.15, 0.05)).toBe(0);
    expect(browSignal({ lower: 0.3 * 0.875 }, r, 0.15, 0.05)).toBeCloseTo(0.5, 9);
    expect(browSignal({ lower: 0.3 * 0.8 }, r, 0.15, 0.05)).toBeCloseTo(1, 9);
    expect(browSignal({ lower: 0.01 }, r, 0.15, 0.05)).toBe(1);
    expect(browSignal({ lower: 0.9 }, r, 0.15, 0.05)).toBe(0);
    expect(browSignal({ lower: 0.3 * 0.7 }, r, 0.3)).toBeCloseTo(1, 9);
    expect(measureFace(face({ knit: 0.6 })).lower).toBeCloseTo(measureFace(face()).lower, 9);
  });
  it('[AU4] a small face needs a clearer frown: the dead zone grows below noiseIodPx', () => {
    const lowered = { lower: 0.3 * 0.84 };
    expect(browSignal({ ...lowered, iod: 80 }, r, 0.08, 0.08, 60)).toBeCloseTo(1, 9);
    expect(browSignal({ ...lowered, iod: 60 }, r, 0.08, 0.08, 60)).toBeCloseTo(1, 9);
    // 30 px between the eyes: dead zone 16%, so a 16% lowering reads 0 and 24% reads 1.
    expect(browSignal({ ...lowered, iod: 30 }, r, 0.08, 0.08, 60)).toBeCloseTo(0, 9);
    expect(browSignal({ lower: 0.3 * 0.76, iod: 30 }, r, 0.08, 0.08, 60)).toBeCloseTo(1, 9);
  });
  it('[AU4] against the population reference the spread widens the dead zone and the ramp', () => {
    // Spread 0.15 (uncalibrated): 23% lower reads 0, 46% lower reads 1; a 2.4% difference (a mirror flip
    // of one face in the evaluation) moves the signal by about 0.1, not the 0.3 of the calibrated ramp.
    expect(browSignal({ lower: 0.3 * 0.77 }, r, 0.08, 0.08, 60, 0.15)).toBeCloseTo(0, 9);
    expect(browSignal({ lower: 0.3 * 0.54 }, r, 0.08, 0.08, 60, 0.15)).toBeCloseTo(1, 9);
    const a = browSignal({ lower: 0.3 * 0.7 }, r, 0.08, 0.08, 60, 0.15);
    const b = browSignal({ lower: 0.3 * 0.724 }, r, 0.08, 0.08, 60, 0.15);
    expect(Math.abs(a - b)).toBeLessThan(0.11);
    // Only the noise part grows on a small face, not the spread: 30 px → 16% + 15% = 31%.
    expect(browSignal({ lower: 0.3 * 0.69, iod: 30 }, r, 0.08, 0.08, 60, 0.15)).toBeCloseTo(0, 9);
  });
  it('the population references are left/right symmetric (mirror-consistent)', () => {
    for (const p of Object.values(POPULATION_REFERENCE)) expect([p.yaw, p.roll, p.irisX]).toEqual([0, 0, 0]);
  });
  it('tilt is |roll − reference| / full-tilt degrees', () => {
    expect(tiltSignal({ roll: 0 }, ref, 25)).toBe(0);
    expect(tiltSignal({ roll: -12.5 }, ref, 25)).toBeCloseTo(0.5, 9);
    expect(tiltSignal({ roll: 40 }, ref, 25)).toBe(1);
    expect(tiltSignal({ roll: 10 }, { ...ref, roll: 10 }, 25)).toBe(0);
  });
});
