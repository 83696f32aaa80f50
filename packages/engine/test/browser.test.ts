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
import { chooseBackend, type BackendProbe } from '../src/backend.js';
import { defaultModelDir, defaultWasmDir } from '../src/node.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const run = browserAvailable();

let server: Server;
let browser: Browser;
let base = '';
const requested: string[] = [];

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
  const dirs: Record<string, string> = { '/models/': defaultModelDir(), '/wasm/': defaultWasmDir() };
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x').pathname;
    requested.push(url);
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
    readFile(path.join(dirs[prefix] as string, name)).then(
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
  it('wasm backend, emotion off: analyses an ImageBitmap, fetches only our files, no emotion model', async () => {
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
        '/models/facemesh.bin',
        '/models/facemesh.json',
        '/models/iris.bin',
        '/models/iris.json',
        '/wasm/tfjs-backend-wasm-simd.wasm',
      ].sort(),
    );
  });

  it('auto backend: skips a software WebGL (or times webgl vs wasm) and loads the emotion model', async () => {
    requested.length = 0;
    const r = await inWorker({ backend: 'auto', emotion: 'on' });
    expect(r.error).toBeUndefined();
    const probe = r.probe;
    expect(probe?.chosen).toBe(chooseBackend(probe?.ms ?? {}));
    expect(r.backend).toBe(probe?.chosen);
    // Headless Chromium here renders WebGL with SwiftShader: the probe must say so rather than time it.
    if (probe?.ms.webgl === null) expect(probe.notes.join(' ')).toMatch(/webgl (skipped|failed)/);
    expect(r.frame).toMatchObject({ face_count: 1, status: 'OK' });
    expect((r.frame as { emotion: unknown }).emotion).not.toBeNull();
    expect(requested).toEqual(expect.arrayContaining(['/models/emotion.json', '/models/emotion.bin']));
    console.info(`[engine] auto backend probe: ${JSON.stringify(probe)}`);
  });
});
