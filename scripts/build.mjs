#!/usr/bin/env node
// Builds what is missing: TypeScript project references (incremental) and the web bundle when its
// sources are newer than apps/web/dist. `--force` rebuilds the web bundle regardless.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const force = process.argv.includes('--force');
const run = (cmd, args, cwd = root) => execFileSync(cmd, args, { cwd, stdio: 'inherit' });

function newest(dir) {
  let t = 0;
  if (!existsSync(dir)) return t;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name === 'dist' || e.name === '.tsbuild') continue;
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-b']);

const web = join(root, 'apps/web');
const built = join(web, 'dist/index.html');
const sources = Math.max(
  newest(join(web, 'src')),
  newest(join(root, 'packages/protocol/src')),
  newest(join(root, 'packages/engine/src')),
  statSync(join(web, 'index.html')).mtimeMs,
);
if (force || !existsSync(built) || statSync(built).mtimeMs < sources) {
  // npm may install vite under apps/web/node_modules (it is that workspace's dependency) or hoist it.
  const vite = [join(web, 'node_modules/vite/bin/vite.js'), join(root, 'node_modules/vite/bin/vite.js')].find(
    existsSync,
  );
  run(process.execPath, [vite, 'build', '--logLevel', 'warn'], web);
}
