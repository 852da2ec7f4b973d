/**
 * Multi-threaded XNNPack for the wasm backend under Node: an opt-in experiment, not used by default.
 *
 * tfjs-backend-wasm 4.22 refuses threads under Node (WASM_HAS_MULTITHREAD_SUPPORT is hard-wired to
 * false there, tfjs issue #3830) because Emscripten's pthread workers are created from blob: URLs
 * that Node's worker_threads cannot load. This makes them loadable: for the duration of the
 * backend's initialisation, worker_threads.Worker is swapped for a subclass that runs the pthread
 * worker script from source and lets it `require` the Emscripten factory from disk instead of
 * importing the blob. The backend also caps XNNPack's pool at os.cpus().length / 2 (it assumes two
 * hyper-threads per core), so os.cpus is widened for that moment too.
 *
 * Measured on the 2-vCPU machine this was written on (bench/kernels.ts --threads 2): +20–27%
 * training throughput (MLP VAE 4,870 → 5,900–6,000 img/s, conv VAE 1,260 → 1,600) while the other
 * core was idle, but about half the single-thread speed (MLP 5,040 → 2,550 img/s) whenever another
 * process kept that core busy: pthreadpool waits for the descheduled worker on every operator.
 * It also costs ~85 MB (Emscripten pre-spawns 8 pthread workers) and needs the package's
 * wasm-out/ files on disk. Worth trying where cores are plentiful (e.g. threads = cpus / 2 with
 * cpus ≥ 4); not a default for a 2-core machine shared with the UI.
 */
import os from 'node:os';
import path from 'node:path';
import workerThreads from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import { nodeRequire } from '../node-require';

export interface WasmThreadOptions {
  /** Directory holding tfjs-backend-wasm's `wasm-out` folder (the package root). */
  packageRoot: string;
  /** XNNPack threads including the calling one. Default half the logical cores, at least 1. */
  threads?: number;
}

interface WorkerSource {
  wasmWorkerContents: string;
}

/**
 * Activates the wasm backend with a thread pool. Call instead of `tf.setBackend('wasm')`, after
 * setWasmPaths. Resolves to the number of threads XNNPack actually got.
 */
export async function activateThreadedWasm(options: WasmThreadOptions): Promise<number> {
  const wasmModule = await import('@tensorflow/tfjs-backend-wasm');
  const wasmOut = path.join(options.packageRoot, 'wasm-out');
  // Read from disk, not bundled: the worker must run the very same Emscripten build.
  const source = (
    nodeRequire(path.join(wasmOut, 'tfjs-backend-wasm-threaded-simd.worker.js')) as WorkerSource
  ).wasmWorkerContents;
  const factoryPath = path.join(wasmOut, 'tfjs-backend-wasm-threaded-simd.js');
  // The script is a template string whose "\n" escapes became real newlines inside string
  // literals; tfjs re-escapes them the same way before making its blob.
  const script =
    source.replace(/\n/g, '\\n') +
    `;(function(){var load=global.importScripts;global.importScripts=function(f){` +
    `if(String(f).startsWith('blob:')){global.WasmBackendModuleThreadedSimd=require(${JSON.stringify(factoryPath)});return}` +
    `load(f)}})();`;
  const Original = workerThreads.Worker;
  class BlobFreeWorker extends Original {
    constructor(url: string | URL, opts?: workerThreads.WorkerOptions) {
      if (String(url).startsWith('blob:')) super(script, { ...opts, eval: true });
      else super(url, opts);
      // XNNPack's pool threads live as long as the backend; Emscripten ref()s a worker while it
      // runs a thread, which would keep the process alive forever after main() returns.
      this.unref();
    }

    override ref(): void {
      // See the constructor: pool workers never hold the process open.
    }
  }
  const cpus = os.cpus;
  const threads = options.threads ?? Math.max(1, Math.floor(cpus().length / 2));
  const mutableThreads = workerThreads as { Worker: typeof Original };
  const mutableOs = os as { cpus: typeof os.cpus };
  mutableThreads.Worker = BlobFreeWorker;
  mutableOs.cpus = () => Array.from({ length: 2 * threads }, () => cpus()[0]!);
  try {
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
    wasmModule.setThreadsCount(threads);
    if (!(await tf.setBackend('wasm'))) throw new Error('threaded WebAssembly backend did not initialise');
  } finally {
    mutableThreads.Worker = Original;
    mutableOs.cpus = cpus;
  }
  return wasmModule.getThreadsCount();
}
