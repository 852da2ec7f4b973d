/**
 * Calling wasm kernels from inside other wasm kernels. A replacement kernel composes the backend's
 * own fast kernels on TensorInfos (not tf ops): nothing lands on the gradient tape or in the
 * engine's tensor count, and every intermediate is released with `release` before returning.
 */
import { getKernel, type KernelFunc, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

export const WASM = 'wasm';

/** The kernel registered for wasm right now; throws if there is none. */
export function wasmKernel(kernelName: string): KernelFunc {
  const config = getKernel(kernelName, WASM);
  if (!config) throw new Error(`kernel '${kernelName}' is not registered for the wasm backend`);
  return config.kernelFunc;
}

/** One kernel call on the wasm backend, for kernels that return a single tensor. */
export function runWasm(
  backend: BackendWasm,
  kernel: KernelFunc,
  inputs: Record<string, TensorInfo>,
  attrs: NamedAttrMap = {},
): TensorInfo {
  const out = kernel({ inputs, backend, attrs });
  if (Array.isArray(out)) throw new Error('expected a kernel with a single output');
  return out;
}

/**
 * Releases intermediates. Reshape outputs share their input's data with a raised refCount, so
 * disposing one only drops that reference; this is how the stock kernels clean up too.
 */
export function release(backend: BackendWasm, ...infos: TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId);
}

export function reshape(backend: BackendWasm, x: TensorInfo, shape: number[]): TensorInfo {
  return runWasm(backend, wasmKernel('Reshape'), { x }, { shape });
}

export function transpose(backend: BackendWasm, x: TensorInfo, perm: number[]): TensorInfo {
  return runWasm(backend, wasmKernel('Transpose'), { x }, { perm });
}

export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * A Float32Array over a tensor's bytes in the wasm heap. Re-fetch after any allocation: growing
 * the heap detaches earlier views.
 */
export function heapF32(backend: BackendWasm, info: TensorInfo): Float32Array {
  return backend.typedArrayFromHeap(info) as Float32Array;
}
