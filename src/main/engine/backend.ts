/**
 * Chooses the TensorFlow.js backend: tfjs-node-gpu → tfjs-node → wasm (SIMD) → cpu, or the one
 * forced by LATENT_STUDIO_BACKEND / the user's setting. Records why each better one was skipped,
 * because "why is this slow?" is the first question a user asks.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import path from 'node:path';
import { registerFastWasmKernels } from './kernels/register-wasm-kernels';
import { nodeRequire } from './node-require';
import type { BackendName, BackendPreference, BackendReport } from '../../shared/types';

interface Candidate {
  name: BackendName;
  /** Loads the backend and makes it current; throws with a reason when it cannot. */
  activate(): Promise<string>;
}

function describeError(error: unknown): string {
  const err = error as { code?: string; message?: string };
  if (err.code === 'MODULE_NOT_FOUND' || err.code === 'ERR_MODULE_NOT_FOUND') {
    return 'not installed (opt in with `npm run setup:native`)';
  }
  const firstLine = (err.message ?? String(error)).split('\n')[0] ?? 'unknown error';
  return `failed to load: ${firstLine.slice(0, 200)}`;
}

async function activateTensorflow(moduleName: string, label: string): Promise<string> {
  nodeRequire(moduleName);
  if (!(await tf.setBackend('tensorflow'))) throw new Error('backend "tensorflow" did not initialise');
  return label;
}

const CANDIDATES: Candidate[] = [
  {
    name: 'tensorflow-gpu',
    activate: () => activateTensorflow('@tensorflow/tfjs-node-gpu', 'TensorFlow native (CUDA GPU)'),
  },
  {
    name: 'tensorflow',
    activate: () => activateTensorflow('@tensorflow/tfjs-node', 'TensorFlow native (CPU)'),
  },
  {
    name: 'wasm',
    activate: async () => {
      // The backend is bundled into the engine, so it cannot find its .wasm files next to itself.
      setWasmPaths(
        path.join(path.dirname(nodeRequire.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') +
          path.sep,
      );
      if (!(await tf.setBackend('wasm'))) throw new Error('WebAssembly backend did not initialise');
      // Stock wasm sends transposed matmuls (every gradient) to a scalar loop and has no conv filter
      // gradient; ours make MLP training ~5× faster and conv training possible at all.
      registerFastWasmKernels();
      const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
      return simd ? 'WebAssembly (SIMD)' : 'WebAssembly';
    },
  },
  {
    name: 'cpu',
    activate: async () => {
      if (!(await tf.setBackend('cpu'))) throw new Error('cpu backend did not initialise');
      return 'JavaScript CPU';
    },
  },
];

/**
 * Activates the preferred backend, or the best one that loads. A forced backend that fails to
 * load falls back to the automatic order, with the failure listed among the skipped reasons.
 */
export async function selectBackend(preference: BackendPreference): Promise<BackendReport> {
  const skipped: BackendReport['skipped'] = [];
  if (preference !== 'auto') {
    const forced = CANDIDATES.find((c) => c.name === preference);
    if (forced) {
      try {
        const label = await forced.activate();
        const better = CANDIDATES.slice(0, CANDIDATES.indexOf(forced)).map((c) => ({
          name: c.name,
          reason: `not tried: ${preference} was forced`,
        }));
        return { name: forced.name, label, forced: true, skipped: better };
      } catch (error) {
        skipped.push({ name: forced.name, reason: `forced, but ${describeError(error)}` });
      }
    }
  }
  for (const candidate of CANDIDATES) {
    if (skipped.some((s) => s.name === candidate.name)) continue;
    try {
      const label = await candidate.activate();
      return { name: candidate.name, label, forced: false, skipped };
    } catch (error) {
      skipped.push({ name: candidate.name, reason: describeError(error) });
    }
  }
  throw new Error(`no TensorFlow.js backend could be loaded: ${skipped.map((s) => s.reason).join('; ')}`);
}
