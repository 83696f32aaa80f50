import { describe, expect, it } from 'vitest';
import { resolveConfig } from './config.js';

describe('resolveConfig', () => {
  it('fills validated defaults', () => {
    const c = resolveConfig();
    expect(c.emotion).toBe('on');
    expect(c.mesh).toBe('attention');
    expect(c.browWindowSeconds).toBe(1);
    expect(c.score).toMatchObject({
      browDeadZone: 0.08,
      browSpan: 0.08,
      browNoiseIodPx: 60,
      browPopulationSpread: 0.15,
    });
    expect(c.score).toMatchObject({ threshold: 0.58, weights: { brow: 0.45, happy: 0.35, tilt: 0.2 } });
    expect(c.gaze).toEqual({ yawDeg: 20, downDeg: 25, upDeg: 15, irisGain: 2.5 });
    expect(resolveConfig({ gaze: { yawDeg: 30 } }).gaze).toEqual({
      yawDeg: 30,
      downDeg: 25,
      upDeg: 15,
      irisGain: 2.5,
    });
    expect(resolveConfig({ mesh: 'facemesh' }).mesh).toBe('facemesh');
  });
  it('refuses bad values with the field named', () => {
    expect(() => resolveConfig({ emotion: 'maybe' as 'on' })).toThrow(/invalid engine config: emotion/);
    expect(() => resolveConfig({ score: { weights: { brow: 0.5, happy: 0.5, tilt: 0.5 } } })).toThrow(
      /weights must sum to 1/,
    );
    expect(() => resolveConfig({ gaze: { yawDeg: -3 } })).toThrow(/gaze\.yawDeg/);
    expect(() => resolveConfig({ mesh: 'blendshapes' as 'attention' })).toThrow(
      /invalid engine config: mesh/,
    );
  });
});
