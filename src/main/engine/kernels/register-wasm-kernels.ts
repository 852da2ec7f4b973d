/**
 * Replaces the wasm backend's slow or missing training kernels (tfjs-backend-wasm 4.22) with ones
 * built on its fast XNNPack paths. Call right after `tf.setBackend('wasm')` succeeds; safe to call
 * again. Registers, for backend 'wasm' only:
 *   BatchMatMul, _FusedMatMul  every transpose/batch case on XNNPack (matmul.ts)
 *   Conv2DBackpropFilter       new: the stock backend has none, so conv training fails (conv.ts)
 *   Conv2DBackpropInput        = conv2dTranspose; XNNPack instead of a scalar loop (conv.ts)
 *   Identity, Cast             share the buffer instead of copying it (identity.ts)
 *   Sum                        leading-axes (bias gradient) sums without a transpose (sum.ts)
 */
import {
  getKernel,
  registerKernel,
  unregisterKernel,
  type KernelConfig,
  type KernelFunc,
} from '@tensorflow/tfjs-core';
import { makeConv2DBackpropFilter, makeConv2DBackpropInput } from './conv';
import { makeCast, makeIdentity } from './identity';
import { makeBatchMatMul, makeFusedMatMul } from './matmul';
import { makeSum } from './sum';
import { WASM } from './wasm-context';

/** The configs we registered, so a second call can tell ours from the stock ones. */
const ours = new Set<KernelConfig>();
/** What each replaced kernel was before (null: there was none), for restoreStockWasmKernels. */
const stockConfigs = new Map<string, KernelConfig | null>();

/**
 * Installs `make(stock)` for `kernelName`, keeping the stock setupFunc (it binds the C++ entry
 * point the stock kernelFunc calls, and must run again if the backend is ever re-created).
 */
function replace(kernelName: string, make: (stock: KernelFunc) => KernelFunc): void {
  const current = getKernel(kernelName, WASM);
  if (current && ours.has(current)) return;
  const stock = current?.kernelFunc;
  if (!stock) throw new Error(`wasm backend has no '${kernelName}' kernel to replace`);
  const config: KernelConfig = {
    kernelName,
    backendName: WASM,
    kernelFunc: make(stock),
    ...(current.setupFunc ? { setupFunc: current.setupFunc } : {}),
    ...(current.disposeFunc ? { disposeFunc: current.disposeFunc } : {}),
  };
  unregisterKernel(kernelName, WASM);
  registerKernel(config);
  ours.add(config);
  stockConfigs.set(kernelName, current);
}

/** Registers a kernel the stock backend lacks (or keeps ours if already there). */
function add(kernelName: string, kernelFunc: KernelFunc): void {
  const current = getKernel(kernelName, WASM);
  if (current && ours.has(current)) return;
  if (current) unregisterKernel(kernelName, WASM);
  const config: KernelConfig = { kernelName, backendName: WASM, kernelFunc };
  registerKernel(config);
  ours.add(config);
  stockConfigs.set(kernelName, current ?? null);
}

/** Registers the faster kernels for the 'wasm' backend. Idempotent. */
export function registerFastWasmKernels(): void {
  replace('BatchMatMul', makeBatchMatMul);
  replace('_FusedMatMul', makeFusedMatMul);
  replace('Conv2DBackpropInput', (stock) => makeConv2DBackpropInput(stock));
  add('Conv2DBackpropFilter', makeConv2DBackpropFilter());
  replace('Identity', makeIdentity);
  replace('Cast', makeCast);
  replace('Sum', makeSum);
}

/** Puts the stock kernels back (for benchmarks comparing the two in one process). */
export function restoreStockWasmKernels(): void {
  for (const [kernelName, stock] of stockConfigs) {
    const current = getKernel(kernelName, WASM);
    if (current && ours.has(current)) unregisterKernel(kernelName, WASM);
    if (stock) registerKernel(stock);
  }
  stockConfigs.clear();
}
