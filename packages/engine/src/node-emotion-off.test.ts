/**
 * `emotion: 'off'` on a real photo: the emotion model is never loaded and nothing emotion-shaped comes
 * out. A separate file because Human is loaded once per test file.
 */
import { FrameResult } from '@smartsession/protocol';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { faceCrop } from '../../../test/support/faces.js';
import { createNodeEngine, type NodeEngine } from './node.js';

let engine: NodeEngine;
beforeAll(async () => {
  engine = await createNodeEngine({ emotion: 'off', video: false });
});
afterAll(() => engine?.dispose());

it('[EMO-OFF] does not load the emotion model and returns null emotion fields', async () => {
  expect(engine.human.models.loaded()).not.toContain('emotion');
  expect(engine.human.config.face.emotion?.enabled).toBe(false);
  const { frame } = await engine.analyze(await faceCrop(1));
  expect(FrameResult.safeParse(frame).success).toBe(true);
  expect(frame.face_count).toBe(1);
  expect(frame).toMatchObject({ emotion: null, happy_prob: null });
  expect(frame.signals?.happy).toBeNull();
  expect(frame.contributions?.happy).toBeNull();
  const c = frame.contributions;
  expect(Math.round(((c?.brow ?? 0) + (c?.tilt ?? 0)) * 1e4)).toBe(Math.round(frame.confusion_score * 1e4));
});

it('a model folder without the models fails with a clear error', async () => {
  await expect(createNodeEngine({ modelDir: '/nonexistent-models' })).rejects.toThrow(
    /Human model files not found in \/nonexistent-models: blazeface\.json/,
  );
});
