import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as TF from '@tensorflow/tfjs-core';

/** URL scheme our file-system model loader answers (`file://` needs tfjs-node, which we do not use). */
export const FS_SCHEME = 'smartsession-fs://';

type Io = typeof TF.io;
const registered = new WeakSet<object>();

/** The file a model URL this loader answers names: `smartsession-fs:///abs/x.json` or `file:///abs/x.json`. */
export function modelFilePath(url: string): string | null {
  if (url.startsWith(FS_SCHEME)) return url.slice(FS_SCHEME.length);
  if (url.startsWith('file://')) return fileURLToPath(url);
  return null;
}

/**
 * Registers (once per tfjs instance) a load router that reads `smartsession-fs:///abs/dir/model.json`
 * (Human's models: Human joins that prefix with each model's name) or `file:///abs/dir/model.json` (a
 * model elsewhere, e.g. the vendored attention mesh: Human does not prefix `file:` paths) and its weight
 * shards from disk. tfjs keeps routers in a registry of its own, so this is per tfjs instance.
 */
export function registerFsModelLoader(io: Io): void {
  if (registered.has(io)) return;
  registered.add(io);
  io.registerLoadRouter((url: string | string[]): TF.io.IOHandler => {
    const u = Array.isArray(url) ? url[0] : url;
    // tfjs skips routers that answer null (its type says otherwise).
    const file = typeof u === 'string' ? modelFilePath(u) : null;
    if (file === null) return null as unknown as TF.io.IOHandler;
    return {
      load: async () => {
        const json = JSON.parse(readFileSync(file, 'utf8')) as TF.io.ModelJSON;
        return io.getModelArtifactsForJSON(json, async (manifest) => {
          const specs: TF.io.WeightsManifestEntry[] = [];
          const parts: Buffer[] = [];
          for (const group of manifest) {
            for (const p of group.paths) parts.push(readFileSync(path.join(path.dirname(file), p)));
            specs.push(...group.weights);
          }
          const all = Buffer.concat(parts);
          return [specs, all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) as ArrayBuffer];
        });
      },
    };
  });
}

/** Throws a clear error when `dir` lacks one of `files`. */
export function checkFiles(dir: string, files: string[], what: string): void {
  const missing = files.filter((f) => !existsSync(path.join(dir, f)));
  if (missing.length) throw new Error(`${what} not found in ${dir}: ${missing.join(', ')}`);
}
