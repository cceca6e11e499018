// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import { layersRule } from './eslint-rules/layers.js';
import * as layerTable from './eslint-rules/layerTable.js';

/** Layer rules (ARCHITECTURE.md): each folder's allow-list and each package's runtime. */
const layerRule = {
  root: import.meta.dirname,
  runtimes: layerTable.runtimes,
  restrictedElectronApis: layerTable.restrictedElectronApis,
  layers: layerTable.layers,
  overlays: layerTable.overlays,
};

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
  {
    files: ['**/*.{js,mjs,cjs,ts,tsx,cts,mts}'],
    plugins: { opsdeck: { rules: { layers: layersRule } } },
    rules: { 'opsdeck/layers': ['error', layerRule] },
  },
);
