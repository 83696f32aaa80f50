/**
 * Browser-facing protections: security headers (helmet, with a Content-Security-Policy the student page's
 * Web Worker, WebAssembly, camera and Socket.IO work under), HSTS over HTTPS, and the Origin check
 * that refuses cross-origin API requests (CSRF) and teacher sockets from foreign pages.
 */
import helmet from '@fastify/helmet';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { originAllowed } from '../auth/origin.js';
import { ApiError } from './errors.js';

/**
 * The Content-Security-Policy: everything from our own origin only. `'wasm-unsafe-eval'` lets the
 * analysis worker compile the tfjs WebAssembly backend (it allows WebAssembly compilation, not
 * `eval`); style attributes are set by React and uPlot (`'unsafe-inline'` for styles only, never for
 * scripts); `blob:`/`data:` images are the snapshots the pages draw themselves. The camera is not
 * governed by CSP (see `Permissions-Policy`). `frame-ancestors 'none'`: no page may frame ours.
 */
const CSP_DIRECTIVES = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'", "'wasm-unsafe-eval'"],
  workerSrc: ["'self'"],
  connectSrc: ["'self'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  mediaSrc: ["'self'", 'blob:'],
  styleSrc: ["'self'", "'unsafe-inline'"],
  fontSrc: ["'self'", 'data:'],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

/**
 * HSTS for 180 days, on answers served over HTTPS (directly or behind a trusted proxy), and on every
 * answer when `PUBLIC_URL` is https (browsers ignore it over plain HTTP).
 */
const HSTS = 'max-age=15552000';

/** Registers the security headers on every answer (pages, API, static files). */
export async function securityHeaders(app: FastifyInstance, publicUrl: string | undefined): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: CSP_DIRECTIVES },
    hsts: false,
    crossOriginEmbedderPolicy: false,
    crossOriginOpenerPolicy: { policy: 'same-origin' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
    referrerPolicy: { policy: 'no-referrer' },
    frameguard: { action: 'deny' },
  });
  const httpsEverywhere = publicUrl?.startsWith('https:') ?? false;
  app.addHook('onSend', async (request, reply) => {
    reply.header('permissions-policy', 'camera=(self), microphone=(), geolocation=(), payment=(), usb=()');
    if (request.protocol === 'https' || httpsEverywhere) reply.header('strict-transport-security', HSTS);
  });
}

/** 403 `FORBIDDEN` for an API request from a foreign page (see {@link originAllowed}). */
export function checkOrigin(request: FastifyRequest, publicOrigin: string | undefined): void {
  const origin = request.headers.origin;
  // Without an Origin a browser still tells a cross-site request apart by Sec-Fetch-Site.
  const site = request.headers['sec-fetch-site'];
  const crossSite = origin === undefined && (site === 'cross-site' || site === 'same-site');
  if (crossSite || !originAllowed(origin, request.host, publicOrigin))
    throw new ApiError(403, 'FORBIDDEN', 'Requests from another site are not allowed');
}
