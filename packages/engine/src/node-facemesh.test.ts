/**
 * The old mesh (`mesh: 'facemesh'`, Human's mesh + iris model), kept for comparison: it still loads,
 * reads the same landmark ids (the README's table holds for both meshes) and does not leak tensors.
 * A separate file because Human keeps one mesh model per process.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { renderRegion } from '../../../test/support/faces.js';
import { expectLandmarks, LANDMARK_FACES } from '../test/landmarks.js';
import { createNodeEngine, type NodeEngine } from './node.js';

let engine: NodeEngine;
beforeAll(async () => {
  engine = await createNodeEngine({ video: false, mesh: 'facemesh' });
});
afterAll(() => engine?.dispose());

it('loads Human’s mesh and iris model, not the attention mesh', () => {
  expect(engine.human.models.loaded()).toEqual(expect.arrayContaining(['blazeface', 'facemesh', 'iris']));
  const names = engine.human.models.stats().modelStats.map((m) => m.name);
  expect(names).not.toContain('facemesh-attention-pinto');
});

it('[LANDMARKS] the same landmark ids sit in the same places with the old mesh', async () => {
  for (const [name, region] of Object.entries(LANDMARK_FACES)) {
    const frame = await renderRegion(region);
    const r = await engine.analyze(frame);
    const m = r.overlay.mesh ?? [];
    const p: number[][] = [];
    for (let i = 0; i < m.length; i += 2) p.push([(m[i] ?? 0) * frame.width, (m[i + 1] ?? 0) * frame.height]);
    expect(p.length, name).toBe(478);
    expectLandmarks(p, name);
  }
});

it('a live engine with the other mesh is refused with a clear error, not silently mixed', async () => {
  await expect(createNodeEngine({ video: false })).rejects.toThrow(/uses the facemesh mesh; dispose it/);
});
