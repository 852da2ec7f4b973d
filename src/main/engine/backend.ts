/**
 * Chooses the TensorFlow.js backend: tfjs-node-gpu → webgpu (Dawn) → tfjs-node → wasm (SIMD) → cpu,
 * or the one forced by LATENT_STUDIO_BACKEND / the user's setting. Records why each better one was
 * skipped, because "why is this slow?" is the first question a user asks.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import path from 'node:path';
import { registerFastWasmKernels } from './kernels/register-wasm-kernels';
import { nodeRequire } from './node-require';
import { AdapterSkipped, activateWebGpu } from './webgpu/webgpu-backend';
import { clearGpuFault } from './webgpu/gpu-faults';
import type {
  BackendName,
  BackendPreference,
  BackendReport,
  GpuAdapterReport,
} from '../../shared/backend-types';

interface Activated {
  label: string;
  adapter?: GpuAdapterReport;
}

interface Candidate {
  name: BackendName;
  /** Loads the backend and makes it current; throws with a reason when it cannot. */
  activate(forced: boolean): Promise<Activated>;
}

function describeError(name: BackendName, error: unknown): string {
  const err = error as { code?: string; message?: string };
  if (error instanceof AdapterSkipped) return error.message;
  if (err.code === 'MODULE_NOT_FOUND' || err.code === 'ERR_MODULE_NOT_FOUND') {
    return name === 'webgpu'
      ? 'not installed (the `webgpu` package is missing: run `npm install`)'
      : 'not installed (opt in with `npm run setup:native`)';
  }
  const firstLine = (err.message ?? String(error)).split('\n')[0] ?? 'unknown error';
  return `failed to load: ${firstLine.slice(0, 200)}`;
}

async function activateTensorflow(moduleName: string, label: string): Promise<Activated> {
  nodeRequire(moduleName);
  if (!(await tf.setBackend('tensorflow'))) throw new Error('backend "tensorflow" did not initialise');
  return { label };
}

const CANDIDATES: Candidate[] = [
  {
    name: 'tensorflow-gpu',
    activate: () => activateTensorflow('@tensorflow/tfjs-node-gpu', 'TensorFlow native (CUDA GPU)'),
  },
  {
    name: 'webgpu',
    // A software adapter (SwiftShader, llvmpipe) only when asked for by name: it is a CPU emulation.
    activate: (forced) => activateWebGpu(forced),
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
      return { label: simd ? 'WebAssembly (SIMD)' : 'WebAssembly' };
    },
  },
  {
    name: 'cpu',
    activate: async () => {
      if (!(await tf.setBackend('cpu'))) throw new Error('cpu backend did not initialise');
      return { label: 'JavaScript CPU' };
    },
  },
];

/**
 * Activates the preferred backend, or the best one that loads. A forced backend that fails to
 * load falls back to the automatic order, with the failure listed among the skipped reasons.
 */
export async function selectBackend(preference: BackendPreference): Promise<BackendReport> {
  // A fault of an earlier GPU device says nothing about the backend chosen now.
  clearGpuFault();
  const skipped: BackendReport['skipped'] = [];
  if (preference !== 'auto') {
    const forced = CANDIDATES.find((c) => c.name === preference);
    if (forced) {
      try {
        const activated = await forced.activate(true);
        const better = CANDIDATES.slice(0, CANDIDATES.indexOf(forced)).map((c) => ({
          name: c.name,
          reason: `not tried: ${preference} was forced`,
        }));
        return { name: forced.name, ...activated, forced: true, skipped: better };
      } catch (error) {
        skipped.push({ name: forced.name, reason: `forced, but ${describeError(forced.name, error)}` });
      }
    }
  }
  for (const candidate of CANDIDATES) {
    if (skipped.some((s) => s.name === candidate.name)) continue;
    try {
      const activated = await candidate.activate(false);
      return { name: candidate.name, ...activated, forced: false, skipped };
    } catch (error) {
      skipped.push({ name: candidate.name, reason: describeError(candidate.name, error) });
    }
  }
  throw new Error(`no TensorFlow.js backend could be loaded: ${skipped.map((s) => s.reason).join('; ')}`);
}
