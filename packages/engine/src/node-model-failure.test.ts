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
import { vendoredModelDir } from '@smartsession/models';
import { humanModelDir } from './assets.js';
import { createNodeEngine } from './node.js';

const dir = mkdtempSync(path.join(tmpdir(), 'ss-models-'));
for (const f of readdirSync(humanModelDir()).filter((n) => /^(blazeface|facemesh|iris)\./.test(n))) {
  copyFileSync(path.join(humanModelDir(), f), path.join(dir, f));
}
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const escaped = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

it('a model JSON that is not a model: rejects naming the file (old mesh: the iris model)', async () => {
  writeFileSync(path.join(dir, 'iris.json'), '<html>503 Service Unavailable</html>');
  await expect(createNodeEngine({ modelDir: dir, emotion: 'off', mesh: 'facemesh' })).rejects.toThrow(
    new RegExp(`could not load the face model file\\(s\\) ${escaped(dir)}/iris\\.json`),
  );
}, 60_000);

it('the attention mesh: a broken face-verifier file (facemesh.json) rejects naming it', async () => {
  writeFileSync(path.join(dir, 'facemesh.json'), '<html>503 Service Unavailable</html>');
  await expect(createNodeEngine({ modelDir: dir, emotion: 'off' })).rejects.toThrow(
    new RegExp(`could not load the face model file\\(s\\) ${escaped(dir)}/facemesh\\.json`),
  );
}, 60_000);

it('a vendored attention mesh that fails its checksum is refused before loading, naming the file', async () => {
  const vendored = mkdtempSync(path.join(tmpdir(), 'ss-vendored-'));
  try {
    for (const f of readdirSync(vendoredModelDir()))
      copyFileSync(path.join(vendoredModelDir(), f), path.join(vendored, f));
    writeFileSync(
      path.join(vendored, 'facemesh-attention-pinto.bin'),
      'version https://git-lfs.github.com/spec/v1\n',
    );
    await expect(createNodeEngine({ attentionModelDir: vendored, emotion: 'off' })).rejects.toThrow(
      /vendored model files failed verification: .*facemesh-attention-pinto\.bin has \d+ bytes, expected 2387598/,
    );
  } finally {
    rmSync(vendored, { recursive: true, force: true });
  }
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
