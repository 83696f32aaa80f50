/**
 * `smartsession analyze` depends on the engine only: run through the real `smartsession` bin on a real
 * photo, it never loads the server's stack (Fastify, PGlite, pg, Redis, Drizzle, Socket.IO). A loader
 * hook records every module the process resolves (ES modules) and every CommonJS module in the require
 * cache at exit. A control run (`simulate --help`, which does load the Socket.IO client) shows the
 * record sees such packages when they are loaded.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { faceCrop, toPng } from '../../../test/support/faces.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const bin = path.join(root, 'apps/cli/bin/smartsession.js');

/** Packages of the server side: none may be loaded by `analyze`. */
const SERVER_STACK =
  /\/node_modules\/(fastify|@fastify\/[^/]+|@electric-sql\/pglite|pg|pg-pool|redis|@redis\/[^/]+|drizzle-orm|socket\.io|socket\.io-client|engine\.io|engine\.io-client|@socket\.io\/[^/]+)\/|\/apps\/server\//;

const HOOKS = `import { appendFileSync } from 'node:fs';
let log = '';
export function initialize(data) { log = data.log; }
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  appendFileSync(log, r.url + '\\n');
  return r;
}
`;
const PROBE = `import { register, createRequire } from 'node:module';
import { appendFileSync } from 'node:fs';
const log = process.env.SS_LOAD_LOG;
register('./hooks.mjs', { parentURL: import.meta.url, data: { log } });
const require = createRequire(import.meta.url);
process.on('exit', () => appendFileSync(log, Object.keys(require.cache).join('\\n') + '\\n'));
`;

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ss-analyze-deps-'));
  await writeFile(path.join(dir, 'hooks.mjs'), HOOKS);
  await writeFile(path.join(dir, 'probe.mjs'), PROBE);
  await writeFile(path.join(dir, 'face.png'), await toPng(await faceCrop(1)));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs the bin with the probe; returns its output and the modules it loaded (paths and URLs). */
async function runProbed(args: string[], name: string) {
  const log = path.join(dir, `${name}.log`);
  await writeFile(log, '');
  const r = spawnSync(process.execPath, ['--import', path.join(dir, 'probe.mjs'), bin, ...args], {
    cwd: root,
    env: { ...process.env, SS_LOAD_LOG: log },
    encoding: 'utf8',
    timeout: 120_000,
  });
  const loaded = (await readFile(log, 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((u) => (u.startsWith('file:') ? fileURLToPath(u) : u));
  return { ...r, loaded };
}

describe('smartsession analyze loads the engine only', () => {
  it('analyses a photo without loading Fastify, PGlite, pg, Redis, Drizzle or Socket.IO', async () => {
    const r = await runProbed(['analyze', path.join(dir, 'face.png')], 'analyze');
    expect(r.status, r.stderr).toBe(0);
    const line = JSON.parse(r.stdout.trim().split('\n')[0] ?? '{}') as { face_count?: number };
    expect(line.face_count).toBe(1);
    // The record does see what analyze needs: the engine, Human (CommonJS, through createRequire), sharp.
    expect(r.loaded.some((p) => p.includes('/packages/engine/'))).toBe(true);
    expect(r.loaded.some((p) => p.includes('/node_modules/@vladmandic/human/'))).toBe(true);
    expect(r.loaded.some((p) => p.includes('/node_modules/sharp/'))).toBe(true);
    expect(r.loaded.filter((p) => SERVER_STACK.test(p))).toEqual([]);
  });

  it('control: the record catches a server-side package when a command loads one', async () => {
    const r = await runProbed(['simulate', '--help'], 'simulate');
    expect(r.status, r.stderr).toBe(0);
    expect(r.loaded.some((p) => /\/node_modules\/socket\.io-client\//.test(p))).toBe(true);
  });
});
