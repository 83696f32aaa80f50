import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import fastifyStatic from '@fastify/static';
import { verifiedModelDir } from '@smartsession/models';
import type { FastifyInstance } from 'fastify';

const require = createRequire(import.meta.url);
/** Models and wasm binaries never change for an installed version. */
const LONG_CACHE_MS = 365 * 24 * 3600 * 1000;

/** The Human models folder (node_modules/@vladmandic/human/models), or null when not installed. */
export function humanModelsDir(): string | null {
  try {
    // The package's exports hide package.json; its main file sits in dist/.
    const dir = join(dirname(require.resolve('@vladmandic/human')), '..', 'models');
    return existsSync(dir) ? dir : null;
  } catch {
    return null;
  }
}

/** The tfjs wasm binaries folder (node_modules/@tensorflow/tfjs-backend-wasm/dist), or null. */
export function tfjsWasmDir(): string | null {
  try {
    const dir = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
    return existsSync(dir) ? dir : null;
  } catch {
    return null;
  }
}

/**
 * Serves the web app (with index.html for client-side routes, see the not-found handler), `/models/*`
 * (Human's models, then the vendored attention mesh of `@smartsession/models`, whose checksums are
 * verified first: a corrupted file stops the server with an error naming it) and `/wasm/*`. Returns
 * whether the web app is available.
 */
export async function staticRoutes(app: FastifyInstance, webDist: string | null): Promise<boolean> {
  const web = webDist && existsSync(join(webDist, 'index.html')) ? webDist : null;
  if (web) {
    await app.register(fastifyStatic, { root: web, prefix: '/', wildcard: false, index: ['index.html'] });
  }
  const models = humanModelsDir();
  if (models) {
    await app.register(fastifyStatic, {
      root: [models, verifiedModelDir()],
      prefix: '/models/',
      decorateReply: !web,
      maxAge: LONG_CACHE_MS,
      immutable: true,
    });
  }
  const wasm = tfjsWasmDir();
  if (wasm) {
    await app.register(fastifyStatic, {
      root: wasm,
      prefix: '/wasm/',
      decorateReply: !web && !models,
      allowedPath: (path) => path.endsWith('.wasm'),
      maxAge: LONG_CACHE_MS,
      immutable: true,
    });
  }
  return web !== null;
}
