/**
 * The default (attention) mesh on real photos (face-api's demo pictures): landmark ids, mirror
 * consistency of every measure, a calibrated frown (a documented warp of the relaxed photo along its own
 * mesh, test/support/frown.ts: no real relaxed/frowning photo pair of one face is available), the score
 * drift of far and dark variants, and no tensor leak in video mode. Human is loaded once for the file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FACE_REGIONS, renderRegion, type RgbFrame } from '../../../test/support/faces.js';
import { frownWarp } from '../../../test/support/frown.js';
import { expectLandmarks, LANDMARK_FACES as FACES } from '../test/landmarks.js';
import type { FaceMeasures } from './measures.js';
import { createNodeEngine, type NodeEngine } from './node.js';

let engine: NodeEngine;
beforeAll(async () => {
  engine = await createNodeEngine({ video: false });
});
afterAll(() => engine?.dispose());

const mirror = (f: RgbFrame): RgbFrame => {
  const out = new Uint8Array(f.data.length);
  for (let y = 0; y < f.height; y++)
    for (let x = 0; x < f.width; x++)
      out.set(
        f.data.subarray((y * f.width + x) * 3, (y * f.width + x) * 3 + 3),
        (y * f.width + (f.width - 1 - x)) * 3,
      );
  return { ...f, data: out };
};

async function meshOf(frame: RgbFrame): Promise<number[][]> {
  const r = await engine.analyze(frame);
  const m = r.overlay.mesh ?? [];
  const out: number[][] = [];
  for (let i = 0; i < m.length; i += 2) out.push([(m[i] ?? 0) * frame.width, (m[i + 1] ?? 0) * frame.height]);
  return out;
}

async function measures(frame: RgbFrame): Promise<FaceMeasures> {
  const r = await engine.analyze(frame);
  expect(r.frame.face_count).toBe(1);
  if (!r.measures) throw new Error('no measures');
  return r.measures;
}

describe('attention mesh on real photos', () => {
  it('loads the vendored attention mesh (no iris model) and vouches for faces with the old mesh', () => {
    expect(engine.config.mesh).toBe('attention');
    const stats = engine.human.models.stats().modelStats.map((m) => [m.name, m.loaded]);
    expect(stats).toEqual(expect.arrayContaining([['facemesh-attention-pinto', true]]));
    expect(engine.human.models.loaded()).not.toContain('iris');
  });

  it('[LANDMARKS] every landmark id the engine reads sits where the README says (the old mesh: node-facemesh.test.ts)', async () => {
    for (const [name, region] of Object.entries(FACES)) {
      const p = await meshOf(await renderRegion(region));
      expect(p.length, name).toBe(478);
      expectLandmarks(p, name);
    }
  });

  it('[MIRROR] every measure of a mirrored photo mirrors: yaw, roll and irisX change sign, the rest stay', async () => {
    for (const [name, region] of Object.entries(FACES)) {
      const f = await renderRegion(region);
      const a = await measures(f);
      const b = await measures(mirror(f));
      expect(Math.abs(a.yaw + b.yaw), `${name} yaw ${a.yaw} / ${b.yaw}`).toBeLessThan(4);
      expect(Math.abs(a.roll + b.roll), `${name} roll`).toBeLessThan(2);
      expect(Math.abs(a.pitch - b.pitch), `${name} pitch`).toBeLessThan(4);
      expect(Math.abs(a.irisX + b.irisX), `${name} irisX`).toBeLessThan(0.05);
      expect(Math.abs(a.irisY - b.irisY), `${name} irisY`).toBeLessThan(0.05);
      // Model noise: 4.7% in the median over the evaluation's real faces, 10% on the broad smile here
      // (npm run eval:signals prints the spread); the brow cue's dead zone is sized from it.
      expect(Math.abs(a.lower - b.lower) / a.lower, `${name} lower`).toBeLessThan(0.12);
      expect(Math.abs(a.knit - b.knit) / a.knit, `${name} knit`).toBeLessThan(0.08);
    }
  });

  it('[AU4] calibrated on a relaxed photo, its frown (warped along the mesh) reads near 1 and crosses 0.58, emotion on and off', async () => {
    const f = await renderRegion(FACES['s5-top (neutral)']!);
    const frown = frownWarp(f, await meshOf(f), { lower: 0.3 });
    engine.startCalibration(1);
    for (let t = 0; t <= 1600; t += 200) await engine.analyze(f, t);
    expect(engine.baseline).not.toBeNull();
    try {
      const relaxed = (await engine.analyze(f)).frame;
      const hard = (await engine.analyze(frown)).frame;
      expect(relaxed.signals?.brow).toBe(0);
      expect(relaxed.confused).toBe(false);
      expect(hard.signals?.brow).toBeGreaterThanOrEqual(0.85);
      expect(hard.confused).toBe(true);
      // Emotion off: the renormalised score from the same observable signals.
      const off = 0.6923 * (hard.signals?.brow ?? 0) + 0.3077 * (hard.signals?.tilt ?? 0);
      expect(off).toBeGreaterThanOrEqual(0.58);
    } finally {
      engine.setBaseline(null);
    }
  });

  it('[SCALE][LIGHT] the far (40%) and dark (35%) variants of a face score within 0.15 of the original', async () => {
    for (const [name, region] of Object.entries(FACES)) {
      const full = (await engine.analyze(await renderRegion(region))).frame;
      const far = (await engine.analyze(await renderRegion(region, undefined, { scale: 0.4 }))).frame;
      const dark = (await engine.analyze(await renderRegion(region, undefined, { brightness: 0.35 }))).frame;
      expect(far.face_count, name).toBe(1);
      expect(dark.face_count, name).toBe(1);
      expect(Math.abs(far.confusion_score - full.confusion_score), `${name} far`).toBeLessThanOrEqual(0.15);
      expect(Math.abs(dark.confusion_score - full.confusion_score), `${name} dark`).toBeLessThanOrEqual(0.15);
      expect(Math.abs((far.signals?.brow ?? 0) - (full.signals?.brow ?? 0)), `${name} brow far`).toBeLessThan(
        0.15,
      );
      expect(
        Math.abs((dark.signals?.brow ?? 0) - (full.signals?.brow ?? 0)),
        `${name} brow dark`,
      ).toBeLessThan(0.15);
    }
  });
});

describe('attention mesh: which faces count', () => {
  it('[COUNT] faces the attention mesh alone scores as non-faces still count (the old mesh vouches for them)', async () => {
    const full = { width: 1920, height: 1280 };
    // sample5 at 40%: two small faces get attention logits of about −12 and −15 (Human would drop them);
    // the old mesh finds all five.
    const small5 = await renderRegion({ sample: 5, crop: null }, full, { scale: 0.4 });
    expect((await engine.analyze(small5)).frame.face_count).toBe(5);
    expect(
      (await engine.analyze(await renderRegion(FACE_REGIONS[2], undefined, { mirror: true }))).frame
        .face_count,
    ).toBe(2);
    expect((await engine.analyze(await renderRegion(FACE_REGIONS[0]))).frame.face_count).toBe(0);
    expect((await engine.analyze(await renderRegion(FACE_REGIONS[2]))).frame.face_count).toBe(2);
  });
});

describe('attention mesh, video mode', () => {
  it('[LEAK] live tensors stay the same over 60 frames (smoothing, emotion reuse, face verifier)', async () => {
    const video = await createNodeEngine({ video: true });
    try {
      const size = { width: 320, height: 240 };
      const frames = [
        await renderRegion(FACE_REGIONS[1], size),
        await renderRegion(FACE_REGIONS[0], size),
        await renderRegion(FACE_REGIONS[2], size),
        await renderRegion(FACE_REGIONS[1], size, { scale: 0.4 }),
      ];
      await video.analyze(frames[0]!, 0);
      const before = video.numTensors();
      for (let i = 0; i < 60; i++) await video.analyze(frames[i % frames.length]!, i * 100);
      expect(video.numTensors()).toBe(before);
    } finally {
      video.dispose();
    }
  });
});
