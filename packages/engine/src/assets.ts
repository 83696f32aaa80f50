/**
 * @packageDocumentation
 * Node entry naming the folders of the files the engine loads: Human's models, the vendored attention
 * mesh (`@smartsession/models`) and the tfjs wasm binaries. The Node engine reads them from disk; the
 * server serves them to the browser engine under `/models/` and `/wasm/`. Importing this entry loads
 * neither Human nor tfjs, only path look-ups.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { vendoredModelDir, verifiedModelDir } from '@smartsession/models';

const require = createRequire(import.meta.url);

/** Folder of the installed `@vladmandic/human` package (its exports map hides package.json). */
export function humanPackageDir(): string {
  return path.resolve(path.dirname(require.resolve('@vladmandic/human')), '..');
}

/** Folder of Human's model files (`@vladmandic/human/models`). */
export function humanModelDir(): string {
  return path.join(humanPackageDir(), 'models');
}

/** Folder of the tfjs wasm binaries (`@tensorflow/tfjs-backend-wasm/dist`). */
export function tfjsWasmDir(): string {
  return path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
}

/** Folder of the vendored attention mesh (`@smartsession/models`' files), checksums not yet verified. */
export function attentionModelDir(): string {
  return vendoredModelDir();
}

/** What the browser engine fetches (see the `./browser` entry), by URL prefix. */
export interface BrowserAssetDirs {
  /**
   * Served under `/models/`, first folder first: Human's models, then the vendored attention mesh
   * (its files' sizes and SHA-256 checked; a bad file throws an error naming it).
   */
  models: string[];
  /** Served under `/wasm/` (only `.wasm` files are fetched from it). */
  wasm: string;
}

/** The folders to serve to the browser engine; throws when the vendored model files fail verification. */
export function browserAssetDirs(): BrowserAssetDirs {
  return { models: [humanModelDir(), verifiedModelDir()], wasm: tfjsWasmDir() };
}
