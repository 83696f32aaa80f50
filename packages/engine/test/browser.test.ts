/**
 * The browser entry in real headless Chromium: the worker above is bundled with esbuild (Human's ESM
 * build, as a bundler resolves it), served with `/models/*` and `/wasm/*` from node_modules by a plain
 * HTTP server on a real port, and fed a real photo as an ImageBitmap. Records which files it requests.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FrameResult } from '@smartsession/protocol';
import { build } from 'esbuild';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../test/support/browser.js';
import { browserAvailable } from '../../../test/support/env.js';
import { faceCrop, toPng } from '../../../test/support/faces.js';
import { decideBackend, type BackendProbe } from '../src/backend.js';
import { browserAssetDirs } from '../src/assets.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const run = browserAvailable();

let server: Server;
let browser: Browser;
let base = '';
const requested: string[] = [];
/** Paths the server answers with 503 (a model host failing). */
let failing: RegExp | null = null;

beforeAll(async () => {
  if (!run) return;
  const bundle = await build({
    entryPoints: [path.join(here, 'browser-worker.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    conditions: ['source'],
    write: false,
    logLevel: 'silent',
  });
  const worker = bundle.outputFiles[0]?.contents ?? new Uint8Array();
  const frame = await toPng(await faceCrop(1));
  // The folders our server serves: /models/ = Human's files, then the vendored attention mesh.
  const assets = browserAssetDirs();
  const dirs: Record<string, string[]> = { '/models/': assets.models, '/wasm/': [assets.wasm] };
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x').pathname;
    requested.push(url);
    if (failing?.test(url)) return void res.writeHead(503).end();
    const send = (body: Uint8Array | string, type: string): void => {
      res.writeHead(200, { 'content-type': type }).end(body);
    };
    if (url === '/') return send('<!doctype html><title>engine</title>', 'text/html');
    if (url === '/worker.js') return send(worker, 'text/javascript');
    if (url === '/frame.png') return send(frame, 'image/png');
    const prefix = Object.keys(dirs).find((p) => url.startsWith(p));
    const name = prefix ? url.slice(prefix.length) : '';
    if (!prefix || !/^[\w.-]+$/.test(name)) return void res.writeHead(404).end();
    const type = name.endsWith('.wasm')
      ? 'application/wasm'
      : name.endsWith('.json')
        ? 'application/json'
        : 'application/octet-stream';
    const [first, second] = dirs[prefix] ?? [];
    readFile(path.join(first ?? '', name))
      .catch(() => readFile(path.join(second ?? '/nonexistent', name)))
      .then(
        (body) => send(body, type),
        () => void res.writeHead(404).end(),
      );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchChromium(['--enable-unsafe-swiftshader']);
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(null)));
});

interface WorkerReply {
  ok: boolean;
  error?: string;
  frame?: unknown;
  backend?: string;
  probe?: BackendProbe;
  tensorsAfterFirst?: number;
  tensorsAfterLast?: number;
  loadMs?: number;
}

async function inWorker(options: Record<string, unknown>, repeat = 1): Promise<WorkerReply> {
  const page = await browser.newPage();
  try {
    await page.goto(`${base}/`);
    return await page.evaluate(
      (msg) =>
        new Promise<WorkerReply>((resolve) => {
          const w = new Worker('/worker.js', { type: 'module' });
          w.onmessage = (e: MessageEvent<WorkerReply>) => resolve(e.data);
          w.onerror = (e) => resolve({ ok: false, error: e.message });
          w.postMessage(msg);
        }),
      { options, frameUrl: '/frame.png', repeat },
    );
  } finally {
    await page.close();
  }
}

describe.skipIf(!run)('createBrowserEngine in a Chromium Web Worker', () => {
  it('wasm backend, emotion off: analyses an ImageBitmap with the attention mesh, fetches only our files', async () => {
    requested.length = 0;
    const r = await inWorker({ backend: 'wasm', emotion: 'off' }, 5);
    expect(r.error).toBeUndefined();
    expect(r.backend).toBe('wasm');
    expect(FrameResult.safeParse(r.frame).success).toBe(true);
    expect(r.frame).toMatchObject({
      face_count: 1,
      status: 'OK',
      emotion: null,
      happy_prob: null,
      gaze: 'CENTER',
    });
    expect(r.tensorsAfterLast).toBe(r.tensorsAfterFirst);
    const files = requested.filter((u) => u.startsWith('/models/') || u.startsWith('/wasm/')).sort();
    expect(files).toEqual(
      [
        '/models/blazeface.bin',
        '/models/blazeface.json',
        '/models/facemesh-attention-pinto.bin',
        '/models/facemesh-attention-pinto.json',
        '/models/facemesh.bin',
        '/models/facemesh.json',
        '/wasm/tfjs-backend-wasm-simd.wasm',
      ].sort(),
    );
  });

  it('mesh: facemesh switches back to the old mesh and its iris model', async () => {
    requested.length = 0;
    const r = await inWorker({ backend: 'wasm', emotion: 'off', mesh: 'facemesh' });
    expect(r.error).toBeUndefined();
    expect(r.frame).toMatchObject({ face_count: 1, status: 'OK', gaze: 'CENTER' });
    const files = requested.filter((u) => u.startsWith('/models/')).sort();
    expect(files).toEqual(
      [
        '/models/blazeface.bin',
        '/models/blazeface.json',
        '/models/facemesh.bin',
        '/models/facemesh.json',
        '/models/iris.bin',
        '/models/iris.json',
      ].sort(),
    );
  });

  it('auto backend: decides from the renderer first (software → wasm, nothing timed), loads emotion', async () => {
    requested.length = 0;
    const r = await inWorker({ backend: 'auto', emotion: 'on' });
    expect(r.error).toBeUndefined();
    const probe = r.probe as BackendProbe;
    expect(r.backend).toBe(probe.chosen);
    const decision = decideBackend(probe.renderer);
    if (decision === 'wasm') {
      // Headless Chromium here renders WebGL with SwiftShader: wasm at once, neither backend timed.
      expect(probe).toMatchObject({ chosen: 'wasm', ms: { webgl: null, wasm: null } });
      expect(probe.notes.join(' ')).toMatch(/webgl skipped/);
    } else {
      expect(probe.chosen).toBe(decideBackend(probe.renderer, probe.ms) ?? 'wasm');
    }
    expect(r.frame).toMatchObject({ face_count: 1, status: 'OK' });
    expect((r.frame as { emotion: unknown }).emotion).not.toBeNull();
    expect(requested).toEqual(expect.arrayContaining(['/models/emotion.json', '/models/emotion.bin']));
    console.info(
      `[engine] auto backend probe: ${JSON.stringify(probe)}, load ${Math.round(r.loadMs ?? 0)} ms`,
    );
  });

  it('auto backend with a GPU-looking renderer: times both backends, bounded, and keeps the faster', async () => {
    const r = await inWorker({ backend: 'auto', emotion: 'off', renderer: 'ANGLE (Test GPU)' });
    expect(r.error).toBeUndefined();
    const probe = r.probe as BackendProbe;
    expect(probe.ms.wasm).toBeGreaterThan(0);
    expect(probe.chosen).toBe(decideBackend(probe.renderer, probe.ms));
    expect(r.backend).toBe(probe.chosen);
    if (probe.ms.webgl === null) expect(probe.notes.join(' ')).toMatch(/webgl (too slow|failed)/);
    expect(r.frame).toMatchObject({ face_count: 1, status: 'OK' });
    console.info(
      `[engine] measured auto probe: ${JSON.stringify(probe)}, load ${Math.round(r.loadMs ?? 0)} ms`,
    );
  }, 120_000);

  it('a model file answering 503: rejects with an error naming the file, not a silent engine', async () => {
    for (const [file, pattern] of [
      [
        'facemesh-attention-pinto.bin',
        /\/models\/facemesh-attention-pinto\.bin could not be downloaded \(HTTP 503\)/,
      ],
      ['facemesh.bin', /\/models\/facemesh\.bin could not be downloaded \(HTTP 503\)/],
      ['emotion.json', /\/models\/emotion\.json could not be downloaded \(HTTP 503\)/],
    ] as const) {
      failing = new RegExp(`^/models/${file.replace(/\./g, '\\.')}$`);
      try {
        const r = await inWorker({ backend: 'wasm', emotion: 'on' });
        expect(r.ok, file).toBe(false);
        expect(r.error, file).toMatch(pattern);
      } finally {
        failing = null;
      }
    }
  });
});
