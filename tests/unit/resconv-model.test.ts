// Over 300 lines: one model's shapes, upsampling, backend agreement and training, sharing its builders and inputs.
/**
 * The residual conv VAE on the real cpu and wasm backends: shapes for every supported size, the
 * weight list import relies on, the same numbers on both backends (forward, loss and every
 * variable's gradient), no transposed convolution in the decoder, and no tensor leaks.
 */
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/main/engine/backend';
import { makeLayer, upsampleConv2d } from '../../src/main/engine/model/layers';
import { vaeLoss } from '../../src/main/engine/model/loss';
import { ConvVae } from '../../src/main/engine/model/vae-conv';
import {
  ResConvVae,
  resConvFormatOfWeights,
  resConvGeometry,
  resConvWeightShapes,
  type ResConvVaeOptions,
} from '../../src/main/engine/model/vae-resconv';
import { relativeError } from '../support/differences';

afterAll(async () => {
  await selectBackend('cpu');
});

/** Deterministic pixels in [0, 1] on 8-bit levels, like batchTensor's. */
function pixels(rows: number, size: number, channels: number, seed: number): tf.Tensor2D {
  const count = size * size * channels;
  const values = Float32Array.from({ length: rows * count }, (_, i) => ((i * 37 + seed * 101) % 256) / 255);
  return tf.tensor2d(values, [rows, count]);
}

/** Colour gradients, one direction and palette per image: quick to learn, unlike `pixels`. */
function smoothPixels(rows: number, size: number): tf.Tensor2D {
  const values = new Float32Array(rows * size * size * 3);
  for (let r = 0; r < rows; r++) {
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        for (let c = 0; c < 3; c++) {
          const t = ((r % 2 === 0 ? x : y) / size) * ((c + r) % 3) * 0.4;
          values[((r * size + y) * size + x) * 3 + c] = Math.round((0.2 + t + 0.05 * r) * 255) / 255;
        }
      }
    }
  }
  return tf.tensor2d(values, [rows, size * size * 3]);
}

describe('ResConvVae shapes and weights', () => {
  it.each([
    [28, 1],
    [28, 3],
    [32, 1],
    [32, 3],
    [64, 1],
    [64, 3],
    [128, 1],
    [128, 3],
  ] as const)('maps %i px images with %i channel(s) to codes and back', async (size, channels) => {
    await selectBackend('cpu');
    const model = new ResConvVae({ size, channels, latentDim: 5, width: 4, learnedScale: true });
    const before = tf.memory().numTensors;
    const x = pixels(2, size, channels, 1);
    const { mean, logVariance } = model.encode(x);
    const out = model.decodeLogits(mean);
    expect(mean.shape).toEqual([2, 5]);
    expect(logVariance.shape).toEqual([2, 5]);
    expect(out.shape).toEqual([2, size * size * channels]);
    expect(Array.from(out.dataSync()).every(Number.isFinite)).toBe(true);
    tf.dispose([x, mean, logVariance, out]);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('halves to an 8×8 bottleneck by default where the size allows, with at most 4·width channels', () => {
    expect(resConvGeometry({ size: 64, channels: 3 })).toMatchObject({
      depth: 3,
      bottleneck: 8,
      channelsAt: [12, 24, 48],
      latentDim: 32,
      blocks: 1,
    });
    expect(resConvGeometry({ size: 64, channels: 3, width: 16, depth: 4 })).toMatchObject({
      bottleneck: 4,
      channelsAt: [16, 32, 64, 64],
    });
    expect(resConvGeometry({ size: 28, channels: 1, width: 8 })).toMatchObject({ depth: 2, bottleneck: 7 });
    expect(resConvGeometry({ size: 128, channels: 3, width: 8, depth: 5 })).toMatchObject({
      bottleneck: 4,
      channelsAt: [8, 16, 32, 32, 32],
    });
  });

  it('lists its weights under stable hierarchical names, as resConvWeightShapes predicts', () => {
    const options: ResConvVaeOptions = { size: 32, channels: 3, latentDim: 7, width: 8, blocks: 2 };
    const model = new ResConvVae({ ...options, learnedScale: true });
    const named = model.namedVariables;
    expect(named.map((v) => ({ name: v.name, shape: v.variable.shape }))).toEqual([
      ...resConvWeightShapes(options),
      { name: 'likelihood/log_scale', shape: [3] },
    ]);
    expect(new Set(named.map((v) => v.name)).size).toBe(named.length);
    expect(named.map((v) => v.name)).toEqual(
      expect.arrayContaining([
        'encoder/stem/kernel',
        'encoder/level2/block2/conv2/kernel',
        'encoder/level2/block1/norm1/gamma',
        'encoder/level1/down/conv/kernel',
        'encoder/mean/kernel',
        'encoder/log_variance/bias',
        'decoder/dense/kernel',
        'decoder/level3/up/conv/kernel',
        'decoder/out/conv/kernel',
      ]),
    );
    // Every residual branch ends in a zero convolution, so each block starts as the identity.
    const last = named.filter((v) => /block\d+\/conv2\//.test(v.name));
    expect(last.length).toBeGreaterThan(0);
    for (const { variable } of last) expect(Array.from(variable.dataSync()).every((v) => v === 0)).toBe(true);
    // The same seed gives the same weights; another seed, others.
    const again = new ResConvVae({ ...options, learnedScale: true });
    const other = new ResConvVae({ ...options, learnedScale: true, seed: 1 });
    const first = (m: ResConvVae) => Array.from(m.namedVariables[0]!.variable.dataSync());
    expect(first(again)).toEqual(first(model));
    expect(first(other)).not.toEqual(first(model));
    for (const m of [model, again, other]) m.dispose();
  });

  it('tells the image format from the weights alone (for model import and export)', () => {
    for (const size of [28, 32, 48, 64, 96, 128]) {
      for (const channels of [1, 3] as const) {
        for (const depth of [1, 3, 5]) {
          const shapes = new Map(
            resConvWeightShapes({ size, channels, width: 8, depth }).map((w) => [w.name, w.shape]),
          );
          expect(
            resConvFormatOfWeights((name) => shapes.get(name)),
            `${size} ${channels} ${depth}`,
          ).toEqual({
            size,
            channels,
          });
        }
      }
    }
    expect(resConvFormatOfWeights(() => undefined)).toBeNull();
  });

  it('adds a learned log σ for the learned Gaussian likelihood', () => {
    const model = new ResConvVae({ size: 28, channels: 1, width: 4, learnedVariance: true });
    expect(model.namedVariables.at(-1)!.name).toBe('likelihood/log_sigma');
    expect(model.logSigma?.shape).toEqual([]);
    model.dispose();
  });

  it('leaves no tensor behind when created and disposed 10 times', () => {
    const before = tf.memory().numTensors;
    for (let i = 0; i < 10; i++) {
      new ResConvVae({ size: 32, channels: 3, width: 8, seed: i, learnedScale: true }).dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('upsampling in the decoder', () => {
  it.each(['cpu', 'wasm'] as const)(
    'upsampleConv2d is nearest-neighbour ×2 then a 3×3 conv, value and filter gradient (%s)',
    async (backend) => {
      await selectBackend(backend);
      expect(tf.getBackend()).toBe(backend);
      const layer = makeLayer(`upsample-${backend}`, 'up', [3, 3, 5, 3], 45, 7);
      const x = tf.randomNormal<tf.Rank.R4>([2, 4, 6, 5], 0, 1, 'float32', 3);
      const direct = (kernel: tf.Tensor) =>
        tf.add(
          tf.conv2d(tf.image.resizeNearestNeighbor(x, [8, 12]), kernel as tf.Tensor4D, 1, 'same'),
          layer.bias,
        );
      const fast = (kernel: tf.Tensor) => upsampleConv2d({ ...layer, kernel: kernel as tf.Variable }, x);
      const before = tf.memory().numTensors;
      const [a, b] = tf.tidy(() => [fast(layer.kernel).dataSync(), direct(layer.kernel).dataSync()]);
      expect(relativeError(a!, b!)).toBeLessThan(1e-5);
      const [ga, gb] = tf.tidy(() =>
        [fast, direct].map((f) =>
          tf
            .grads((k: tf.Tensor) => tf.sum(tf.square(f(k))))([layer.kernel])[0]!
            .dataSync(),
        ),
      );
      expect(relativeError(ga!, gb!)).toBeLessThan(1e-5);
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([x, layer.kernel, layer.bias]);
    },
  );

  it('decodes without a transposed convolution (the conv VAE, for contrast, uses them)', async () => {
    await selectBackend('wasm');
    const z = tf.randomNormal<tf.Rank.R2>([2, 6], 0, 1, 'float32', 1);
    const kernelsOf = async (model: ResConvVae | ConvVae) => {
      const profile = await tf.profile(() => {
        model.decodeLogits(z).dispose();
      });
      model.dispose();
      return profile.kernels.map((k) => k.name);
    };
    const res = await kernelsOf(new ResConvVae({ size: 64, channels: 3, latentDim: 6, width: 4 }));
    const conv = await kernelsOf(new ConvVae({ size: 64, channels: 3, latentDim: 6, width: 4, depth: 3 }));
    // conv2dTranspose is the Conv2DBackpropInput kernel run forwards.
    expect(conv).toContain('Conv2DBackpropInput');
    expect(res).not.toContain('Conv2DBackpropInput');
    expect(res.some((name) => name === 'FusedConv2D' || name === 'Conv2D')).toBe(true);
    z.dispose();
  });
});

/** Outputs, loss terms and every variable's gradient of one model on the current backend. */
function forwardAndGradients(options: ResConvVaeOptions): { name: string; values: Float32Array }[] {
  const model = new ResConvVae(options);
  const x = pixels(4, options.size, options.channels, 2);
  const noise = tf.randomNormal<tf.Rank.R2>([4, model.latentDim], 0, 1, 'float32', 5);
  const results = tf.tidy(() => {
    const { mean, logVariance } = model.encode(x);
    const logits = model.decodeLogits(mean);
    const { value, grads } = tf.variableGrads(
      () => vaeLoss(model, x, noise, { likelihood: 'discretized-logistic' }).objective,
      model.variables,
    );
    return [
      { name: 'mean', values: mean.dataSync() as Float32Array },
      { name: 'logVariance', values: logVariance.dataSync() as Float32Array },
      { name: 'logits', values: logits.dataSync() as Float32Array },
      { name: 'loss', values: value.dataSync() as Float32Array },
      ...model.namedVariables.map(({ name, variable }) => ({
        name: `d ${name}`,
        values: grads[variable.name]!.dataSync() as Float32Array,
      })),
    ];
  });
  tf.dispose([x, noise]);
  model.dispose();
  return results;
}

describe('the same model on wasm and cpu', () => {
  it('agrees on codes, outputs, loss and the gradient of every variable', async () => {
    const options: ResConvVaeOptions = {
      size: 32,
      channels: 3,
      latentDim: 6,
      width: 8,
      learnedScale: true,
      seed: 3,
    };
    await selectBackend('wasm');
    expect(tf.getBackend()).toBe('wasm');
    const wasm = forwardAndGradients(options);
    await selectBackend('cpu');
    const cpu = forwardAndGradients(options);
    expect(wasm.map((r) => r.name)).toEqual(cpu.map((r) => r.name));
    expect(wasm.length).toBe(4 + resConvWeightShapes(options).length + 1);
    // Measured worst 4e-6 (float32 summation order differs between the backends' kernels).
    cpu.forEach((ref, i) => {
      expect(relativeError(wasm[i]!.values, ref.values), ref.name).toBeLessThan(1e-4);
    });
    const zeroGradients = cpu.filter((r) => r.name.startsWith('d ') && r.values.every((v) => v === 0));
    // The loss reaches every weight except, at the very first step, the inside of each residual
    // branch: its last conv starts at zero, so nothing flows back through it yet.
    expect(zeroGradients.every((r) => /block\d+\/(conv1|norm1|norm2)\//.test(r.name))).toBe(true);
  });
});

describe('training', () => {
  it('lowers the loss on a small batch and leaks no tensor per step', async () => {
    await selectBackend('wasm');
    const model = new ResConvVae({
      size: 32,
      channels: 3,
      latentDim: 8,
      width: 8,
      learnedScale: true,
      seed: 1,
    });
    const optimizer = tf.train.adam(2e-3);
    const x = smoothPixels(8, 32);
    const losses: number[] = [];
    const counts: number[] = [];
    for (let i = 0; i < 25; i++) {
      const noise = tf.randomNormal<tf.Rank.R2>([8, 8], 0, 1, 'float32', i);
      const cost = optimizer.minimize(
        () => vaeLoss(model, x, noise, { likelihood: 'discretized-logistic' }).objective,
        true,
        model.variables,
      )!;
      losses.push(cost.dataSync()[0]!);
      tf.dispose([noise, cost]);
      counts.push(tf.memory().numTensors);
    }
    // Adam makes its moment variables on the first step; after that each step leaves the count as it was.
    expect(new Set(counts.slice(1)).size).toBe(1);
    // Most of the discretized logistic's loss is the scale (it starts at 0.1 and shrinks by about
    // the learning rate per step), so the fall is steady rather than steep: ~6% here.
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    expect(mean(losses.slice(-5))).toBeLessThan(0.97 * mean(losses.slice(0, 5)));
    optimizer.dispose();
    x.dispose();
    model.dispose();
  });
});
