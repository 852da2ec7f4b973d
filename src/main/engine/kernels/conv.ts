// Over 300 lines: the two convolution gradient kernels (filter, input) share one index scheme and setup.
/**
 * Conv2DBackpropFilter (missing from tfjs-backend-wasm 4.22) and Conv2DBackpropInput (a scalar
 * loop there), for NHWC float32, any strides and padding, dilation 1 (the only dilation tfjs
 * differentiates). Conv2DBackpropInput is also conv2dTranspose's forward pass; with the stock
 * XNNPack Conv2D the two make up every gradient of conv2d and conv2dTranspose.
 *
 * Filter gradient: im2col (transposed) · dy through the fast matmul. Input gradient: per-stride-
 * phase XNNPack convolutions (conv-phases.ts) when dx has enough channels, else dy · Wᵀ through
 * the fast matmul and col2im. Column matrices are built one batch chunk at a time so their size
 * stays bounded (a 64×64×32 activation batch of 128 would otherwise need ~600 MB).
 */
import {
  backend_util,
  type Conv2DBackpropFilterAttrs,
  type Conv2DBackpropInputAttrs,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { backpropInputByPhases, stridePhases } from './conv-phases';
import { heapF32, release, reshape, runWasm, transpose, wasmKernel } from './wasm-context';

/** Options for the column-matrix kernels. */
export interface ConvKernelOptions {
  /**
   * Upper bound on the elements of one chunk's column matrix (4 bytes each). The batch is split
   * into chunks of whole images that fit; a single image larger than this still runs as one chunk.
   * Default 4M elements (16 MB): big enough that per-chunk overheads vanish, small enough to stay
   * near the caches and far from the heap limit.
   */
  maxColumnElements?: number;
  /**
   * How Conv2DBackpropInput computes dx: 'phases' (per-stride-phase XNNPack convolutions, see
   * conv-phases.ts), 'columns' (matmul + col2im) or 'auto' (default): phases when dx has at
   * least PHASES_MIN_CHANNELS channels and the padding allows it, else columns.
   */
  inputMethod?: 'auto' | 'phases' | 'columns';
}

const DEFAULT_MAX_COLUMN_ELEMENTS = 4 * 1024 * 1024;
const UNTRANSPOSED = { transposeA: false, transposeB: false };

/**
 * Below this many dx channels the phase convolutions have too few output channels for XNNPack's
 * kernels to be efficient. Measured for batch 128, 3×3, stride 2 into 28×28×c: columns 2.4 ms vs
 * phases 4.9 ms at c = 1, a tie at c = 4, phases 6.7 vs columns 9.8 ms at c = 8.
 */
const PHASES_MIN_CHANNELS = 8;

/** What both gradient kernels read of the forward convolution's attributes. */
type ConvAttrs = Pick<Conv2DBackpropInputAttrs, 'strides' | 'pad' | 'dataFormat' | 'dimRoundingMode'>;

/** The forward convolution's geometry, after checking what these kernels support. */
function geometry(
  kernelName: string,
  inShape: readonly number[],
  filterShape: readonly number[],
  dyShape: readonly number[],
  { strides, pad, dataFormat, dimRoundingMode }: ConvAttrs,
): backend_util.Conv2DInfo {
  if (dataFormat !== 'NHWC') {
    throw new Error(`${kernelName} on wasm supports dataFormat 'NHWC' only, got '${dataFormat}'`);
  }
  if (inShape.length !== 4 || filterShape.length !== 4 || dyShape.length !== 4) {
    throw new Error(`${kernelName} on wasm expects rank-4 input, filter and dy`);
  }
  const info = backend_util.computeConv2DInfo(
    inShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    'channelsLast',
  );
  const expected = [info.batchSize, info.outHeight, info.outWidth, info.outChannels];
  if (expected.some((d, i) => d !== dyShape[i])) {
    throw new Error(`${kernelName}: dy has shape [${dyShape.join(',')}], expected [${expected.join(',')}]`);
  }
  return info;
}

function requireFloat32(kernelName: string, ...infos: TensorInfo[]): void {
  for (const info of infos) {
    if (info.dtype !== 'float32')
      throw new Error(`${kernelName} on wasm supports float32 only, got ${info.dtype}`);
  }
}

/** Images per chunk so that a chunk's column matrix stays under the budget. */
function chunkImages(info: backend_util.Conv2DInfo, maxElements: number): number {
  const perImage = info.outHeight * info.outWidth * info.filterHeight * info.filterWidth * info.inChannels;
  return Math.max(1, Math.min(info.batchSize, Math.floor(maxElements / perImage)));
}

/**
 * Transposed im2col for images [n0, n1): row (kh, kw, ci), column (oh, ow, n). The input comes
 * batch-innermost, xT = [ci, h, w, n], so every (row, oh, ow) entry is one contiguous run of
 * images copied with TypedArray.set (a memcpy): ~0.5 ns per element here, against 2–3 ns for an
 * element-by-element loop in V8.
 */
function im2colTransposed(
  xT: Float32Array,
  cols: Float32Array,
  info: backend_util.Conv2DInfo,
  n0: number,
  n1: number,
): void {
  const { batchSize, inHeight: h, inWidth: w, inChannels: ci, outHeight: oh, outWidth: ow } = info;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const { top, left } = info.padInfo;
  const images = n1 - n0;
  let j = 0;
  for (let fy = 0; fy < kh; fy++) {
    for (let fx = 0; fx < kw; fx++) {
      for (let c = 0; c < ci; c++) {
        for (let y = 0; y < oh; y++) {
          const iy = y * sh + fy - top;
          for (let x = 0; x < ow; x++) {
            const ix = x * sw + fx - left;
            if (iy < 0 || iy >= h || ix < 0 || ix >= w) {
              cols.fill(0, j, j + images);
            } else {
              const src = ((c * h + iy) * w + ix) * batchSize + n0;
              cols.set(xT.subarray(src, src + images), j);
            }
            j += images;
          }
        }
      }
    }
  }
}

/** dy rows for images [n0, n1) reordered to match the columns: [1, (oh, ow, n), co]. */
function dyPositionMajor(backend: BackendWasm, dy: TensorInfo, n0: number, n1: number): TensorInfo {
  const [n, oh, ow, co] = dy.shape as [number, number, number, number];
  if (n0 === 0 && n1 === n) {
    const t = transpose(backend, dy, [1, 2, 0, 3]);
    const out = reshape(backend, t, [1, oh * ow * n, co]);
    release(backend, t);
    return out;
  }
  const out = backend.makeOutput([1, oh * ow * (n1 - n0), co], 'float32');
  const src = heapF32(backend, dy);
  const dst = heapF32(backend, out);
  let j = 0;
  for (let p = 0; p < oh * ow; p++) {
    for (let i = n0; i < n1; i++, j += co)
      dst.set(src.subarray((i * oh * ow + p) * co, (i * oh * ow + p + 1) * co), j);
  }
  return out;
}

/**
 * col2im for images [n0, n1): adds each column entry back onto the input pixel it was read from.
 * `cols` is [(n, oh, ow), (kh, kw, ci)] for the chunk; padding taps are skipped.
 */
function col2im(
  cols: Float32Array,
  dx: Float32Array,
  info: backend_util.Conv2DInfo,
  n0: number,
  n1: number,
): void {
  const { inHeight: h, inWidth: w, inChannels: ci, outHeight: oh, outWidth: ow } = info;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const { top, left } = info.padInfo;
  dx.fill(0, n0 * h * w * ci, n1 * h * w * ci);
  let j = 0;
  for (let n = n0; n < n1; n++) {
    for (let y = 0; y < oh; y++) {
      for (let x = 0; x < ow; x++) {
        for (let fy = 0; fy < kh; fy++) {
          const iy = y * sh + fy - top;
          if (iy < 0 || iy >= h) {
            j += kw * ci;
            continue;
          }
          const row = (n * h + iy) * w;
          for (let fx = 0; fx < kw; fx++) {
            const ix = x * sw + fx - left;
            if (ix < 0 || ix >= w) {
              j += ci;
              continue;
            }
            let dst = (row + ix) * ci;
            for (let c = 0; c < ci; c++) dx[dst++]! += cols[j++]!;
          }
        }
      }
    }
  }
}

/** Images [n0, n1) of an NHWC tensor as a new [1, (n1−n0)·h·w, c] tensor (or a view of all). */
function batchRows(backend: BackendWasm, x: TensorInfo, n0: number, n1: number): TensorInfo {
  const [n, h, w, c] = x.shape as [number, number, number, number];
  if (n0 === 0 && n1 === n) return reshape(backend, x, [1, n * h * w, c]);
  const rows = (n1 - n0) * h * w;
  const out = backend.makeOutput([1, rows, c], 'float32');
  const per = h * w * c;
  heapF32(backend, out).set(heapF32(backend, x).subarray(n0 * per, n1 * per));
  return out;
}

/** Conv2DBackpropFilter: dW[kh,kw,ci,co] = Σ im2col(x)ᵀ · dy, accumulated over batch chunks. */
export function makeConv2DBackpropFilter(options: ConvKernelOptions = {}): KernelFunc {
  const maxColumns = options.maxColumnElements ?? DEFAULT_MAX_COLUMN_ELEMENTS;
  return (args) => {
    const backend = args.backend as BackendWasm;
    const { x, dy } = args.inputs as { x: TensorInfo; dy: TensorInfo };
    const attrs = args.attrs as unknown as Conv2DBackpropFilterAttrs;
    const { filterShape } = attrs;
    requireFloat32('Conv2DBackpropFilter', x, dy);
    const info = geometry('Conv2DBackpropFilter', x.shape, filterShape, dy.shape, attrs);
    const { batchSize, outHeight, outWidth } = info;
    const taps = info.filterHeight * info.filterWidth * info.inChannels;
    const matMul = wasmKernel('BatchMatMul');
    const chunk = chunkImages(info, maxColumns);
    // Batch-innermost input, so the column matrix is built from contiguous runs (im2colTransposed).
    const xT = transpose(backend, x, [3, 1, 2, 0]);
    let sum: TensorInfo | null = null;
    try {
      for (let n0 = 0; n0 < batchSize; n0 += chunk) {
        const n1 = Math.min(batchSize, n0 + chunk);
        const cols = backend.makeOutput([1, taps, (n1 - n0) * outHeight * outWidth], 'float32');
        const dyRows = dyPositionMajor(backend, dy, n0, n1);
        let part: TensorInfo;
        try {
          im2colTransposed(heapF32(backend, xT), heapF32(backend, cols), info, n0, n1);
          part = runWasm(backend, matMul, { a: cols, b: dyRows }, UNTRANSPOSED);
        } finally {
          release(backend, cols, dyRows);
        }
        if (!sum) {
          sum = part;
          continue;
        }
        // The chunks' partial products are tiny ([taps, co]); add them up in place.
        const total = heapF32(backend, sum);
        const add = heapF32(backend, part);
        for (let i = 0; i < total.length; i++) total[i]! += add[i]!;
        release(backend, part);
      }
      return reshape(backend, sum!, [...filterShape]);
    } finally {
      release(backend, xT);
      if (sum) release(backend, sum);
    }
  };
}

/**
 * Conv2DBackpropInput: per-phase convolutions or dx = col2im(dy · Wᵀ) one batch chunk at a time
 * (see inputMethod). `stock`, if given, keeps serving what this one doesn't support (NCHW).
 */
export function makeConv2DBackpropInput(stock?: KernelFunc, options: ConvKernelOptions = {}): KernelFunc {
  const maxColumns = options.maxColumnElements ?? DEFAULT_MAX_COLUMN_ELEMENTS;
  return (args) => {
    const backend = args.backend as BackendWasm;
    const { dy, filter } = args.inputs as { dy: TensorInfo; filter: TensorInfo };
    const attrs = args.attrs as unknown as Conv2DBackpropInputAttrs;
    if (stock && attrs.dataFormat !== 'NHWC') return stock(args);
    requireFloat32('Conv2DBackpropInput', dy, filter);
    const info = geometry('Conv2DBackpropInput', attrs.inputShape, filter.shape, dy.shape, attrs);
    const method = options.inputMethod ?? 'auto';
    const phases = method === 'columns' ? null : stridePhases(info);
    if (phases && (method === 'phases' || info.inChannels >= PHASES_MIN_CHANNELS)) {
      return backpropInputByPhases(backend, dy, filter, info, phases);
    }
    const { batchSize, outChannels } = info;
    const taps = info.filterHeight * info.filterWidth * info.inChannels;
    const matMul = wasmKernel('BatchMatMul');
    const chunk = chunkImages(info, maxColumns);
    const temps: TensorInfo[] = [];
    try {
      // Wᵀ as [1, co, (kh, kw, ci)]: one tensor for all chunks, so XNNPack packs it once.
      const filter3 = reshape(backend, filter, [1, taps, outChannels]);
      temps.push(filter3);
      const filterT = transpose(backend, filter3, [0, 2, 1]);
      temps.push(filterT);
      const dx = backend.makeOutput([...info.inShape], 'float32');
      try {
        for (let n0 = 0; n0 < batchSize; n0 += chunk) {
          const n1 = Math.min(batchSize, n0 + chunk);
          const dyRows = batchRows(backend, dy, n0, n1);
          try {
            const cols = runWasm(backend, matMul, { a: dyRows, b: filterT }, UNTRANSPOSED);
            col2im(heapF32(backend, cols), heapF32(backend, dx), info, n0, n1);
            release(backend, cols);
          } finally {
            release(backend, dyRows);
          }
        }
      } catch (error) {
        release(backend, dx);
        throw error;
      }
      return dx;
    } finally {
      release(backend, ...temps);
    }
  };
}
