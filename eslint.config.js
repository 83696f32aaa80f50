// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

/**
 * Layering: lower layers never import higher ones.
 * protocol  <  engine  <  server / web  <  cli
 */
const upward = (names) => ({
  'no-restricted-imports': [
    'error',
    {
      patterns: names.map((n) => ({
        group: [n, `${n}/*`],
        message: 'Lower layers must not import higher ones (see house-style.md).',
      })),
    },
  ],
});

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
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    files: ['packages/protocol/src/**'],
    rules: {
      ...upward(['@smartsession/engine', '@smartsession/server', '@smartsession/web', 'smartsession']),
    },
  },
  {
    files: ['packages/engine/src/**'],
    rules: { ...upward(['@smartsession/server', '@smartsession/web', 'smartsession']) },
  },
  {
    files: ['apps/server/src/**'],
    rules: { ...upward(['@smartsession/web', 'smartsession', '@smartsession/engine']) },
  },
  {
    files: ['apps/web/src/**'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...upward(['@smartsession/server', 'smartsession']),
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
