/**
 * The render bench page: Scatter.webgl.svelte on its own, built by bench/support/render-frames.ts
 * into a temporary folder (it passes `build.outDir`).
 */
import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  // Served from a throwaway static server: relative URLs work wherever it is mounted.
  base: './',
  logLevel: 'warn',
  // The root is bench/render, so name the project's Svelte config explicitly.
  plugins: [svelte({ configFile: fileURLToPath(new URL('../../svelte.config.mjs', import.meta.url)) })],
  build: { target: 'es2022', emptyOutDir: true, reportCompressedSize: false },
});
