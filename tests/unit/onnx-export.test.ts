/**
 * ONNX export round trip: each architecture is built with real tfjs, its weights moved off their
 * initial values (so zero-initialised layers, the PCA start's linear path and the norms' γ/β all
 * count), written as ONNX and run in ONNX Runtime (onnxruntime-node, CPU) on the same images and
 * latent codes as the tfjs model. Encoder means and log-variances, and decoded pixels (the sigmoid
 * the app draws), must agree to 1e-4.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/main/engine/backend';
import { ModelWeights } from '../../src/main/engine/model-io/onnx/model-weights';
import { ONNX_NAMES, OnnxUnsupportedError, vaeToOnnx } from '../../src/main/engine/model-io/onnx/vae-onnx';
import { createModel } from '../../src/main/engine/model/create-model';
import type { VaeModel } from '../../src/main/engine/model/vae-model';
import { ResConvVae, type ResConvVaeOptions } from '../../src/main/engine/model/vae-resconv';
import { requestSchemas } from '../../src/shared/schemas';
import type { TrainSettings } from '../../src/shared/types';

const TOLERANCE = 1e-4;
const ROWS = 3;

beforeAll(async () => {
  await selectBackend('cpu');
});

afterAll(() => {
  tf.disposeVariables();
});

/** Moves every weight by U(±1/√fan-in) (±0.2 for vectors), seeded, so no layer is left at zero. */
function perturb(model: VaeModel, seed: number): void {
  model.namedVariables.forEach(({ variable }, i) => {
    const fanIn = variable.shape.length > 1 ? variable.shape.slice(0, -1).reduce((a, b) => a * b, 1) : 25;
    const bound = 1 / Math.sqrt(fanIn);
    tf.tidy(() =>
      variable.assign(tf.add(variable, tf.randomUniform(variable.shape, -bound, bound, 'float32', seed + i))),
    );
  });
}

/** Pixels in [0, 1] on 8-bit levels, like the app's batches. */
function images(size: number, channels: number): Float32Array {
  return Float32Array.from({ length: ROWS * size * size * channels }, (_, i) => ((i * 37 + 11) % 256) / 255);
}

/** A float32 output's values (any other type fails the test). */
function floats(tensor: ort.Tensor): Float32Array {
  if (!(tensor.data instanceof Float32Array)) throw new Error(`expected float32, got ${tensor.type}`);
  return tensor.data;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

async function run(bytes: Uint8Array, name: string, data: Float32Array, dims: number[]) {
  const session = await ort.InferenceSession.create(bytes);
  try {
    return await session.run({ [name]: new ort.Tensor('float32', data, dims) });
  } finally {
    await session.release();
  }
}

/** Runs tfjs and ONNX Runtime on the same inputs and returns the largest differences. */
async function roundTrip(model: VaeModel, kind: string, size: number, channels: 1 | 3) {
  const exported = vaeToOnnx({
    model: kind,
    format: { size, channels },
    latentDim: model.latentDim,
    weights: ModelWeights.ofModel(model),
    metadata: { test: kind },
    appVersion: 'test',
  });
  const x = images(size, channels);
  const z = tf.tidy(() =>
    Float32Array.from(tf.randomNormal([ROWS, model.latentDim], 0, 1, 'float32', 5).dataSync()),
  );
  const [mean, logVariance, pixels] = tf.tidy(() => {
    const encoded = model.encode(tf.tensor2d(x, [ROWS, model.inputSize]));
    const decoded = tf.sigmoid(model.decodeLogits(tf.tensor2d(z, [ROWS, model.latentDim])));
    return [encoded.mean, encoded.logVariance, decoded].map((t) => Float32Array.from(t.dataSync()));
  });
  const encoderOut = await run(exported.encoder, ONNX_NAMES.x, x, [ROWS, size, size, channels]);
  const decoderOut = await run(exported.decoder, ONNX_NAMES.z, z, [ROWS, model.latentDim]);
  expect(decoderOut[ONNX_NAMES.pixels]!.dims).toEqual([ROWS, size, size, channels]);
  expect(encoderOut[ONNX_NAMES.mean]!.dims).toEqual([ROWS, model.latentDim]);
  const diffs = {
    mean: maxAbsDiff(floats(encoderOut[ONNX_NAMES.mean]!), mean!),
    logvar: maxAbsDiff(floats(encoderOut[ONNX_NAMES.logvar]!), logVariance!),
    pixels: maxAbsDiff(floats(decoderOut[ONNX_NAMES.pixels]!), pixels!),
  };
  // Measured figures for the record (the assertion is the tolerance).
  console.log(
    `ONNX round trip ${kind} ${size}px×${channels}: max |Δ| mean ${diffs.mean.toExponential(2)}, logvar ${diffs.logvar.toExponential(2)}, pixels ${diffs.pixels.toExponential(2)}; encoder ${exported.encoder.byteLength} B, decoder ${exported.decoder.byteLength} B`,
  );
  // Agreement means little if every pixel were the same (say, all 0.5): the images must vary.
  expect(new Set(Array.from(pixels!.subarray(0, 8)).map((v) => v.toFixed(4))).size).toBeGreaterThan(1);
  return diffs;
}

/** Perturbs the model's weights (`seed`), exports it, and expects the ONNX outputs within tolerance. */
async function expectAgreement(
  model: VaeModel,
  seed: number,
  kind: Parameters<typeof roundTrip>[1],
  size: number,
  channels: 1 | 3,
): Promise<void> {
  perturb(model, seed);
  const diffs = await roundTrip(model, kind, size, channels);
  model.dispose();
  expect(Math.max(diffs.mean, diffs.logvar, diffs.pixels)).toBeLessThan(TOLERANCE);
}

/** A residual conv VAE built from `options`, its weights perturbed with its own seed, then checked. */
async function resConvAgreement(options: ResConvVaeOptions & { seed: number }): Promise<void> {
  await expectAgreement(new ResConvVae(options), options.seed, 'resconv', options.size, options.channels);
}

const base: Pick<TrainSettings, 'likelihood' | 'seed'> = { likelihood: 'bernoulli', seed: 3 };

describe('ONNX export agrees with the tfjs model', () => {
  it('mlp, two hidden layers, 28 px grey', async () => {
    const model = createModel({ ...base, model: 'mlp', latentDim: 4, width: 32, depth: 2 }, 28, 1);
    await expectAgreement(model, 1, 'mlp', 28, 1);
  });

  it('conv, 28 px grey (depth 2: 14, 7)', async () => {
    const model = createModel({ ...base, model: 'conv', latentDim: 4, width: 4, depth: 2 }, 28, 1);
    await expectAgreement(model, 2, 'conv', 28, 1);
  });

  it('conv with the PCA start’s linear path, 32 px colour, depth 3', async () => {
    const model = createModel(
      {
        ...base,
        likelihood: 'gaussian-learned',
        model: 'conv',
        latentDim: 3,
        width: 4,
        depth: 3,
        pcaStart: true,
      },
      32,
      3,
    );
    await expectAgreement(model, 3, 'conv', 32, 3);
  });

  it('resconv, 32 px colour, three levels with residual blocks and group norms', async () => {
    await resConvAgreement({ size: 32, channels: 3, latentDim: 4, width: 8, depth: 3, blocks: 1, seed: 4 });
  });

  it('resconv with one level and two blocks, 16 px grey', async () => {
    await resConvAgreement({ size: 16, channels: 1, latentDim: 2, width: 4, depth: 1, blocks: 2, seed: 5 });
  });

  it('refuses a model kind it cannot write, naming it', () => {
    const model = createModel({ ...base, model: 'mlp', latentDim: 2, width: 8, depth: 1 }, 28, 1);
    const weights = ModelWeights.ofModel(model);
    model.dispose();
    const exportTransformer = () =>
      vaeToOnnx({
        model: 'transformer',
        format: { size: 28, channels: 1 },
        latentDim: 2,
        weights,
        metadata: {},
        appVersion: 't',
      });
    expect(exportTransformer).toThrow(OnnxUnsupportedError);
    expect(exportTransformer).toThrow(/“transformer”/);
  });
});

describe('model:export payload', () => {
  const runId = '20261121-043000-ab12';
  it('takes tfjs or onnx, and no format (TF.js) from callers that predate the choice', () => {
    for (const args of [{ runId }, { runId, format: 'tfjs' }, { runId, format: 'onnx' }]) {
      expect(requestSchemas['model:export'].safeParse(args).success).toBe(true);
    }
  });

  it('refuses any other format', () => {
    for (const format of ['pytorch', 'ONNX', '', null, 1]) {
      expect(requestSchemas['model:export'].safeParse({ runId, format }).success).toBe(false);
    }
  });
});
