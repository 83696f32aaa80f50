#!/usr/bin/env node
// `npm test`: type-check, lint, format check, unused-code check (knip), build the web bundle (browser
// tests serve it), then every Vitest test. Extra arguments go to Vitest (e.g. `npm test -- packages/engine`). Ends with a plain
// "N passed, N failed, N skipped" line read from Vitest's JSON report.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (p) => join(root, 'node_modules', p);
const report = join(root, 'test-output', 'vitest.json');
mkdirSync(join(root, 'test-output'), { recursive: true });
rmSync(report, { force: true });
const steps = [
  ['build (tsc -b, vite)', [join(root, 'scripts/build.mjs')]],
  ['type-check tests and benchmarks', [bin('typescript/bin/tsc'), '-p', 'tsconfig.tests.json']],
  ['lint', [bin('eslint/bin/eslint.js'), '.', '--max-warnings=0']],
  ['format', [bin('prettier/bin/prettier.cjs'), '--check', '.', '--log-level', 'warn']],
  // Unused files, exports and dependencies (knip.jsonc says what counts as an entry point).
  ['unused code (knip)', [bin('knip/bin/knip.js'), '--no-progress']],
  [
    'tests',
    [
      bin('vitest/vitest.mjs'),
      'run',
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${report}`,
      ...process.argv.slice(2),
    ],
  ],
];
let failed = null;
for (const [name, args] of steps) {
  process.stdout.write(`\n── ${name}\n`);
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    failed = { name, status: r.status ?? 1 };
    if (name !== 'tests') break;
  }
}
if (existsSync(report)) {
  const j = JSON.parse(readFileSync(report, 'utf8'));
  const skipped = (j.numPendingTests ?? 0) + (j.numTodoTests ?? 0);
  process.stdout.write(
    `\ntests: ${j.numPassedTests} passed, ${j.numFailedTests} failed, ${skipped} skipped\n`,
  );
}
if (failed) {
  process.stdout.write(`\n✗ ${failed.name} failed (exit ${failed.status})\n`);
  process.exit(failed.status);
}
