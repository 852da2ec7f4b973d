// Lint, including the runtime layer walls of ARCHITECTURE.md as no-restricted-imports rules.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import svelteConfig from './svelte.config.mjs';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const electronOnly = {
  name: 'electron',
  message: 'Only the Electron glue (src/main outside engine/core) may import electron.',
};
const rawIpc = {
  name: 'electron',
  importNames: ['ipcMain', 'ipcRenderer'],
  message: 'Use the typed wrappers: src/main/ipc.ts and src/preload/index.ts are the only raw IPC users.',
};
const walls = (paths, patterns = []) => ['error', { paths, patterns }];

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'dist/**',
      'node_modules/**',
      'test-results/**',
      'playwright-report/**',
      'resources/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strict,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'svelte/no-at-html-tags': 'error',
      // noUncheckedIndexedAccess makes every typed-array read `number | undefined`; in numeric
      // loops whose bounds are checked, `!` is clearer than a branch per element.
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: {
      globals: { ...globals.browser },
      parserOptions: {
        projectService: false,
        extraFileExtensions: ['.svelte'],
        parser: tseslint.parser,
        svelteConfig,
      },
    },
  },
  {
    files: ['src/renderer/**/*'],
    languageOptions: { globals: { ...globals.browser } },
  },
  // --- layer walls ---
  {
    files: ['src/shared/**/*'],
    rules: {
      'no-restricted-imports': walls(
        [
          electronOnly,
          ...nodeBuiltins.map((name) => ({
            name,
            message: 'src/shared is pure TypeScript: no Node modules.',
          })),
        ],
        [
          {
            group: ['**/main/**', '**/renderer/**', '**/preload/**', '**/server/**'],
            message: 'src/shared imports nothing from other layers.',
          },
        ],
      ),
    },
  },
  {
    files: ['src/main/engine/**/*', 'src/main/core/**/*', 'src/server/**/*'],
    rules: {
      'no-restricted-imports': walls(
        [electronOnly],
        [
          {
            group: ['**/renderer/**', '**/preload/**'],
            message: 'Node-side code never imports the renderer or preload.',
          },
        ],
      ),
    },
  },
  {
    files: ['src/main/engine/**/*'],
    rules: {
      'no-restricted-imports': walls(
        [electronOnly],
        [
          {
            group: ['**/core/**', '**/server/**', '**/renderer/**', '**/preload/**'],
            message: 'The engine depends on nothing but shared.',
          },
        ],
      ),
    },
  },
  {
    files: ['src/cli/**/*'],
    rules: {
      'no-restricted-imports': walls(
        [electronOnly],
        [
          {
            group: ['**/core/**', '**/server/**', '**/renderer/**', '**/preload/**'],
            message: 'The command line uses the engine directly, never the app core, hosts or UI.',
          },
        ],
      ),
    },
  },
  {
    files: ['src/main/*.ts'],
    ignores: ['src/main/ipc.ts'],
    rules: {
      'no-restricted-imports': walls(
        [rawIpc],
        [{ group: ['**/renderer/**'], message: 'main never imports the renderer.' }],
      ),
    },
  },
  {
    files: ['src/preload/**/*'],
    ignores: ['src/preload/index.ts'],
    rules: { 'no-restricted-imports': walls([rawIpc]) },
  },
  {
    files: ['src/renderer/**/*'],
    rules: {
      'no-restricted-imports': walls(
        [
          electronOnly,
          ...nodeBuiltins.map((name) => ({ name, message: 'The renderer draws; it has no Node access.' })),
        ],
        [
          {
            group: ['**/main/**', '**/server/**', '**/preload/**', '@tensorflow/*'],
            message: 'The renderer talks to Api only.',
          },
        ],
      ),
    },
  },
);
