// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';

/** Layer rules of DESIGN.md, enforced: which folder may import which. */
const MAIN_LAYER = 'main/ talks to the server as a separate process';

const layer = (from, forbidden, message, extra = {}) => ({
  files: [`${from}/**/*.ts`, `${from}/**/*.tsx`, `${from}/**/*.cts`],
  ...(extra.ignores ? { ignores: extra.ignores } : {}),
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: forbidden.map((group) => ({ group: [group], message })),
        ...(extra.paths ? { paths: extra.paths } : {}),
      },
    ],
  },
});

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'test-artifacts/'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-confusing-void-expression': 'off',
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['**/*.test.ts', 'test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  layer(
    'common',
    ['**/server/**', '**/main/**', '**/renderer/**', 'electron', 'node:*'],
    'common/ imports nothing environment-specific',
  ),
  layer(
    'server',
    ['**/main/**', '**/renderer/**', 'electron'],
    'server/ never imports electron, main/ or renderer/',
  ),
  // main/ never imports server/ or renderer/; only main/ipc and the preload touch ipcMain/ipcRenderer.
  layer('main', ['../server/**', '../../server/**', '**/renderer/**'], MAIN_LAYER, {
    ignores: ['main/ipc/**', 'main/preload.cts'],
    paths: [
      {
        name: 'electron',
        importNames: ['ipcMain', 'ipcRenderer'],
        message: 'only main/ipc and main/preload touch IPC',
      },
    ],
  }),
  layer('main/ipc', ['../../server/**', '**/renderer/**'], MAIN_LAYER),
  {
    files: ['main/preload.cts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['../server/**', '**/renderer/**'], message: MAIN_LAYER }] },
      ],
    },
  },
  layer(
    'renderer',
    ['**/server/**', '**/main/**', 'electron', 'node:*'],
    'renderer/ imports only common/',
  ),
);
