import { describe, expect, it } from 'vitest';
import { face, mesh } from '../test/synthetic.js';
import { resolveConfig } from './config.js';
import { measureFace } from './measures.js';
import { browSignal, DEFAULT_REFERENCE, eyesClass, faceStatus, gazeClass, tiltSignal } from './signals.js';

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
  const g = (yaw: number, pitch: number, r = ref) => gazeClass({ yaw, pitch }, r, cfg.gaze);
  it('uses the configured thresholds', () => {
    expect(g(0, 0)).toBe('CENTER');
    expect(g(19.9, 0)).toBe('CENTER');
    expect(g(20.1, 0)).toBe('LEFT');
    expect(g(-20.1, 0)).toBe('RIGHT');
    expect(g(0, 25.1)).toBe('DOWN');
    expect(g(0, -15.1)).toBe('UP');
    expect(g(30, 30)).toBe('LEFT');
  });
  it('is relative to the reference pose (a camera above the screen)', () => {
    const above = { ...ref, pitch: 22 };
    expect(g(0, 30)).toBe('DOWN');
    expect(g(0, 30, above)).toBe('CENTER');
  });
});

describe('eyesClass (fractions of eye width)', () => {
  const e = (irisX: number, irisY: number) => eyesClass({ irisX, irisY }, ref, cfg.eyes);
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
  it('is 0 at the reference, 1 at a 30% contraction of both ratios, clamped', () => {
    expect(browSignal({ knit: 0.5, lower: 0.3 }, r, 0.3)).toBe(0);
    expect(browSignal({ knit: 0.35, lower: 0.21 }, r, 0.3)).toBeCloseTo(1, 9);
    expect(browSignal({ knit: 0.35, lower: 0.3 }, r, 0.3)).toBeCloseTo(0.5, 9);
    expect(browSignal({ knit: 0.1, lower: 0.01 }, r, 0.3)).toBe(1);
    expect(browSignal({ knit: 0.9, lower: 0.9 }, r, 0.3)).toBe(0);
  });
  it('tilt is |roll − reference| / full-tilt degrees', () => {
    expect(tiltSignal({ roll: 0 }, ref, 25)).toBe(0);
    expect(tiltSignal({ roll: -12.5 }, ref, 25)).toBeCloseTo(0.5, 9);
    expect(tiltSignal({ roll: 40 }, ref, 25)).toBe(1);
    expect(tiltSignal({ roll: 10 }, { ...ref, roll: 10 }, 25)).toBe(0);
  });
});
