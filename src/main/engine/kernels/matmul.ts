// Over 300 lines: one matmul kernel, its tiling and its broadcast rules share one shader scheme.
/**
 * BatchMatMul / _FusedMatMul for wasm that always reach XNNPack's fully-connected operator.
 *
 * The stock kernels (tfjs-backend-wasm 4.22, batch_mat_mul_impl.cc) use XNNPack only when
 * transposeA and transposeB are both false and both operands have a batch of 1; everything else
 * (every matmul gradient, every rank-3 batched product) goes to a scalar triple loop at ~2 GFLOP/s
 * against 20–30 GFLOP/s for XNNPack. Here the operands are rearranged with the backend's Transpose
 * kernel (O(n²) copies against O(n³) work) so the stock kernel always takes its fast path.
 */
import {
  type BatchMatMulAttrs,
  type _FusedMatMulAttrs,
  type KernelFunc,
  type NamedAttrMap,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { heapF32, release, reshape, runWasm, sizeOf, transpose } from './wasm-context';

/**
 * Below this many multiply-adds per batch item, a batched product (both operands batched) stays on
 * the stock kernel: splitting it costs a few kernel calls per item, which only pays off once an
 * item takes longer than that in the scalar loop (64k MACs ≈ 60 µs there).
 */
const MIN_MACS_PER_ITEM_FOR_SPLIT = 65_536;

interface Plan {
  m: number;
  k: number;
  n: number;
  batchA: number;
  batchB: number;
  /** Batch items of the product: the size of the broadcast batch shape. */
  batchOut: number;
  /**
   * For each batch item of the product, the a and b items it multiplies; null when item i is
   * simply a[i % batchA] · b[i % batchB] (equal batch shapes, or one side a single matrix).
   */
  pairs: { a: Int32Array; b: Int32Array } | null;
  outShape: number[];
}

/** Row-major index of the item of `inShape` that output item `outIndex` of `outShape` reads. */
function broadcastSource(outIndex: number, outShape: readonly number[], inShape: readonly number[]): number {
  let rest = outIndex;
  let index = 0;
  let stride = 1;
  const offset = outShape.length - inShape.length;
  for (let d = outShape.length - 1; d >= 0; d--) {
    const coord = rest % outShape[d]!;
    rest = Math.floor(rest / outShape[d]!);
    const size = d >= offset ? inShape[d - offset]! : 1;
    if (size !== 1) index += coord * stride;
    stride *= size;
  }
  return index;
}

/**
 * Shapes of a (possibly transposed, possibly batched) product, or null if the matrices don't
 * match (the stock kernel then reports it). Batch dimensions that cannot broadcast throw here:
 * the stock kernels would otherwise index them modulo the batch size and return wrong numbers.
 */
function plan(a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean): Plan | null {
  const aRank = a.shape.length;
  const bRank = b.shape.length;
  if (aRank < 2 || bRank < 2) return null;
  const aRows = a.shape[aRank - 2]!;
  const aCols = a.shape[aRank - 1]!;
  const bRows = b.shape[bRank - 2]!;
  const bCols = b.shape[bRank - 1]!;
  const [m, k] = transposeA ? [aCols, aRows] : [aRows, aCols];
  const [kB, n] = transposeB ? [bCols, bRows] : [bRows, bCols];
  if (k !== kB) return null;
  const aBatchShape = a.shape.slice(0, -2);
  const bBatchShape = b.shape.slice(0, -2);
  const outer = broadcastBatch(aBatchShape, bBatchShape, a.shape, b.shape);
  const batchA = sizeOf(aBatchShape);
  const batchB = sizeOf(bBatchShape);
  const batchOut = sizeOf(outer);
  // Modulo indexing is right when both sides have the product's batch shape or one is a single
  // matrix; any other broadcast ([6,1] against [1,6], [2,1] against [2,3]) gets an explicit map.
  const simple = batchA === 1 || batchB === 1 || (batchA === batchOut && batchB === batchOut);
  let pairs: Plan['pairs'] = null;
  if (!simple) {
    pairs = { a: new Int32Array(batchOut), b: new Int32Array(batchOut) };
    for (let i = 0; i < batchOut; i++) {
      pairs.a[i] = broadcastSource(i, outer, aBatchShape);
      pairs.b[i] = broadcastSource(i, outer, bBatchShape);
    }
  }
  return { m, k, n, batchA, batchB, batchOut, pairs, outShape: [...outer, m, n] };
}

/** The broadcast of two batch shapes (numpy rules), or a clear error naming both operands. */
function broadcastBatch(
  aBatch: readonly number[],
  bBatch: readonly number[],
  aShape: readonly number[],
  bShape: readonly number[],
): number[] {
  const rank = Math.max(aBatch.length, bBatch.length);
  const out: number[] = [];
  for (let d = 0; d < rank; d++) {
    const x = aBatch[d - (rank - aBatch.length)] ?? 1;
    const y = bBatch[d - (rank - bBatch.length)] ?? 1;
    if (x !== y && x !== 1 && y !== 1) {
      throw new Error(
        `BatchMatMul: batch dimensions [${aBatch.join(',')}] of a (shape [${aShape.join(',')}]) and ` +
          `[${bBatch.join(',')}] of b (shape [${bShape.join(',')}]) cannot be broadcast together: ` +
          `each pair, aligned from the right, must be equal or one of them 1`,
      );
    }
    out.push(x === 1 ? y : x);
  }
  return out;
}

/** `x` as a rank-3 [batch, rows, cols] tensor in row-major order, transposed if asked. */
function asRank3(backend: BackendWasm, x: TensorInfo, batch: number, transposed: boolean): TensorInfo {
  const rank = x.shape.length;
  const x3 = reshape(backend, x, [batch, x.shape[rank - 2]!, x.shape[rank - 1]!]);
  if (!transposed) return x3;
  const t = transpose(backend, x3, [0, 2, 1]);
  release(backend, x3);
  return t;
}

/** Copies item `i` of a [batch, rows, cols] tensor into a new [1, rows, cols] tensor. */
function batchItem(backend: BackendWasm, x3: TensorInfo, i: number): TensorInfo {
  const rows = x3.shape[1]!;
  const cols = x3.shape[2]!;
  const out = backend.makeOutput([1, rows, cols], 'float32');
  // Views after the allocation: makeOutput may grow (and so detach) the heap.
  const size = rows * cols;
  heapF32(backend, out).set(heapF32(backend, x3).subarray(i * size, (i + 1) * size));
  return out;
}

const UNTRANSPOSED = { transposeA: false, transposeB: false };

/**
 * The [k, n] each data buffer was last handed to XNNPack with as b. The stock kernel caches its
 * packed operator under the tensor id alone, so the same buffer seen again under another shape
 * (a reshape shares the buffer) silently reuses an operator packed for the old shape: wrong
 * results, then out-of-bounds reads (reproduced on stock 4.22 with a [4,6] tensor reused as
 * [6,4]). Keyed by dataId, which maps one-to-one to the backend's tensor id.
 */
const xnnBShapes = new WeakMap<object, string>();

/** Whether XNNPack already holds b packed for exactly this shape (so direct use is free). */
function packedAlready(b: TensorInfo): boolean {
  return xnnBShapes.get(b.dataId) === b.shape.slice(-2).join('x');
}

/**
 * `b` itself if XNNPack may cache an operator under its id for its current shape, else a copy
 * with a fresh id (the caller releases it when it differs from `b`).
 */
function safeB(backend: BackendWasm, b: TensorInfo): TensorInfo {
  const dims = b.shape.slice(-2).join('x');
  const known = xnnBShapes.get(b.dataId);
  if (known === undefined || known === dims) {
    xnnBShapes.set(b.dataId, dims);
    return b;
  }
  const copy = backend.makeOutput([...b.shape], 'float32');
  heapF32(backend, copy).set(heapF32(backend, b));
  xnnBShapes.set(copy.dataId, dims);
  return copy;
}

/** Calls the stock kernel's fast path (untransposed, batch 1) with `b` made safe for its cache. */
function callFast(
  backend: BackendWasm,
  fast: KernelFunc,
  inputs: Record<string, TensorInfo> & { b: TensorInfo },
  attrs: NamedAttrMap,
): TensorInfo {
  const b = safeB(backend, inputs.b);
  try {
    return runWasm(backend, fast, { ...inputs, b }, attrs);
  } finally {
    if (b !== inputs.b) release(backend, b);
  }
}

/**
 * Measured on the wasm SIMD build (2-core EPYC, Node 20): XNNPack's fully-connected operator
 * re-packs its "weights" operand (b) every time b is a new tensor, at ≈3 ns per element, while
 * the Transpose kernel moves ≈0.5–1.4 ns per element. In training b is always new (weights change
 * every step, gradients are fresh), so packing a 784×400 weight matrix costs as much as a third of
 * the product itself. Computing (a·b)ᵀ = bᵀ·aᵀ instead packs aᵀ, which is much smaller when a has
 * few rows (the batch), at the price of a few transposes; these constants pick the cheaper way.
 */
const PACK_NS_PER_ELEMENT = 3;
const TRANSPOSE_NS_PER_ELEMENT = 0.8;

/** Whether computing the product as (bᵀ·aᵀ)ᵀ moves fewer nanoseconds than a·b. */
function swapIsCheaper(p: Plan, transposeA: boolean, transposeB: boolean): boolean {
  const { m, k, n } = p;
  const direct =
    ((transposeA ? m * k : 0) + (transposeB ? k * n : 0)) * TRANSPOSE_NS_PER_ELEMENT +
    k * n * PACK_NS_PER_ELEMENT;
  const swapped =
    ((transposeB ? 0 : k * n) + (transposeA ? 0 : m * k) + m * n) * TRANSPOSE_NS_PER_ELEMENT +
    k * m * PACK_NS_PER_ELEMENT;
  return swapped < direct;
}

/**
 * Runs a·b through `fast` (the stock kernel, called only with untransposed rank-3 operands of
 * batch 1) and returns the product in `p.outShape`. `extraInputs`/`extraAttrs` carry the fused
 * kernel's bias and activation, which act per output column: callers with those pass
 * `allowSwap = false`, and none of the other rearrangements permutes columns.
 */
function fastProduct(
  backend: BackendWasm,
  fast: KernelFunc,
  a: TensorInfo,
  b: TensorInfo,
  transposeA: boolean,
  transposeB: boolean,
  p: Plan,
  allowSwap: boolean,
  extraInputs: Record<string, TensorInfo> = {},
  extraAttrs: NamedAttrMap = {},
): TensorInfo {
  const call = (x: TensorInfo, y: TensorInfo) =>
    callFast(backend, fast, { ...extraInputs, a: x, b: y }, { ...extraAttrs, ...UNTRANSPOSED });
  const temps: TensorInfo[] = [];
  const keep = (t: TensorInfo) => {
    temps.push(t);
    return t;
  };
  try {
    if (p.batchA === 1 && p.batchB === 1 && allowSwap && swapIsCheaper(p, transposeA, transposeB)) {
      // bᵀ·aᵀ: a stored transposed already *is* aᵀ, and likewise for b.
      const bT = keep(asRank3(backend, b, 1, !transposeB));
      const aT = keep(asRank3(backend, a, 1, !transposeA));
      const outT = keep(call(bT, aT));
      const out = keep(transpose(backend, outT, [0, 2, 1]));
      return reshape(backend, out, p.outShape);
    }
    if (p.batchB === 1) {
      // Every a item meets the same b: stack the items as rows of one big matrix.
      const a3 = keep(asRank3(backend, a, p.batchA, transposeA));
      const aFlat = keep(reshape(backend, a3, [1, p.batchA * p.m, p.k]));
      const b3 = keep(asRank3(backend, b, 1, transposeB));
      const out = keep(call(aFlat, b3));
      return reshape(backend, out, p.outShape);
    }
    if (p.batchA === 1) {
      // One a against many b: lay the b items side by side ([k, batch·n]) and split the columns.
      const a3 = keep(asRank3(backend, a, 1, transposeA));
      const rank = b.shape.length;
      const b3 = keep(reshape(backend, b, [p.batchB, b.shape[rank - 2]!, b.shape[rank - 1]!]));
      const bWide = keep(transpose(backend, b3, transposeB ? [2, 0, 1] : [1, 0, 2]));
      const bFlat = keep(reshape(backend, bWide, [1, p.k, p.batchB * p.n]));
      const out = keep(call(a3, bFlat));
      const out3 = keep(reshape(backend, out, [p.m, p.batchB, p.n]));
      const split = keep(transpose(backend, out3, [1, 0, 2]));
      return reshape(backend, split, p.outShape);
    }
    // Both batched: one product per item of the result, each pairing the items it broadcasts.
    const a3 = keep(asRank3(backend, a, p.batchA, transposeA));
    const b3 = keep(asRank3(backend, b, p.batchB, transposeB));
    const out = keep(backend.makeOutput([p.batchOut, p.m, p.n], 'float32'));
    const itemSize = p.m * p.n;
    for (let i = 0; i < p.batchOut; i++) {
      const ai = batchItem(backend, a3, p.pairs ? p.pairs.a[i]! : i);
      const bi = batchItem(backend, b3, p.pairs ? p.pairs.b[i]! : i);
      const oi = call(ai, bi);
      heapF32(backend, out).set(heapF32(backend, oi), i * itemSize);
      release(backend, ai, bi, oi);
    }
    return reshape(backend, out, p.outShape);
  } finally {
    release(backend, ...temps);
  }
}

/** BatchMatMul that keeps every product on XNNPack. `stock` is the original wasm kernel. */
export function makeBatchMatMul(stock: KernelFunc): KernelFunc {
  return (args) => {
    const backend = args.backend as BackendWasm;
    const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
    const { transposeA, transposeB } = args.attrs as unknown as BatchMatMulAttrs;
    const p = a.dtype === 'float32' && b.dtype === 'float32' ? plan(a, b, transposeA, transposeB) : null;
    // Anything unusual (dtype, mismatched inner sizes) goes to the stock kernel and its messages.
    if (!p) return stock(args);
    if (p.batchA > 1 && p.batchB > 1) {
      // Any broadcast beyond equal batch shapes splits, however small the items: the stock
      // kernel indexes items modulo the batch size, which gets most of them wrong.
      const split = p.pairs !== null || p.m * p.k * p.n >= MIN_MACS_PER_ITEM_FOR_SPLIT;
      return split ? fastProduct(backend, stock, a, b, transposeA, transposeB, p, false) : stock(args);
    }
    if (p.batchA === 1 && p.batchB === 1 && !transposeA && !transposeB) {
      // XNNPack keeps its packed copy of b until b is disposed, so a b that comes back (fixed
      // weights while encoding a data set) costs nothing to reuse and the direct way wins; a b
      // seen once (training: weights change every step) is left to the cost model.
      if (packedAlready(b) || !swapIsCheaper(p, false, false)) {
        return callFast(backend, stock, { a, b }, args.attrs ?? {});
      }
    }
    return fastProduct(backend, stock, a, b, transposeA, transposeB, p, true);
  };
}

/**
 * _FusedMatMul (matmul + bias + activation), same idea. The stock kernel expects rank-3 operands
 * (tf.fused.matMul reshapes to rank 3 before calling it) and applies a rank-1 bias per column,
 * so only the transposed, un-batched case is rearranged; batched fused products are rare enough
 * to keep on the stock path.
 */
export function makeFusedMatMul(stock: KernelFunc): KernelFunc {
  return (args) => {
    const backend = args.backend as BackendWasm;
    const inputs = args.inputs as {
      a: TensorInfo;
      b: TensorInfo;
      bias?: TensorInfo;
      preluActivationWeights?: TensorInfo;
    };
    const attrs = args.attrs as unknown as _FusedMatMulAttrs;
    const { a, b } = inputs;
    const p =
      a.dtype === 'float32' && b.dtype === 'float32' && a.shape.length === 3 && b.shape.length === 3
        ? plan(a, b, attrs.transposeA, attrs.transposeB)
        : null;
    // Batched fused products stay on the stock (scalar) path, which never touches XNNPack's cache.
    if (!p || p.batchA !== 1 || p.batchB !== 1) return stock(args);
    // PReLU weights are indexed by output position, which the rearrangement keeps (batch is 1).
    const extra: Record<string, TensorInfo> = {};
    if (inputs.bias) extra['bias'] = inputs.bias;
    if (inputs.preluActivationWeights) extra['preluActivationWeights'] = inputs.preluActivationWeights;
    if (!attrs.transposeA && !attrs.transposeB) {
      return callFast(backend, stock, { ...extra, a, b }, args.attrs ?? {});
    }
    return fastProduct(
      backend,
      stock,
      a,
      b,
      attrs.transposeA,
      attrs.transposeB,
      p,
      false,
      extra,
      args.attrs ?? {},
    );
  };
}
