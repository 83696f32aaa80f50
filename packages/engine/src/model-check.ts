/**
 * Human only logs a model file that fails to download or parse and carries on without the model, so the
 * engine checks after `load()` which models really loaded and rejects with an error naming the file.
 */
import { ATTENTION_MESH } from './human-config.js';

/** Human's per-model load record (`human.models.stats().modelStats`): name = file stem, url = model JSON. */
export interface ModelLoadState {
  name: string;
  loaded: boolean;
  url: string;
}

/**
 * Names (file stems) of the models Human loads for the engine: the detector and the mesh (the attention
 * mesh by default, Human's mesh + iris model with `mesh: 'facemesh'`). The models the engine loads
 * itself (the old mesh vouching for faces, the emotion model) reject on their own (`graph-model.ts`).
 */
export function requiredModels(cfg: { mesh?: 'attention' | 'facemesh' }): string[] {
  return [
    'blazeface',
    ...((cfg.mesh ?? 'attention') === 'attention' ? [ATTENTION_MESH] : ['facemesh', 'iris']),
  ];
}

/** Human lists a loaded model under its slot, not its file: the attention mesh sits in the `facemesh` slot. */
const SLOT: Readonly<Record<string, string>> = { [ATTENTION_MESH]: 'facemesh' };

/**
 * The required models that did not load: flagged not loaded in Human's stats, absent from them, or absent
 * from Human's list of loaded models. Pure.
 */
export function failedModels(
  want: readonly string[],
  stats: readonly ModelLoadState[],
  loadedNames: readonly string[],
): ModelLoadState[] {
  const byName = new Map(stats.map((s) => [s.name, s]));
  const loaded = new Set(loadedNames);
  return want
    .map((name) => byName.get(name) ?? { name, loaded: false, url: '' })
    .filter((s) => !s.loaded || !loaded.has(SLOT[s.name] ?? s.name));
}

/** The part of a fetch `Response` the check reads (this file is built without DOM or Node types). */
interface FetchedFile {
  ok: boolean;
  status: number;
  json(): Promise<unknown>;
  arrayBuffer(): Promise<ArrayBuffer>;
}
/** The platform's `fetch`, or a stand-in. */
type Fetch = (url: string) => Promise<FetchedFile>;

async function status(fetchFn: Fetch, url: string): Promise<{ ok: boolean; why: string; res?: FetchedFile }> {
  try {
    const res = await fetchFn(url);
    return res.ok ? { ok: true, why: '', res } : { ok: false, why: `HTTP ${res.status}` };
  } catch {
    return { ok: false, why: 'network error' };
  }
}

/**
 * Says in words why a model failed to load in the browser, naming the file: fetches its JSON and then the
 * weight files it lists, and reports the first that does not download (with the HTTP status). Only called
 * on the error path. `fetchFn` is the platform's `fetch` (the browser entry passes it).
 */
export async function explainModelFailure(model: ModelLoadState, fetchFn: Fetch): Promise<string> {
  if (!model.url) return `the face model ${model.name} was not loaded`;
  const json = await status(fetchFn, model.url);
  if (!json.ok) return `the model file ${model.url} could not be downloaded (${json.why})`;
  let paths: string[] = [];
  try {
    const body = (await json.res?.json()) as { weightsManifest?: { paths?: string[] }[] };
    paths = (body.weightsManifest ?? []).flatMap((g) => g.paths ?? []);
  } catch {
    return `the model file ${model.url} is not a valid model description (not JSON)`;
  }
  const base = model.url.slice(0, model.url.lastIndexOf('/') + 1);
  for (const p of paths) {
    const bin = await status(fetchFn, base + p);
    if (!bin.ok) return `the model file ${base + p} could not be downloaded (${bin.why})`;
    await bin.res?.arrayBuffer();
  }
  return `the model file ${model.url} did not load (its files download now: try again)`;
}
