/**
 * A model file that exists but does not load (truncated weights, a JSON that is not a model): Human only
 * logs it and would carry on without the model, so createNodeEngine must reject naming the file, and a
 * later engine with good files must still load (Human's shared models are reloaded, not kept broken).
 * A separate file because Human's models are shared per test file.
 */
import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { faceCrop } from '../../../test/support/faces.js';
import { createNodeEngine, defaultModelDir } from './node.js';

const dir = mkdtempSync(path.join(tmpdir(), 'ss-models-'));
for (const f of readdirSync(defaultModelDir()).filter((n) => /^(blazeface|facemesh|iris)\./.test(n))) {
  copyFileSync(path.join(defaultModelDir(), f), path.join(dir, f));
}
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('a model JSON that is not a model: rejects naming the file', async () => {
  writeFileSync(path.join(dir, 'iris.json'), '<html>503 Service Unavailable</html>');
  await expect(createNodeEngine({ modelDir: dir, emotion: 'off' })).rejects.toThrow(
    new RegExp(
      `could not load the face model file\\(s\\) ${dir.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}/iris\\.json`,
    ),
  );
}, 60_000);

it('then the good models load in the same process and find the face', async () => {
  const engine = await createNodeEngine({ emotion: 'off', video: false });
  try {
    const { frame } = await engine.analyze(await faceCrop(1));
    expect(frame.face_count).toBe(1);
  } finally {
    engine.dispose();
  }
}, 60_000);
