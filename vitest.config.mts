import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
          exclude: ['tests/unit/state/**'],
          // tfjs keeps global engine state; separate processes keep test files from sharing it.
          pool: 'forks',
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        // The renderer's runes state classes (`*.svelte.ts`) compiled as the page gets them, and
        // driven through a fake Api (tests/support/fake-api.ts): no host, engine or browser.
        plugins: [svelte({ configFile: false, compilerOptions: { runes: true } })],
        resolve: { conditions: ['browser'] },
        test: { name: 'state', include: ['tests/unit/state/**/*.test.ts'] },
      },
    ],
  },
});
