/**
 * @packageDocumentation
 * Node entry: the engine on Human's `node-wasm` build (tfjs wasm backend, no native code), models read
 * from `node_modules/@vladmandic/human/models` and the attention mesh from `@smartsession/models`
 * (checksums verified) through a file-system loader.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { verifiedModelDir } from '@smartsession/models';
import type { Human } from '@vladmandic/human';
import { resolveConfig, type EngineConfigInput } from './config.js';
import { ModelFileError } from './graph-model.js';
import { ATTENTION_MESH, humanConfig, modelFiles } from './human-config.js';
import {
  assertMeshFree,
  HumanEngine,
  loadOwnModels,
  modelFailures,
  type Tf,
  type TensorFrame,
} from './human-engine.js';
import { checkFiles, FS_SCHEME, modelFilePath, registerFsModelLoader } from './node-models.js';
import { attentionModelDir, humanModelDir, humanPackageDir, tfjsWasmDir } from './assets.js';

export * from './index.js';
export { HumanEngine } from './human-engine.js';

/** Raw pixels, row-major, 8 bits per channel (what `sharp(...).raw()` gives). */
export interface RawImage {
  /** `width * height * channels` bytes. */
  data: Uint8Array;
  /** Pixels. */
  width: number;
  /** Pixels. */
  height: number;
  /** 3 = RGB, 4 = RGBA (alpha ignored). */
  channels: 3 | 4;
}

/** Options of {@link createNodeEngine}: the engine config plus where models and wasm binaries live. */
export interface NodeEngineOptions extends EngineConfigInput {
  /** Folder of Human's model files (default: `@vladmandic/human/models`). */
  modelDir?: string;
  /** Folder of the tfjs-backend-wasm `.wasm` files (default: `@tensorflow/tfjs-backend-wasm/dist`). */
  wasmDir?: string;
  /** Folder of the vendored attention mesh (default: `@smartsession/models`' files, checksums verified). */
  attentionModelDir?: string;
}

/** The Node engine: analyses {@link RawImage}s. */
export type NodeEngine = HumanEngine<RawImage>;

const require = createRequire(import.meta.url);

/** Converts raw pixels to a `[1, h, w, 3]` int32 tensor; throws on a size mismatch. */
export function rawToTensor(tf: Tf, img: RawImage): TensorFrame {
  const { width, height, channels, data } = img;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new Error(`invalid image size ${width}x${height}`);
  }
  if (data.length !== width * height * channels) {
    throw new Error(`image data has ${data.length} bytes, expected ${width}x${height}x${channels}`);
  }
  let rgb = data;
  if (channels === 4) {
    rgb = new Uint8Array(width * height * 3);
    for (let i = 0, j = 0; i < data.length; i += 4, j += 3) {
      rgb[j] = data[i] ?? 0;
      rgb[j + 1] = data[i + 1] ?? 0;
      rgb[j + 2] = data[i + 2] ?? 0;
    }
  }
  return {
    tensor: tf.tensor4d(rgb, [1, height, width, 3], 'int32'),
    width,
    height,
    pixels: { data: rgb, channels: 3 },
  };
}

/**
 * Creates and loads an engine for Node (CLI, tests, benchmarks). `emotion: 'off'` does not load the
 * emotion model. Each call creates its own Human instance. Rejects with an error naming the file when a
 * model file is missing or fails to load (Human itself only logs it).
 */
export async function createNodeEngine(options: NodeEngineOptions = {}): Promise<NodeEngine> {
  const {
    modelDir = humanModelDir(),
    wasmDir = tfjsWasmDir(),
    attentionModelDir: attentionDirOption = attentionModelDir(),
    ...input
  } = options;
  const cfg = resolveConfig(input);
  checkFiles(modelDir, modelFiles(cfg), 'Human model files');
  checkFiles(wasmDir, ['tfjs-backend-wasm.wasm'], 'tfjs wasm binaries');
  const attentionDir = cfg.mesh === 'attention' ? verifiedModelDir(attentionDirOption) : attentionDirOption;
  const mod = require(path.join(humanPackageDir(), 'dist', 'human.node-wasm.js')) as {
    default: typeof Human;
  };
  const modelBase = FS_SCHEME + path.resolve(modelDir) + path.sep;
  const human = new mod.default(
    humanConfig(cfg, {
      backend: 'wasm',
      modelBasePath: modelBase,
      wasmPath: path.resolve(wasmDir) + path.sep,
      attentionModelPath: pathToFileURL(path.join(attentionDir, `${ATTENTION_MESH}.json`)).href,
    }),
  );
  registerFsModelLoader((human.tf as Tf).io);
  assertMeshFree(human, cfg.mesh);
  await human.load();
  await human.init();
  const failed = modelFailures(human, cfg);
  if (failed.length) {
    const files = failed.map((f) => (f.url ? (modelFilePath(f.url) ?? f.url) : `${f.name}.json`));
    throw new Error(
      `could not load the face model file(s) ${files.join(', ')}: unreadable, truncated or not a tfjs model`,
    );
  }
  const own = await loadOwnModels(human, cfg, modelBase).catch((e: unknown) => {
    if (!(e instanceof ModelFileError)) throw e;
    const file = modelFilePath(e.url) ?? e.url;
    throw new Error(
      `could not load the face model file(s) ${file}: unreadable, truncated or not a tfjs model`,
    );
  });
  return new HumanEngine<RawImage>(human, cfg, rawToTensor, own, () => performance.now());
}
