// @ts-check
import { readFileSync } from 'node:fs';
import path from 'node:path';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const root = import.meta.dirname;

/**
 * Layers (docs/architecture.md): a workspace's source imports only the workspaces below it, by package
 * name. `protocol` and `models` import nothing of ours; engine < server (server-side analysis), web
 * (the Web Worker); the CLI, at the top, may use the server (`demo`). Tests, benchmarks and evals are
 * harnesses: they may use any workspace through its package name (a browser test starts the real
 * server, the server benchmark drives the CLI's simulator), never through a relative path.
 */
const OURS = [
  '@smartsession/protocol',
  '@smartsession/models',
  '@smartsession/engine',
  '@smartsession/server',
  '@smartsession/web',
  'smartsession',
];
/** What each workspace's `src` may import of ours (subpaths included unless listed in `forbid`). */
const LAYERS = {
  'packages/protocol': { allow: [] },
  'packages/models': { allow: [] },
  'packages/engine': { allow: ['@smartsession/protocol', '@smartsession/models'] },
  'apps/server': { allow: ['@smartsession/protocol', '@smartsession/engine'] },
  // The web page runs in a browser: the engine's Node-only entries are out of bounds.
  'apps/web': {
    allow: ['@smartsession/protocol', '@smartsession/engine'],
    forbid: ['@smartsession/engine/node', '@smartsession/engine/assets'],
  },
  'apps/cli': { allow: ['@smartsession/protocol', '@smartsession/engine', '@smartsession/server'] },
};
/** @param {string} dir @param {{ allow: string[], forbid?: string[] }} layer */
const layerPatterns = (dir, { allow, forbid = [] }) => [
  ...OURS.filter((n) => !allow.includes(n)).map((n) => ({
    group: [n, `${n}/*`],
    message: `${dir} must not import ${n}: layers are protocol, models < engine < server, web < cli (docs/architecture.md).`,
  })),
  ...forbid.map((n) => ({
    group: [n],
    message: `${dir} runs in a browser: ${n} is a Node-only entry.`,
  })),
];
const layerRules = Object.entries(LAYERS).map(([dir, layer]) => ({
  files: [`${dir}/src/**`],
  rules: { 'no-restricted-imports': ['error', { patterns: layerPatterns(dir, layer) }] },
}));

/**
 * Inside the server, the two shells (`http`, the Fastify routes; `live`, the Socket.IO layer) never
 * import each other: what both need (cookie and token checks, the Origin rule) lives below them in
 * `auth`, which imports neither. Repeats the server's layer patterns (a later rule replaces an earlier).
 */
const SERVER_MODULES = {
  http: ['live'],
  live: ['http'],
  auth: ['http', 'live'],
};
const serverModuleRules = Object.entries(SERVER_MODULES).map(([mod, banned]) => ({
  files: [`apps/server/src/${mod}/**`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          ...layerPatterns('apps/server', LAYERS['apps/server']),
          ...banned.map((b) => ({
            group: [`../${b}/*`],
            message: `apps/server/src/${mod} must not import ${b}: shared pieces live in a lower module (auth, mapping).`,
          })),
        ],
      },
    ],
  },
}));

/** Workspace folders (absolute), from the root package.json. */
const WORKSPACES = /** @type {{ workspaces: string[] }} */ (
  JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'))
).workspaces.map((w) => path.join(root, w));
/** @param {string} file */
const workspaceOf = (file) => WORKSPACES.find((w) => file.startsWith(w + path.sep)) ?? null;

/**
 * `smartsession/no-relative-cross-workspace`: a relative import may not leave its workspace into
 * another one (`../../../packages/engine/src/x.js`): that bypasses the package's entry points, its
 * build and the layer rule. Import the package by name. Relative imports into folders that belong to
 * no workspace (the shared test helpers in /test/support, /deploy) stay allowed.
 * @type {import('eslint').Rule.RuleModule}
 */
const noRelativeCrossWorkspace = {
  meta: {
    type: 'problem',
    docs: { description: 'Disallow relative imports from one workspace into another' },
    schema: [],
  },
  create(context) {
    const from = workspaceOf(context.filename);
    /** @param {import('eslint').Rule.Node | null | undefined} source */
    const check = (source) => {
      if (source?.type !== 'Literal' || typeof source.value !== 'string' || !source.value.startsWith('.'))
        return;
      const to = workspaceOf(path.resolve(path.dirname(context.filename), source.value));
      if (to && to !== from) {
        const name = /** @type {{ name: string }} */ (
          JSON.parse(readFileSync(path.join(to, 'package.json'), 'utf8'))
        ).name;
        context.report({
          node: source,
          message: `Relative import into another workspace (${path.relative(root, to)}): import '${name}' by its package name.`,
        });
      }
    };
    return {
      ImportDeclaration: (n) => check(n.source),
      ExportNamedDeclaration: (n) => check(n.source),
      ExportAllDeclaration: (n) => check(n.source),
      ImportExpression: (n) => check(n.source),
    };
  },
};

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/.tsbuild/**',
      '**/node_modules/**',
      'data/**',
      '.test-data/**',
      'test-output/**',
      'coverage/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    plugins: { smartsession: { rules: { 'no-relative-cross-workspace': noRelativeCrossWorkspace } } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
      'smartsession/no-relative-cross-workspace': 'error',
    },
  },
  {
    // Type-aware rules: a promise nobody awaits loses its error (an unhandled rejection, or a write that
    // silently failed). Either await it, or mark a deliberate fire-and-forget with `void` and say why.
    files: ['**/*.{ts,tsx,mts}'],
    languageOptions: {
      parserOptions: {
        // One program over every TypeScript file (see tsconfig.eslint.json).
        project: ['./tsconfig.eslint.json'],
        tsconfigRootDir: root,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
    },
  },
  ...layerRules,
  ...serverModuleRules,
  {
    files: ['apps/web/src/**'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
      // One look: colours, sizes and spacing come from the design tokens (ui/tokens.css) through classes,
      // never from ad-hoc inline styles; a position computed at run time is set through the CSSOM.
      'no-restricted-syntax': [
        'error',
        {
          selector: "JSXAttribute[name.name='style']",
          message: 'Use a class on the design tokens (apps/web/src/ui/tokens.css), not an inline style.',
        },
        {
          selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']",
          message: 'No injected markup (CSP: no inline scripts or styles).',
        },
      ],
    },
  },
  {
    // Library code logs through a structured logger, not console.
    files: ['packages/protocol/src/**', 'packages/engine/src/**', 'apps/server/src/**'],
    ignores: ['**/*.test.ts'],
    rules: { 'no-console': 'error' },
  },
);
