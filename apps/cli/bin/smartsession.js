#!/usr/bin/env node
// Entry of the `smartsession` command. Builds the TypeScript once if this checkout has no build yet.
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));
if (!existsSync(main)) {
  process.stderr.write('smartsession: first run, compiling TypeScript (tsc -b)…\n');
  const require = createRequire(import.meta.url);
  const tsc = require.resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-b', fileURLToPath(new URL('..', import.meta.url))], {
    stdio: 'inherit',
  });
}
const { main: run } = await import(main);
process.exitCode = await run(process.argv.slice(2));
