/** How the browser engine chose its backend: median ms per probe frame of each backend (null = not timed). */
export interface BackendProbe {
  /** The backend in use. */
  chosen: 'wasm' | 'webgl';
  /** Median ms per probe detection; null when skipped or failed. */
  ms: Partial<Record<'wasm' | 'webgl', number | null>>;
  /** Why a backend was skipped or failed, in words. */
  notes: string[];
}

/** The faster measured backend (ties go to wasm), or null when neither was measured. Pure. */
export function chooseBackend(ms: BackendProbe['ms']): 'wasm' | 'webgl' | null {
  const webgl = ms.webgl ?? Infinity;
  const wasm = ms.wasm ?? Infinity;
  if (!Number.isFinite(webgl) && !Number.isFinite(wasm)) return null;
  return webgl < wasm ? 'webgl' : 'wasm';
}
