#!/usr/bin/env node
// `npm test`: type-check, lint, format check, build the web bundle (browser tests serve it), then every
// Vitest test. Extra arguments go to Vitest (e.g. `npm test -- packages/engine`).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (p) => join(root, 'node_modules', p);
const steps = [
  ['build (tsc -b, vite)', [join(root, 'scripts/build.mjs')]],
  ['lint', [bin('eslint/bin/eslint.js'), '.', '--max-warnings=0']],
  ['format', [bin('prettier/bin/prettier.cjs'), '--check', '.', '--log-level', 'warn']],
  ['tests', [bin('vitest/vitest.mjs'), 'run', ...process.argv.slice(2)]],
];
for (const [name, args] of steps) {
  process.stdout.write(`\n── ${name}\n`);
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    process.stdout.write(`\n✗ ${name} failed (exit ${r.status})\n`);
    process.exit(r.status ?? 1);
  }
}
