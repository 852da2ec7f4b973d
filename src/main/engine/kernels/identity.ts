/**
 * Identity and same-dtype Cast that share the input's buffer instead of copying it.
 *
 * The stock wasm kernels copy. Identity runs for every tensor the engine saves for backprop
 * (engine.clone) and Cast for every gradient's `cast(…, 'float32')` of a float32 tensor: 55 and 9
 * copies per MLP VAE step, ~1 ms of a ~25 ms step. Sharing is safe because tfjs tensors are
 * immutable and the backend reference-counts buffers (Reshape already shares this way, as do the
 * cpu backend's Identity and Cast).
 */
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

function share(backend: BackendWasm, x: TensorInfo): TensorInfo {
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
}

export function makeIdentity(stock: KernelFunc): KernelFunc {
  return (args) => {
    const { x } = args.inputs as { x: TensorInfo };
    // Strings live in JS, not in the heap; the stock kernel handles them.
    if (x.dtype === 'string') return stock(args);
    return share(args.backend as BackendWasm, x);
  };
}

export function makeCast(stock: KernelFunc): KernelFunc {
  return (args) => {
    const { x } = args.inputs as { x: TensorInfo };
    const { dtype } = args.attrs as { dtype: string };
    if (x.dtype !== dtype || x.dtype === 'string') return stock(args);
    return share(args.backend as BackendWasm, x);
  };
}
