/**
 * @packageDocumentation
 * Browser entry, for a Web Worker: the engine on Human's ESM build, models fetched from our server
 * (`/models/`) and wasm binaries from `/wasm/`, never a CDN.
 *
 * Files requested (emotion on; `emotion.*` is skipped with emotion off):
 * `/models/blazeface.json`, `/models/blazeface.bin`, `/models/facemesh.json`, `/models/facemesh.bin`,
 * `/models/iris.json`, `/models/iris.bin`, `/models/emotion.json`, `/models/emotion.bin`; with the wasm
 * backend one of `/wasm/tfjs-backend-wasm-simd.wasm` (SIMD), `/wasm/tfjs-backend-wasm-threaded-simd.wasm`
 * (SIMD + threads: only on cross-origin-isolated pages) or `/wasm/tfjs-backend-wasm.wasm` (no SIMD).
 */
import { Human } from '@vladmandic/human';
import { resolveConfig, type EngineConfig, type EngineConfigInput } from './config.js';
import { chooseBackend, type BackendProbe } from './backend.js';
import { humanConfig } from './human-config.js';
import { assertModelsLoaded, HumanEngine, type Tf, type TensorFrame } from './human-engine.js';

export * from './index.js';
export { chooseBackend, type BackendProbe } from './backend.js';

/** A frame the browser engine accepts (transferable from the page to the worker). */
export type BrowserInput = ImageBitmap | ImageData | OffscreenCanvas;

/** Options of {@link createBrowserEngine}: the engine config plus where to fetch files and which backend. */
export interface BrowserEngineOptions extends EngineConfigInput {
  /** URL prefix of the model files (default `/models/`). */
  modelBasePath?: string;
  /** URL prefix of the tfjs wasm binaries (default `/wasm/`). */
  wasmPath?: string;
  /** `auto` (default) measures webgl and wasm on a few frames and keeps the faster. */
  backend?: 'auto' | 'wasm' | 'webgl';
  /** Frame used by `auto` to time the backends (default: a synthetic 320x240 frame). */
  probe?: BrowserInput;
}

/** The browser engine; `backendProbe` says how `auto` chose. */
export class BrowserEngine extends HumanEngine<BrowserInput> {
  /** How the backend was chosen. */
  readonly backendProbe: BackendProbe;

  constructor(human: Human, cfg: EngineConfig, probe: BackendProbe) {
    super(human, cfg, makeBrowserToTensor());
    this.backendProbe = probe;
  }
}

/**
 * Makes a converter ImageBitmap / ImageData / OffscreenCanvas → `[1, h, w, 3]` int32 tensor. Bitmaps and
 * canvases are read back through the converter's own 2d OffscreenCanvas, so the pixels are also in JS
 * memory for the brightness check.
 */
export function makeBrowserToTensor(): (tf: Tf, input: BrowserInput) => TensorFrame {
  let canvas: OffscreenCanvas | null = null;
  let ctx: OffscreenCanvasRenderingContext2D | null = null;
  const toImageData = (input: BrowserInput): ImageData => {
    if (typeof ImageData !== 'undefined' && input instanceof ImageData) return input;
    const source = input as ImageBitmap | OffscreenCanvas;
    if (!canvas || canvas.width !== source.width || canvas.height !== source.height) {
      canvas = new OffscreenCanvas(source.width, source.height);
      ctx = canvas.getContext('2d', { willReadFrequently: true });
    }
    if (!ctx) throw new Error('no 2d OffscreenCanvas context available to read the frame');
    ctx.drawImage(source, 0, 0);
    return ctx.getImageData(0, 0, source.width, source.height);
  };
  return (tf, input) => {
    const image = toImageData(input);
    const tensor = tf.tidy(() => tf.expandDims(tf.browser.fromPixels(image, 3), 0)) as TensorFrame['tensor'];
    return { tensor, width: image.width, height: image.height, pixels: { data: image.data, channels: 4 } };
  };
}

function syntheticFrame(): ImageData {
  const w = 320;
  const h = 240;
  const data = new Uint8ClampedArray(w * h * 4);
  for (let i = 0; i < w * h; i++) {
    const v = ((i % w) + Math.floor(i / w)) % 256;
    data.set([v, v, v, 255], i * 4);
  }
  return new ImageData(data, w, h);
}

async function initHuman(
  cfg: EngineConfig,
  backend: 'wasm' | 'webgl',
  o: BrowserEngineOptions,
): Promise<Human> {
  const human = new Human(
    humanConfig(cfg, {
      backend,
      modelBasePath: o.modelBasePath ?? '/models/',
      wasmPath: o.wasmPath ?? '/wasm/',
    }),
  );
  await human.init();
  if ((human.tf as Tf).getBackend() !== backend) throw new Error(`backend ${backend} is not available`);
  return human;
}

async function loadModels(human: Human, cfg: EngineConfig, o: BrowserEngineOptions): Promise<Human> {
  await human.load();
  assertModelsLoaded(human, cfg, o.modelBasePath ?? '/models/');
  return human;
}

/** WebGL through a software rasteriser is always slower than wasm and takes long to warm up. */
const SOFTWARE_GL = /swiftshader|llvmpipe|softpipe|software/i;

/** The unmasked WebGL renderer name ('' when unknown); works in a worker through OffscreenCanvas. */
export function webglRenderer(): string {
  try {
    if (typeof OffscreenCanvas === 'undefined') return '';
    const gl = new OffscreenCanvas(1, 1).getContext('webgl2') as WebGL2RenderingContext | null;
    if (!gl) return '';
    const ext = gl.getExtension('WEBGL_debug_renderer_info');
    const name = String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? '');
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return name;
  } catch {
    return '';
  }
}

async function timeBackend(human: Human, probe: BrowserInput, runs: number): Promise<number> {
  const tf = human.tf as Tf;
  const toTensor = makeBrowserToTensor();
  const times: number[] = [];
  for (let i = 0; i <= runs; i++) {
    const frame = toTensor(tf, probe);
    const t0 = performance.now();
    try {
      await human.detect(frame.tensor, { cacheSensitivity: 0 });
    } finally {
      frame.tensor.dispose();
    }
    if (i > 0) times.push(performance.now() - t0); // the first run compiles shaders / warms up
  }
  times.sort((a, b) => a - b);
  return times[times.length >> 1] ?? Infinity;
}

/**
 * Creates and loads the engine inside a Web Worker (or a page). With `backend: 'auto'` it loads the
 * models on webgl and on wasm, times a few detections of `probe` on each and keeps the faster (wasm
 * when webgl is unavailable or is a software rasteriser such as SwiftShader, which is always slower).
 * Rejects with a clear error when no backend works.
 */
export async function createBrowserEngine(options: BrowserEngineOptions = {}): Promise<BrowserEngine> {
  const { modelBasePath: _m, wasmPath: _w, backend = 'auto', probe, ...input } = options;
  const cfg = resolveConfig(input);
  if (backend !== 'auto') {
    const human = await loadModels(await initHuman(cfg, backend, options), cfg, options);
    return new BrowserEngine(human, cfg, { chosen: backend, ms: {}, notes: [] });
  }
  const frame = probe ?? syntheticFrame();
  const ms: BackendProbe['ms'] = {};
  const notes: string[] = [];
  const loaded: Partial<Record<'wasm' | 'webgl', Human>> = {};
  for (const b of ['webgl', 'wasm'] as const) {
    ms[b] = null;
    try {
      const renderer = b === 'webgl' ? webglRenderer() : '';
      if (SOFTWARE_GL.test(renderer)) {
        notes.push(`webgl skipped: software renderer (${renderer})`);
        continue;
      }
      const human = await initHuman(cfg, b, options);
      loaded[b] = await loadModels(human, cfg, options);
      ms[b] = await timeBackend(human, frame, 3);
    } catch (e) {
      notes.push(`${b} failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  const chosen = chooseBackend(ms);
  if (!chosen) throw new Error(`neither the webgl nor the wasm backend works here: ${notes.join('; ')}`);
  // Human keeps loaded models in module-level singletons shared by its instances, so the loser's models
  // are not disposed here; Human switches the tfjs backend back on the winner's next detect.
  const human = loaded[chosen] as Human;
  await (human.tf as Tf).setBackend(chosen);
  return new BrowserEngine(human, cfg, { chosen, ms, notes });
}
