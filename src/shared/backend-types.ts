/** Which TensorFlow.js backend the engine runs on, and the engine process's state, as hosts report them. */

export const BACKEND_NAMES = ['tensorflow-gpu', 'webgpu', 'tensorflow', 'wasm', 'cpu'] as const;
/** A TensorFlow.js backend the engine can run on, best first. */
export type BackendName = (typeof BACKEND_NAMES)[number];
/** What the user asked for: a named backend, or the best one that loads. */
export type BackendPreference = BackendName | 'auto';

export interface BackendReport {
  /** The backend in use. */
  name: BackendName;
  /** Human-readable name for the status bar, e.g. "WebAssembly (SIMD)". */
  label: string;
  /** True when an environment variable or the setting chose it, not the automatic order. */
  forced: boolean;
  /** Each better backend that was not used, with the reason. */
  skipped: { name: BackendName; reason: string }[];
  /** The GPU behind the webgpu backend (present only when webgpu is in use). */
  adapter?: GpuAdapterReport;
}

/** A WebGPU adapter as Dawn describes it: what the status bar and the command line name. */
export interface GpuAdapterReport {
  /** e.g. "nvidia", "amd", "intel", "apple", "google" (SwiftShader). */
  vendor: string;
  /** e.g. "ampere", "rdna-3", "swiftshader". */
  architecture: string;
  device: string;
  /** The driver's own words, e.g. "NVIDIA GeForce RTX 4090" or "SwiftShader driver 5.0.0". */
  description: string;
  /** A CPU emulation (SwiftShader, llvmpipe, WARP): correct but slower than WebAssembly. */
  software: boolean;
  /** The largest single buffer in bytes: bounds batch size × image size on this GPU. */
  maxBufferSize: number;
  maxStorageBufferBindingSize: number;
}

export type EngineState = 'starting' | 'ready' | 'crashed' | 'restarting';

export interface EngineStatus {
  state: EngineState;
  backend: BackendReport | null;
  preference: BackendPreference;
  /** Plain-words explanation of the last crash or restart, if any. */
  message: string | null;
  restarts: number;
}
