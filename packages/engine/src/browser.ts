/**
 * @packageDocumentation
 * Browser entry, for a Web Worker: the engine on Human's ESM build, models fetched from our server
 * (`/models/`) and wasm binaries from `/wasm/`, never a CDN.
 *
 * Files requested (default attention mesh, emotion on; `emotion.*` is skipped with emotion off):
 * `/models/blazeface.json`, `/models/blazeface.bin`, `/models/facemesh-attention-pinto.json`,
 * `/models/facemesh-attention-pinto.bin` (vendored in `@smartsession/models`, served by our server),
 * `/models/facemesh.json`, `/models/facemesh.bin` (vouches for faces, see face-flag.ts),
 * `/models/emotion.json`, `/models/emotion.bin`. With `mesh: 'facemesh'`: blazeface, facemesh, iris and
 * emotion, as before. With the wasm
 * backend one of `/wasm/tfjs-backend-wasm-simd.wasm` (SIMD), `/wasm/tfjs-backend-wasm-threaded-simd.wasm`
 * (SIMD + threads: only on cross-origin-isolated pages) or `/wasm/tfjs-backend-wasm.wasm` (no SIMD).
 */
import { Human } from '@vladmandic/human';
import { resolveConfig, type EngineConfig, type EngineConfigInput } from './config.js';
import { decideBackend, type BackendProbe } from './backend.js';
import { ModelFileError } from './graph-model.js';
import { ATTENTION_MESH, humanConfig } from './human-config.js';
import {
  assertMeshFree,
  HumanEngine,
  loadOwnModels,
  modelFailures,
  type OwnModels,
  type Tf,
  type TensorFrame,
} from './human-engine.js';
import { explainModelFailure } from './model-check.js';

export * from './index.js';
export { chooseBackend, decideBackend, rendererKind, type BackendProbe } from './backend.js';

/** A frame the browser engine accepts (transferable from the page to the worker). */
export type BrowserInput = ImageBitmap | ImageData | OffscreenCanvas;

/** Options of {@link createBrowserEngine}: the engine config plus where to fetch files and which backend. */
export interface BrowserEngineOptions extends EngineConfigInput {
  /** URL prefix of the model files (default `/models/`). */
  modelBasePath?: string;
  /** URL prefix of the tfjs wasm binaries (default `/wasm/`). */
  wasmPath?: string;
  /**
   * `auto` (default): wasm at once when WebGL is missing or software-rendered; with a real GPU, webgl and
   * wasm are timed on a few frames and the faster kept.
   */
  backend?: 'auto' | 'wasm' | 'webgl';
  /** Frame used by `auto` to time the backends (default: a synthetic 320x240 frame). */
  probe?: BrowserInput;
  /**
   * Overrides the detected WebGL renderer name for `auto` (diagnosis and tests: a name that is not a
   * software renderer makes `auto` time both backends even on SwiftShader).
   */
  renderer?: string | null;
}

/** The browser engine; `backendProbe` says how `auto` chose. */
export class BrowserEngine extends HumanEngine<BrowserInput> {
  /** How the backend was chosen. */
  readonly backendProbe: BackendProbe;

  constructor(human: Human, cfg: EngineConfig, probe: BackendProbe, own: OwnModels) {
    super(human, cfg, makeBrowserToTensor(), own, () => performance.now());
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
      attentionModelPath: `${ATTENTION_MESH}.json`,
    }),
  );
  assertMeshFree(human, cfg.mesh);
  await human.init();
  if ((human.tf as Tf).getBackend() !== backend) throw new Error(`backend ${backend} is not available`);
  return human;
}

const fetchFile = (url: string): Promise<Response> => fetch(url);

/** A loaded Human with the engine's own models. */
interface Loaded {
  human: Human;
  own: OwnModels;
}

/** Loads the models (Human's, then the engine's own) and rejects with an error naming the file when one did not load. */
async function loadModels(human: Human, cfg: EngineConfig, o: BrowserEngineOptions): Promise<Loaded> {
  await human.load();
  const failed = modelFailures(human, cfg);
  if (failed.length) {
    const why = await Promise.all(failed.map((f) => explainModelFailure(f, fetchFile)));
    throw new Error(`could not load the face models: ${why.join('; ')}`);
  }
  try {
    return { human, own: await loadOwnModels(human, cfg, o.modelBasePath ?? '/models/') };
  } catch (e) {
    if (!(e instanceof ModelFileError)) throw e;
    const name = e.url.slice(e.url.lastIndexOf('/') + 1).replace(/\.json$/, '');
    throw new Error(
      `could not load the face models: ${await explainModelFailure({ name, loaded: false, url: e.url }, fetchFile)}`,
    );
  }
}

/**
 * The unmasked WebGL renderer name: '' when the browser hides it, null when no WebGL context can be
 * created. Works in a worker through OffscreenCanvas; creates no models.
 */
export function webglRenderer(): string | null {
  try {
    if (typeof OffscreenCanvas === 'undefined') return null;
    const canvas = new OffscreenCanvas(1, 1);
    const gl = (canvas.getContext('webgl2') ?? canvas.getContext('webgl')) as WebGLRenderingContext | null;
    if (!gl) return null;
    const ext = gl.getExtension('WEBGL_debug_renderer_info');
    const name = ext ? String(gl.getParameter(ext.UNMASKED_RENDERER_WEBGL) ?? '') : '';
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return name;
  } catch {
    return null;
  }
}

/** Bounds of the `auto` measurement: timed detections after one warm-up, and a time cap, ms. */
const PROBE_RUNS = 3;
const PROBE_CAP_MS = 4000;

/**
 * Median ms of up to {@link PROBE_RUNS} detections of `probe` after one warm-up (shader compilation),
 * stopping early once {@link PROBE_CAP_MS} is spent; null when the warm-up alone exceeds the cap.
 */
async function timeBackend(human: Human, probe: BrowserInput): Promise<number | null> {
  const tf = human.tf as Tf;
  const toTensor = makeBrowserToTensor();
  const times: number[] = [];
  const started = performance.now();
  for (let i = 0; i <= PROBE_RUNS; i++) {
    const frame = toTensor(tf, probe);
    const t0 = performance.now();
    try {
      await human.detect(frame.tensor, { cacheSensitivity: 0 });
    } finally {
      frame.tensor.dispose();
    }
    if (i > 0) times.push(performance.now() - t0);
    if (performance.now() - started > PROBE_CAP_MS) break;
  }
  if (!times.length) return null;
  times.sort((a, b) => a - b);
  return Math.round(times[times.length >> 1] ?? Infinity);
}

/**
 * Creates and loads the engine inside a Web Worker (or a page). With `backend: 'auto'` the WebGL renderer
 * decides first ({@link decideBackend}): no WebGL or a software renderer (SwiftShader, llvmpipe) → wasm at
 * once, nothing timed. With a real GPU both backends are timed on a few detections of `probe` (bounded:
 * {@link PROBE_RUNS} runs, {@link PROBE_CAP_MS} ms each) and the faster kept.
 * Rejects with a clear error naming the file when a model does not load, or when no backend works.
 */
export async function createBrowserEngine(options: BrowserEngineOptions = {}): Promise<BrowserEngine> {
  const { modelBasePath: _m, wasmPath: _w, backend = 'auto', probe, renderer: forced, ...input } = options;
  const cfg = resolveConfig(input);
  if (backend !== 'auto') {
    const { human, own } = await loadModels(await initHuman(cfg, backend, options), cfg, options);
    return new BrowserEngine(human, cfg, { chosen: backend, renderer: null, ms: {}, notes: [] }, own);
  }
  const renderer = forced !== undefined ? forced : webglRenderer();
  if (decideBackend(renderer) === 'wasm') {
    const { human, own } = await loadModels(await initHuman(cfg, 'wasm', options), cfg, options);
    const why = renderer === null ? 'no WebGL' : `software renderer (${renderer})`;
    const notes = [`webgl skipped: ${why}`];
    return new BrowserEngine(
      human,
      cfg,
      { chosen: 'wasm', renderer, ms: { webgl: null, wasm: null }, notes },
      own,
    );
  }
  // A real (or hidden) GPU: wasm first (the fallback, and a model failure surfaces here), then webgl.
  const frame = probe ?? syntheticFrame();
  const wasm = await loadModels(await initHuman(cfg, 'wasm', options), cfg, options);
  const ms: BackendProbe['ms'] = { wasm: await timeBackend(wasm.human, frame), webgl: null };
  const notes: string[] = [];
  let webgl: Loaded | null = null;
  try {
    webgl = await loadModels(await initHuman(cfg, 'webgl', options), cfg, options);
    ms.webgl = await timeBackend(webgl.human, frame);
    if (ms.webgl === null) notes.push(`webgl too slow: warm-up over ${PROBE_CAP_MS} ms`);
  } catch (e) {
    notes.push(`webgl failed: ${e instanceof Error ? e.message : String(e)}`);
  }
  const chosen = decideBackend(renderer, ms) === 'webgl' && webgl ? 'webgl' : 'wasm';
  // Human keeps loaded models in module-level singletons shared by its instances, so the other backend's
  // instance is simply dropped; the weights follow the tfjs backend set here.
  const kept = chosen === 'webgl' && webgl ? webgl : wasm;
  const dropped = kept === wasm ? webgl : wasm;
  if (dropped && dropped.own.emotion !== kept.own.emotion) dropped.own.emotion?.dispose();
  await (kept.human.tf as Tf).setBackend(chosen);
  return new BrowserEngine(kept.human, cfg, { chosen, renderer, ms, notes }, kept.own);
}
