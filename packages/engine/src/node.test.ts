/**
 * The Node engine on real photos (face-api's demo pictures, derived with sharp at test time): real
 * Human models on the wasm backend, no mocks. Human is loaded once for the whole file.
 */
import { FrameResult } from '@smartsession/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { faceCrop, turnedAwayFrame } from '../../../test/support/faces.js';
import { createNodeEngine, type NodeEngine } from './node.js';
import { ProctorTimeline } from './timeline.js';

let engine: NodeEngine;

beforeAll(async () => {
  engine = await createNodeEngine({ video: false });
});
afterAll(() => engine?.dispose());

async function analyze(frame: Parameters<NodeEngine['analyze']>[0]) {
  const r = await engine.analyze(frame);
  expect(FrameResult.safeParse(r.frame).success).toBe(true);
  return r;
}

describe('Node engine on real photos', () => {
  it('runs on the wasm backend with the detector and the attention mesh loaded from disk', () => {
    expect(engine.backend).toBe('wasm');
    const loaded = engine.human.models.loaded();
    // The attention mesh sits in Human's `facemesh` slot; the emotion model is run by the engine itself.
    expect(loaded).toEqual(expect.arrayContaining(['blazeface', 'facemesh']));
    expect(engine.human.models.stats().modelStats.map((m) => m.name)).toContain('facemesh-attention-pinto');
  });

  it('[COUNT] counts 0, 1, 2 and 3+ faces on crops', async () => {
    const counts = [];
    for (const n of [0, 1, 2, 3] as const) counts.push((await analyze(await faceCrop(n))).frame.face_count);
    expect(counts.slice(0, 3)).toEqual([0, 1, 2]);
    expect(counts[3]).toBeGreaterThanOrEqual(3);
    const one = (await analyze(await faceCrop(1))).frame;
    expect(one.status).toBe('OK');
    expect(one.head).not.toBeNull();
    expect(one.gaze).toBe('CENTER');
  });

  it('[MIRROR] flipping a frame flips the sign of yaw, swaps LEFT/RIGHT and keeps the face count', async () => {
    const a = (await analyze(await turnedAwayFrame())).frame;
    const b = (await analyze(await turnedAwayFrame(undefined, { mirror: true }))).frame;
    expect(a.face_count).toBe(1);
    expect(b.face_count).toBe(1);
    expect(a.head?.yaw).toBeGreaterThan(15);
    expect(b.head?.yaw).toBeLessThan(-15);
    expect(a.gaze).toBe('LEFT');
    expect(b.gaze).toBe('RIGHT');
    expect(Math.sign(a.head?.roll ?? 0)).toBe(-Math.sign(b.head?.roll ?? 0));
    const c = (await analyze(await faceCrop(2, undefined, { mirror: true }))).frame;
    expect(c.face_count).toBe(2);
  });

  it('[SCALE] the same face at 40% size scores within 0.1', async () => {
    const full = (await analyze(await faceCrop(1))).frame;
    const small = (await analyze(await faceCrop(1, undefined, { scale: 0.4 }))).frame;
    expect(small.face_count).toBe(1);
    expect(Math.abs(full.confusion_score - small.confusion_score)).toBeLessThanOrEqual(0.1);
  });

  it('[LIGHT] at 35% brightness the face is still found or the frame is no-signal, never NO PERSON', async () => {
    const dark = await faceCrop(1, undefined, { brightness: 0.35 });
    const r = (await analyze(dark)).frame;
    expect(r.face_count === 1 || r.quality?.unreliable === true).toBe(true);
    // Six seconds of that frame (the analysis is deterministic, so the result is reused).
    let now = 0;
    const tl = new ProctorTimeline({}, () => now);
    for (; now <= 6000; now += 200) expect(tl.update(r).alert).not.toBe('NO_PERSON');
  });

  it('reports per-stage timings and an overlay for the preview', async () => {
    const r = await analyze(await faceCrop(1));
    for (const k of ['input', 'detect', 'quality', 'signals', 'total'] as const)
      expect(r.timings[k]).toBeGreaterThanOrEqual(0);
    expect(r.timings.total).toBeGreaterThanOrEqual(r.timings.detect);
    expect(r.overlay.boxes).toHaveLength(1);
    expect(r.overlay.mesh).toHaveLength(478 * 2);
  });

  it('calibrates on a few seconds of frames; the same face then reads neutral and CENTER', async () => {
    const f = await turnedAwayFrame();
    engine.startCalibration(1);
    let r;
    for (let t = 0; t <= 1600; t += 200) r = await engine.analyze(f, t);
    expect(r?.calibration.state).toBe('done');
    expect(engine.baseline?.yaw).toBeGreaterThan(15);
    const after = (await analyze(f)).frame;
    expect(after.gaze).toBe('CENTER');
    expect(after.signals?.brow).toBeLessThan(0.05);
    expect(after.signals?.tilt).toBeLessThan(0.05);
    engine.setBaseline(null);
  });

  it('[LEAK] live tensors stay the same over 50 frames', async () => {
    const size = { width: 320, height: 240 };
    const frames = [await faceCrop(1, size), await faceCrop(0, size), await faceCrop(2, size)];
    await engine.analyze(frames[0]!);
    const before = engine.numTensors();
    for (let i = 0; i < 50; i++) await engine.analyze(frames[i % frames.length]!);
    expect(engine.numTensors()).toBe(before);
  });

  it('rejects malformed raw input with a clear error and keeps working', async () => {
    await expect(
      engine.analyze({ data: new Uint8Array(10), width: 640, height: 480, channels: 3 }),
    ).rejects.toThrow(/expected 640x480x3/);
    expect((await analyze(await faceCrop(1))).frame.face_count).toBe(1);
  });
});
