/**
 * The benchmarks and the evaluation import the workspace packages through their built `dist` (their
 * package exports), which a fresh clone does not have: `npm run eval:signals` failed there with "Cannot
 * find module …/@smartsession/models/dist/index.js". Like `npm start`, each builds what is missing first.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  scripts: Record<string, string>;
};

describe('npm scripts that run built code', () => {
  const names = Object.keys(pkg.scripts).filter((n) => n.startsWith('bench:') || n.startsWith('eval:'));
  it('there are benchmarks and an evaluation', () => {
    expect(names).toContain('eval:signals');
    expect(names).toContain('bench:capacity');
  });
  it.each(names)('%s builds what is missing first', (name) => {
    expect(pkg.scripts[name]).toMatch(/^node scripts\/build\.mjs && /);
  });
});
