/**
 * Dawn, Chromium's WebGPU implementation, as Node bindings (the npm package `webgpu`, which ships
 * its prebuilt `dawn.node` for each platform inside the package: no download, no CUDA). Loading it
 * gives this process `navigator.gpu` over Vulkan, Metal or D3D12, which is all tfjs's webgpu
 * backend needs.
 */
import type { GpuAdapterReport } from '../../../shared/backend-types';

let gpuPromise: Promise<GPU> | null = null;

/** Words that name a CPU emulation of a GPU in an adapter's description or architecture. */
const SOFTWARE_NAMES = /swiftshader|llvmpipe|lavapipe|softpipe|microsoft basic render|\bwarp\b/i;

/**
 * Loads Dawn once and installs `navigator.gpu` and the WebGPU globals (GPUBufferUsage, …) that
 * tfjs's backend reads. Throws with the loader's reason when the binary cannot be loaded.
 */
export function loadDawn(): Promise<GPU> {
  gpuPromise ??= (async () => {
    // An ES module with a native addon: imported at run time, never bundled.
    const { create, globals } = (await import('webgpu')) as {
      create(options: string[]): GPU;
      globals: object;
    };
    Object.assign(globalThis, globals);
    const gpu = create([]);
    // Node ≥ 21 (and Electron's Node) has a read-only `navigator` without `gpu`; Node 20 has none.
    const existing = (globalThis as { navigator?: object }).navigator;
    if (existing) Object.defineProperty(existing, 'gpu', { value: gpu, configurable: true });
    else Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true });
    return gpu;
  })();
  gpuPromise.catch(() => {
    gpuPromise = null;
  });
  return gpuPromise;
}

/** What the adapter says about itself; fields are read one by one (they are getters). */
export function describeAdapter(adapter: GPUAdapter): GpuAdapterReport {
  const info = adapter.info;
  const described = `${info.vendor} ${info.architecture} ${info.device} ${info.description}`;
  // `isFallbackAdapter` is the spec's flag for software adapters; older Dawn builds lack it.
  const fallback = (info as GPUAdapterInfo & { isFallbackAdapter?: boolean }).isFallbackAdapter === true;
  return {
    vendor: info.vendor,
    architecture: info.architecture,
    device: info.device,
    description: info.description,
    software: fallback || SOFTWARE_NAMES.test(described),
    maxBufferSize: adapter.limits.maxBufferSize,
    maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
  };
}

/** "NVIDIA GeForce RTX 4090 (nvidia ada)" or "SwiftShader driver 5.0.0 (google swiftshader, software)". */
export function adapterName(report: GpuAdapterReport): string {
  const detail = [report.vendor, report.architecture].filter((word) => word.length > 0).join(' ');
  const title = report.description || report.device || 'unnamed adapter';
  const parts = [detail, report.software ? 'software' : ''].filter((part) => part.length > 0);
  return parts.length > 0 ? `${title} (${parts.join(', ')})` : title;
}
