import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import { browserAssetDirs } from '@smartsession/engine/assets';
import type { FastifyInstance } from 'fastify';

/** Models and wasm binaries never change for an installed version. */
const LONG_CACHE_MS = 365 * 24 * 3600 * 1000;

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
  // The engine names its asset folders; a missing folder (a broken install) leaves its route out.
  const assets = browserAssetDirs();
  const models = assets.models.every((dir) => existsSync(dir));
  if (models) {
    await app.register(fastifyStatic, {
      root: assets.models,
      prefix: '/models/',
      decorateReply: !web,
      maxAge: LONG_CACHE_MS,
      immutable: true,
    });
  }
  if (existsSync(assets.wasm)) {
    await app.register(fastifyStatic, {
      root: assets.wasm,
      prefix: '/wasm/',
      decorateReply: !web && !models,
      allowedPath: (path) => path.endsWith('.wasm'),
      maxAge: LONG_CACHE_MS,
      immutable: true,
    });
  }
  return web !== null;
}
