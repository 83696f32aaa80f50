/**
 * How the browser engine picks its tfjs backend (`backend: 'auto'`), as pure functions of the WebGL
 * renderer name and of measured timings, so the rule is testable without a browser.
 */

/** How the browser engine chose its backend. */
export interface BackendProbe {
  /** The backend in use. */
  chosen: 'wasm' | 'webgl';
  /** Unmasked WebGL renderer name; '' when the browser hides it, null when there is no WebGL at all. */
  renderer: string | null;
  /** Median ms per probe detection after one warm-up; null when not timed (skipped, failed or too slow). */
  ms: Partial<Record<'wasm' | 'webgl', number | null>>;
  /** Why a backend was skipped or failed, in words. */
  notes: string[];
}

/** What the renderer name says: no WebGL, a software rasteriser, a real GPU, or hidden. */
export type RendererKind = 'none' | 'software' | 'gpu' | 'unknown';

/** Software rasterisers: WebGL on them is always slower than wasm and takes seconds to warm up. */
const SOFTWARE_GL = /swiftshader|llvmpipe|softpipe|lavapipe|software|basic render driver/i;

/** Generic names a browser reports when it masks the real renderer. */
const MASKED = /^(webkit webgl|mozilla|)$/i;

/** Classifies an unmasked WebGL renderer name (null = no WebGL context could be created). Pure. */
export function rendererKind(renderer: string | null): RendererKind {
  if (renderer === null) return 'none';
  const name = renderer.trim();
  if (SOFTWARE_GL.test(name)) return 'software';
  if (MASKED.test(name)) return 'unknown';
  return 'gpu';
}

/** The faster measured backend (ties go to wasm), or null when neither was measured. Pure. */
export function chooseBackend(ms: BackendProbe['ms']): 'wasm' | 'webgl' | null {
  const webgl = ms.webgl ?? Infinity;
  const wasm = ms.wasm ?? Infinity;
  if (!Number.isFinite(webgl) && !Number.isFinite(wasm)) return null;
  return webgl < wasm ? 'webgl' : 'wasm';
}

/**
 * The `auto` rule. From the renderer alone: no WebGL or a software renderer → `wasm`, without loading or
 * timing anything. With a real (or hidden) GPU: `measure` until timings are given, then the faster
 * measured backend (`chooseBackend`), or null when neither could be timed. Pure.
 */
export function decideBackend(
  renderer: string | null,
  ms?: BackendProbe['ms'],
): 'wasm' | 'webgl' | 'measure' | null {
  const kind = rendererKind(renderer);
  if (kind === 'none' || kind === 'software') return 'wasm';
  if (!ms) return 'measure';
  return chooseBackend(ms);
}
