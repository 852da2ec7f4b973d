// Over 300 lines: every replaced wasm kernel against cpu through one harness (`compare`, same data on both backends, kernels registered once per process).
/**
 * The replacement wasm kernels against the cpu backend, both real and in the same process:
 * every case runs once per backend (switched with tf.setBackend) on the same random data.
 *
 * Error measure: relativeError(ours, ref) = max|ours − ref| / max(max|ref|, 1e-6), with the cpu
 * backend's result as ref — the worst absolute error relative to the largest reference value.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/main/engine/backend';
import {
  makeConv2DBackpropFilter,
  makeConv2DBackpropInput,
  type ConvKernelOptions,
} from '../../src/main/engine/kernels/conv';
import {
  registerFastWasmKernels,
  restoreStockWasmKernels,
} from '../../src/main/engine/kernels/register-wasm-kernels';
import { relativeError } from '../support/differences';
import { TRANSPOSE_PAIRS } from '../support/transpose-pairs';

const TOLERANCE = 1e-5;

beforeAll(async () => {
  const report = await selectBackend('wasm');
  expect(report.name).toBe('wasm');
  registerFastWasmKernels();
});

/** Deterministic uniform values in [−1, 1) (mulberry32), so failures reproduce. */
function random(size: number, seed: number): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((t ^ (t >>> 14)) >>> 0) / 2 ** 31 - 1;
  }
  return out;
}

type Inputs = Record<string, { shape: number[]; seed: number }>;

/**
 * Runs `f` on fresh tensors of the same random values on wasm and on cpu and returns each output's
 * relative error, checking on the way that the wasm run leaves no tensor or backend buffer behind.
 */
async function compare(
  inputs: Inputs,
  f: (t: Record<string, tf.Tensor>) => tf.Tensor | tf.Tensor[],
): Promise<number[]> {
  const run = async (backend: 'wasm' | 'cpu') => {
    await tf.setBackend(backend);
    const tensorsBefore = tf.memory().numTensors;
    const buffersBefore = tf.backend().numDataIds();
    const tensors: Record<string, tf.Tensor> = {};
    for (const [name, { shape, seed }] of Object.entries(inputs)) {
      tensors[name] = tf.tensor(random(tf.util.sizeFromShape(shape), seed), shape);
    }
    const out = tf.tidy(() => f(tensors));
    const outs = Array.isArray(out) ? out : [out];
    const values = outs.map((t) => t.dataSync() as Float32Array);
    tf.dispose([...outs, ...Object.values(tensors)]);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    expect(tf.backend().numDataIds()).toBe(buffersBefore);
    return { values, shapes: outs.map((t) => t.shape) };
  };
  const ours = await run('wasm');
  const ref = await run('cpu');
  expect(ours.shapes).toEqual(ref.shapes);
  return ours.values.map((v, i) => relativeError(v, ref.values[i]!));
}

function expectClose(errors: number[], tolerance = TOLERANCE): void {
  for (const e of errors) expect(e).toBeLessThanOrEqual(tolerance);
}

describe('registration', () => {
  const names = [
    'BatchMatMul',
    '_FusedMatMul',
    'Conv2DBackpropInput',
    'Conv2DBackpropFilter',
    'Identity',
    'Cast',
    'Sum',
  ];

  it('is idempotent, can be undone, and touches the wasm backend only', () => {
    const ours = names.map((k) => tf.getKernel(k, 'wasm'));
    registerFastWasmKernels();
    names.forEach((k, i) => expect(tf.getKernel(k, 'wasm')).toBe(ours[i]));
    restoreStockWasmKernels();
    names.forEach((k, i) => expect(tf.getKernel(k, 'wasm')).not.toBe(ours[i]));
    // Stock 4.22 has no filter gradient at all.
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeUndefined();
    registerFastWasmKernels();
    names.forEach((k) => expect(tf.getKernel(k, 'wasm')).toBeDefined());
    expect(tf.getKernel('Conv2DBackpropFilter', 'cpu')?.kernelFunc).not.toBe(
      tf.getKernel('Conv2DBackpropFilter', 'wasm')?.kernelFunc,
    );
  });
});

describe('BatchMatMul', () => {
  const shapes: [number, number, number][] = [
    [1, 1, 1],
    [128, 784, 400],
    [128, 400, 20],
    [7, 13, 5],
    [33, 1, 17],
    [2, 300, 3],
  ];
  for (const [m, k, n] of shapes) {
    for (const [ta, tb] of TRANSPOSE_PAIRS) {
      it(`${m}×${k}·${k}×${n}, transposeA=${ta}, transposeB=${tb}`, async () => {
        const errors = await compare(
          {
            a: { shape: ta ? [k, m] : [m, k], seed: m + 1 },
            b: { shape: tb ? [n, k] : [k, n], seed: n + 2 },
          },
          ({ a, b }) => tf.matMul(a!, b!, ta, tb),
        );
        expectClose(errors);
      });
    }
  }

  it('the same b twice (the cached-weights path) and a fresh b give the same product', async () => {
    const errors = await compare(
      { a: { shape: [64, 96], seed: 3 }, b: { shape: [96, 48], seed: 4 } },
      ({ a, b }) => [tf.matMul(a!, b!), tf.matMul(a!, b!), tf.matMul(a!, tf.add(b!, 0))],
    );
    expectClose(errors);
  });

  it('a buffer reused as b under another shape is not matched to its old XNNPack operator', async () => {
    // Stock 4.22 caches the packed b under the tensor id alone: the reshaped product comes out
    // wrong and later calls read out of bounds.
    const errors = await compare(
      {
        a: { shape: [256, 64], seed: 30 },
        b: { shape: [64, 96], seed: 31 },
        c: { shape: [256, 96], seed: 32 },
      },
      ({ a, b, c }) => [tf.matMul(a!, b!), tf.matMul(c!, tf.reshape(b!, [96, 64])), tf.matMul(a!, b!)],
    );
    expectClose(errors);
  });

  const batched: { a: number[]; b: number[]; ta: boolean; tb: boolean }[] = [
    // Both batched, large enough to split per item, with every transpose combination.
    { a: [3, 40, 50], b: [3, 50, 60], ta: false, tb: false },
    { a: [3, 50, 40], b: [3, 50, 60], ta: true, tb: false },
    { a: [3, 40, 50], b: [3, 60, 50], ta: false, tb: true },
    { a: [2, 50, 40], b: [2, 60, 50], ta: true, tb: true },
    // Both batched but tiny: stays on the stock kernel.
    { a: [5, 3, 4], b: [5, 2, 4], ta: false, tb: true },
    // Batched a, shared b (stacked into one product); broadcast batch dims.
    { a: [4, 9, 7], b: [7, 5], ta: false, tb: false },
    { a: [2, 3, 7, 9], b: [1, 5, 7], ta: true, tb: true },
    // Shared a, batched b (laid side by side).
    { a: [6, 8], b: [3, 8, 5], ta: false, tb: false },
    { a: [8, 6], b: [3, 5, 8], ta: true, tb: true },
  ];
  for (const { a, b, ta, tb } of batched) {
    it(`rank ≥ 3: [${a.join(',')}]·[${b.join(',')}], transposeA=${ta}, transposeB=${tb}`, async () => {
      const errors = await compare({ a: { shape: a, seed: 5 }, b: { shape: b, seed: 6 } }, (t) =>
        tf.matMul(t['a']!, t['b']!, ta, tb),
      );
      expectClose(errors);
    });
  }

  // Batch shapes that broadcast beyond "equal, or one side a single matrix". The cpu reference
  // gets the operands broadcast to the product's batch shape first: its kernel (like stock wasm)
  // indexes batch items modulo the batch size, which is wrong for [2,1] against [2,3].
  const broadcasts: { a: number[]; b: number[]; ta: boolean; tb: boolean }[] = [
    // The smaller batch is a trailing part of the larger (modulo indexing happens to be right).
    { a: [2, 3, 4, 5], b: [3, 5, 3], ta: false, tb: false },
    { a: [2, 3, 40, 50], b: [3, 60, 50], ta: false, tb: true },
    // Both sides broadcast, small (stock would stay) and large (split per item).
    { a: [6, 1, 4, 5], b: [1, 6, 5, 3], ta: false, tb: false },
    { a: [2, 1, 4, 5], b: [2, 3, 5, 3], ta: false, tb: false },
    { a: [3, 1, 50, 40], b: [1, 2, 50, 60], ta: true, tb: false },
    { a: [1, 2, 40, 50], b: [2, 1, 60, 50], ta: false, tb: true },
  ];
  for (const { a, b, ta, tb } of broadcasts) {
    it(`broadcast batch: [${a.join(',')}]·[${b.join(',')}], transposeA=${ta}, transposeB=${tb}`, async () => {
      const outBatch = tf.broadcast_util.assertAndGetBroadcastShape(a.slice(0, -2), b.slice(0, -2));
      const full = (x: tf.Tensor) => tf.broadcastTo(x, [...outBatch, ...x.shape.slice(-2)]);
      const errors = await compare({ a: { shape: a, seed: 13 }, b: { shape: b, seed: 14 } }, (t) =>
        tf.getBackend() === 'cpu'
          ? tf.matMul(full(t['a']!), full(t['b']!), ta, tb)
          : tf.matMul(t['a']!, t['b']!, ta, tb),
      );
      expectClose(errors);
    });
  }

  it('batch shapes that cannot broadcast are refused with both shapes named', async () => {
    await tf.setBackend('wasm');
    const tensorsBefore = tf.memory().numTensors;
    for (const [a, b] of [
      [
        [4, 40, 50],
        [2, 50, 60],
      ],
      [
        [4, 3, 5],
        [2, 5, 3],
      ],
      [
        [2, 3, 4, 5],
        [3, 2, 5, 3],
      ],
    ]) {
      const x = tf.zeros(a!);
      const y = tf.zeros(b!);
      expect(() => tf.matMul(x, y)).toThrow(
        `BatchMatMul: batch dimensions [${a!.slice(0, -2).join(',')}] of a (shape [${a!.join(',')}]) and ` +
          `[${b!.slice(0, -2).join(',')}] of b`,
      );
      tf.dispose([x, y]);
    }
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });

  it('gradients of a matmul chain (transposed products) match', async () => {
    const errors = await compare(
      { x: { shape: [32, 50], seed: 7 }, w1: { shape: [50, 40], seed: 8 }, w2: { shape: [40, 10], seed: 9 } },
      ({ x, w1, w2 }) =>
        tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.sum(tf.square(tf.matMul(tf.relu(tf.matMul(x!, p)), q))))([
          w1!,
          w2!,
        ]),
    );
    expectClose(errors);
  });
});

describe('_FusedMatMul', () => {
  for (const [ta, tb] of TRANSPOSE_PAIRS) {
    for (const activation of ['linear', 'relu'] as const) {
      it(`bias + ${activation}, transposeA=${ta}, transposeB=${tb}`, async () => {
        const [m, k, n] = [24, 37, 19];
        const errors = await compare(
          {
            a: { shape: ta ? [k, m] : [m, k], seed: 10 },
            b: { shape: tb ? [n, k] : [k, n], seed: 11 },
            bias: { shape: [n], seed: 12 },
          },
          ({ a, b, bias }) =>
            tf.fused.matMul({ a: a!, b: b!, transposeA: ta, transposeB: tb, bias: bias!, activation }),
        );
        expectClose(errors);
      });
    }
  }
});

describe('Identity, Cast and Sum', () => {
  it('clones and same-dtype casts share the buffer and survive disposing the original', async () => {
    await tf.setBackend('wasm');
    const buffers = tf.backend().numDataIds();
    const x = tf.tensor1d([1, 2, 3]);
    const copy = tf.clone(x);
    const cast = tf.cast(x, 'float32');
    const fractions = tf.tensor1d([1.7, -2.2]);
    const asInt = tf.cast(fractions, 'int32');
    // x (shared by copy and cast), fractions, asInt.
    expect(tf.backend().numDataIds()).toBe(buffers + 3);
    x.dispose();
    expect(Array.from(copy.dataSync())).toEqual([1, 2, 3]);
    copy.dispose();
    expect(Array.from(cast.dataSync())).toEqual([1, 2, 3]);
    expect(Array.from(asInt.dataSync())).toEqual([1, -2]);
    tf.dispose([cast, fractions, asInt]);
    expect(tf.backend().numDataIds()).toBe(buffers);
  });

  const sums: { shape: number[]; axis: number | number[] | null; keepDims: boolean }[] = [
    { shape: [128, 7, 7, 16], axis: [0, 1, 2], keepDims: false },
    { shape: [37, 11], axis: 0, keepDims: false },
    { shape: [5, 6, 7], axis: [1, 0], keepDims: true },
    { shape: [4, 5, 6], axis: [-3, -2], keepDims: false },
    // Not leading axes, or all of them: the stock kernel.
    { shape: [9, 10], axis: 1, keepDims: false },
    { shape: [4, 5, 6], axis: [0, 2], keepDims: false },
    { shape: [4, 5], axis: null, keepDims: false },
  ];
  for (const { shape, axis, keepDims } of sums) {
    it(`sum of [${shape.join(',')}] over ${JSON.stringify(axis)}${keepDims ? ', keepDims' : ''}`, async () => {
      const errors = await compare({ x: { shape, seed: 35 } }, ({ x }) =>
        tf.sum(x!, axis ?? undefined, keepDims),
      );
      expectClose(errors);
    });
  }
});

interface ConvCase {
  x: [number, number, number, number];
  filter: [number, number, number, number];
  strides: number | [number, number];
  pad: 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];
}

const convCases: ConvCase[] = [
  { x: [1, 5, 5, 1], filter: [3, 3, 1, 2], strides: 1, pad: 'same' },
  { x: [2, 7, 9, 3], filter: [3, 3, 3, 4], strides: 1, pad: 'valid' },
  { x: [3, 8, 8, 1], filter: [3, 3, 1, 4], strides: 2, pad: 'same' },
  { x: [2, 9, 7, 3], filter: [3, 3, 3, 5], strides: 2, pad: 'same' },
  { x: [2, 9, 11, 3], filter: [3, 3, 3, 2], strides: 2, pad: 'valid' },
  { x: [5, 6, 6, 2], filter: [1, 1, 2, 3], strides: 1, pad: 'valid' },
  { x: [2, 10, 9, 1], filter: [5, 5, 1, 3], strides: [2, 1], pad: 'same' },
  { x: [1, 8, 7, 3], filter: [2, 3, 3, 2], strides: 2, pad: 'same' },
  {
    x: [2, 6, 7, 2],
    filter: [3, 3, 2, 3],
    strides: 2,
    pad: [
      [0, 0],
      [1, 2],
      [0, 1],
      [0, 0],
    ],
  },
  { x: [4, 28, 28, 1], filter: [3, 3, 1, 8], strides: 2, pad: 'same' },
  { x: [4, 14, 14, 8], filter: [3, 3, 8, 16], strides: 2, pad: 'same' },
  // Stride larger than the filter: some dx positions get no contribution at all.
  { x: [2, 7, 7, 8], filter: [1, 1, 8, 3], strides: 2, pad: 'valid' },
  // Padding wider than the phase decomposition can express (falls back to columns).
  {
    x: [2, 6, 6, 8],
    filter: [3, 3, 8, 4],
    strides: 2,
    pad: [
      [0, 0],
      [2, 2],
      [2, 2],
      [0, 0],
    ],
  },
  { x: [3, 9, 9, 16], filter: [4, 4, 16, 8], strides: 2, pad: 'same' },
];

/**
 * Runs one of our kernel factories directly on wasm (so options the registered kernel doesn't use
 * get tested too) and the registered kernel of the same name on cpu.
 */
function runKernel(
  name: string,
  ours: tf.KernelFunc,
  inputs: Record<string, tf.Tensor>,
  attrs: Record<string, unknown>,
): tf.Tensor {
  if (tf.getBackend() === 'cpu')
    return tf.engine().runKernel(name, inputs, attrs as tf.NamedAttrMap) as tf.Tensor;
  const info = ours({ inputs, backend: tf.backend(), attrs: attrs as tf.NamedAttrMap }) as tf.TensorInfo;
  return tf.engine().makeTensorFromTensorInfo(info);
}

describe('Conv2DBackpropInput and Conv2DBackpropFilter', () => {
  for (const c of convCases) {
    const label = `x [${c.x.join(',')}], filter [${c.filter.join(',')}], strides ${c.strides}, pad ${JSON.stringify(c.pad)}`;
    it(`conv2d gradients: ${label}`, async () => {
      const dyShape = tf.tidy(
        () => tf.conv2d(tf.zeros<tf.Rank.R4>(c.x), tf.zeros<tf.Rank.R4>(c.filter), c.strides, c.pad).shape,
      );
      const errors = await compare(
        {
          x: { shape: c.x, seed: 13 },
          filter: { shape: c.filter, seed: 14 },
          dy: { shape: dyShape, seed: 15 },
        },
        ({ x, filter, dy }) =>
          tf.grads((xi: tf.Tensor, fi: tf.Tensor) =>
            tf.conv2d(xi as tf.Tensor4D, fi as tf.Tensor4D, c.strides, c.pad),
          )([x!, filter!], dy),
      );
      expectClose(errors);
    });

    it(`conv2dTranspose forward: ${label}`, async () => {
      const dyShape = tf.tidy(
        () => tf.conv2d(tf.zeros<tf.Rank.R4>(c.x), tf.zeros<tf.Rank.R4>(c.filter), c.strides, c.pad).shape,
      );
      const errors = await compare(
        { y: { shape: dyShape, seed: 16 }, filter: { shape: c.filter, seed: 17 } },
        (t) => tf.conv2dTranspose(t['y'] as tf.Tensor4D, t['filter'] as tf.Tensor4D, c.x, c.strides, c.pad),
      );
      expectClose(errors);
    });
  }

  for (const inputMethod of ['phases', 'columns'] as const) {
    it(`Conv2DBackpropInput by ${inputMethod}, on every case`, async () => {
      const options: ConvKernelOptions = { inputMethod, maxColumnElements: 5_000 };
      const kernel = makeConv2DBackpropInput(undefined, options);
      for (const c of convCases) {
        const dyShape = tf.tidy(
          () => tf.conv2d(tf.zeros<tf.Rank.R4>(c.x), tf.zeros<tf.Rank.R4>(c.filter), c.strides, c.pad).shape,
        );
        const errors = await compare(
          { dy: { shape: dyShape, seed: 33 }, filter: { shape: c.filter, seed: 34 } },
          ({ dy, filter }) =>
            runKernel(
              'Conv2DBackpropInput',
              kernel,
              { dy: dy!, filter: filter! },
              { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', inputShape: c.x },
            ),
        );
        expectClose(errors);
      }
    });
  }

  it('splits the batch into chunks when the column matrix would be too large', async () => {
    const c = { x: [5, 9, 9, 3], filter: [3, 3, 3, 4], strides: 2, pad: 'same' } as const;
    const dyShape = [5, 5, 5, 4];
    // Room for one image's columns (5·5·27 = 675) only, so five chunks.
    const chunked = makeConv2DBackpropFilter({ maxColumnElements: 700 });
    const errors = await compare(
      { x: { shape: [...c.x], seed: 18 }, dy: { shape: dyShape, seed: 19 } },
      ({ x, dy }) =>
        runKernel(
          'Conv2DBackpropFilter',
          chunked,
          { x: x!, dy: dy! },
          { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', filterShape: [...c.filter] },
        ),
    );
    expectClose(errors);
  });

  it('rejects NCHW with a clear error', async () => {
    await tf.setBackend('wasm');
    const x = tf.zeros([1, 2, 5, 5]);
    const dy = tf.zeros([1, 2, 5, 5]);
    expect(() =>
      tf
        .engine()
        .runKernel(
          'Conv2DBackpropFilter',
          { x, dy },
          { strides: 1, pad: 'same', dataFormat: 'NCHW', filterShape: [3, 3, 2, 2] },
        ),
    ).toThrow(/NHWC/);
    tf.dispose([x, dy]);
  });
});

describe('conv encoder + decoder', () => {
  it('the full gradient of a conv2d (stride 2) → conv2dTranspose (stride 2) loss matches cpu, without leaks', async () => {
    const errors = await compare(
      {
        x: { shape: [6, 16, 16, 3], seed: 20 },
        f1: { shape: [3, 3, 3, 8], seed: 21 },
        b1: { shape: [8], seed: 22 },
        f2: { shape: [3, 3, 3, 8], seed: 23 },
        b2: { shape: [3], seed: 24 },
      },
      ({ x, f1, b1, f2, b2 }) => {
        const loss = (w1: tf.Tensor, c1: tf.Tensor, w2: tf.Tensor, c2: tf.Tensor) => {
          const h = tf.relu(tf.add(tf.conv2d(x as tf.Tensor4D, w1 as tf.Tensor4D, 2, 'same'), c1));
          const logits = tf.add(
            tf.conv2dTranspose(h as tf.Tensor4D, w2 as tf.Tensor4D, [6, 16, 16, 3], 2, 'same'),
            c2,
          );
          // Binary cross-entropy from logits against x mapped to [0, 1], as in model/loss.ts.
          const target = tf.div(tf.add(x!, 1), 2);
          return tf.mean(
            tf.add(tf.sub(tf.relu(logits), tf.mul(logits, target)), tf.log1p(tf.exp(tf.neg(tf.abs(logits))))),
          );
        };
        return tf.grads(loss)([f1!, b1!, f2!, b2!]);
      },
    );
    expectClose(errors);
  });

  it('training steps on wasm leave the tensor count unchanged', async () => {
    await tf.setBackend('wasm');
    const f1 = tf.variable(tf.tensor4d(random(3 * 3 * 1 * 4, 25), [3, 3, 1, 4]));
    const f2 = tf.variable(tf.tensor4d(random(3 * 3 * 1 * 4, 26), [3, 3, 1, 4]));
    const x = tf.tensor4d(random(4 * 12 * 12, 27), [4, 12, 12, 1]);
    const optimizer = tf.train.adam(1e-2);
    const step = () =>
      optimizer.minimize(() => {
        const h = tf.relu(tf.conv2d(x, f1, 2, 'same'));
        return tf.mean(tf.square(tf.sub(tf.conv2dTranspose(h, f2, [4, 12, 12, 1], 2, 'same'), x)));
      }, true);
    step()?.dispose();
    const tensors = tf.memory().numTensors;
    const buffers = (tf.backend() as BackendWasm).numDataIds();
    const losses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const loss = step();
      losses.push(loss!.dataSync()[0]!);
      loss!.dispose();
    }
    expect(tf.memory().numTensors).toBe(tensors);
    expect((tf.backend() as BackendWasm).numDataIds()).toBe(buffers);
    expect(losses[4]).toBeLessThan(losses[0]!);
    tf.dispose([f1, f2, x]);
    optimizer.dispose();
  });
});
