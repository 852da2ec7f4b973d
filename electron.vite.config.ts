import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { REQUEST_NAMES } from './src/shared/channels';

export default defineConfig({
  main: {
    build: {
      // tfjs-core's CommonJS entry lacks the gradient registry and its per-file ESM cannot be
      // loaded by Node, so the engine bundles tfjs (and its backends) from their ES modules.
      // onnx-proto is bundled so that only protobufjs/minimal ships, not protobufjs's 20 MB CLI.
      externalizeDeps: {
        exclude: [
          '@tensorflow/tfjs-core',
          '@tensorflow/tfjs-backend-cpu',
          '@tensorflow/tfjs-backend-wasm',
          '@tensorflow/tfjs-backend-webgpu',
          'onnx-proto',
        ],
      },
      rollupOptions: {
        input: {
          // Electron main process.
          index: resolve(__dirname, 'src/main/index.ts'),
          // The engine process (utilityProcess under Electron, child_process.fork under Node).
          engine: resolve(__dirname, 'src/main/engine/index.ts'),
          // The engine's projection worker thread (t-SNE, UMAP, PCA off the training thread).
          'projection-worker': resolve(__dirname, 'src/main/engine/latent/projection-worker.ts'),
          // The browser host: plain Node, no electron.
          serve: resolve(__dirname, 'src/server/serve.ts'),
          // The command line (train, encode, sample, export): plain Node, no electron.
          cli: resolve(__dirname, 'src/cli/main.ts'),
        },
        // Opt-in native backends are loaded at run time if installed, never bundled.
        external: ['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu'],
      },
    },
  },
  preload: {
    // The preload checks request names, taken here from the schema table at build time: importing
    // the table would bundle zod into the preload (200 KB, ~100 ms of every window's start).
    define: { __REQUEST_NAMES__: JSON.stringify(REQUEST_NAMES) },
    build: {
      // A sandboxed preload can only require('electron'): bundle everything else into it.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(__dirname, 'src/preload/index.ts') },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    build: {
      rollupOptions: { input: { index: resolve(__dirname, 'src/renderer/index.html') } },
    },
    // The renderer's root is src/renderer, so name the project's Svelte config explicitly.
    plugins: [svelte({ configFile: resolve(__dirname, 'svelte.config.mjs') })],
  },
});
