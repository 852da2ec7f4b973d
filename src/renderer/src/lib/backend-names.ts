/** Names for the backend picker; the engine's own `BackendReport.label` wins once it has loaded one. */
import { BACKEND_NAMES, type BackendName, type BackendPreference } from '../../../shared/types';

const LABELS: Record<BackendName, string> = {
  'tensorflow-gpu': 'TensorFlow GPU (CUDA)',
  webgpu: 'WebGPU (any GPU, via Dawn)',
  tensorflow: 'TensorFlow (native CPU)',
  wasm: 'WebAssembly',
  cpu: 'JavaScript CPU',
};

export const BACKEND_OPTIONS: readonly { value: BackendPreference; label: string }[] = [
  { value: 'auto', label: 'Automatic (best available)' },
  ...BACKEND_NAMES.map((name) => ({ value: name, label: LABELS[name] })),
];

export function backendLabel(name: BackendName): string {
  return LABELS[name];
}

export function isBackendPreference(value: string): value is BackendPreference {
  return BACKEND_OPTIONS.some((option) => option.value === value);
}
