/**
 * Active units by Burda, Grosse & Salakhutdinov's (2016) definition, A_u = Var_x(E_q(z|x)[z_u]) >
 * 0.01, and the mutual information estimate I(x; z) = E_x KL(q(z|x) ‖ p) − KL(q(z) ‖ p)
 * (Hoffman & Johnson 2016; He et al. 2019), on synthetic encoders whose answers are known.
 */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import type { ImageSet, ImageSubset } from '../../src/main/engine/data/image-set';
import type { Encoded, VaeModel } from '../../src/main/engine/model/vae-model';
import {
  ACTIVE_UNIT_VARIANCE,
  countActiveUnits,
  evaluate,
  mutualInformationSum,
} from '../../src/main/engine/train/evaluate';
import { useBackendWithoutLeaks } from '../support/tensor-leaks';

useBackendWithoutLeaks('cpu');

const IMAGES = 600; // more than one evaluation batch of 500
const PIXELS = 4;

/** Pixel 0 of image i is i mod 256; the others are fixed. */
function images(): ImageSubset {
  const pixels = new Uint8Array(IMAGES * PIXELS);
  for (let i = 0; i < IMAGES; i++) {
    pixels[i * PIXELS] = i % 256;
    pixels[i * PIXELS + 1] = (i * 7) % 256;
  }
  const set: ImageSet = {
    pixels,
    labels: new Uint8Array(IMAGES),
    count: IMAGES,
    size: 2,
    channels: 1,
    classNames: ['all'],
    metadata: [],
  };
  return { set, indices: Uint32Array.from({ length: IMAGES }, (_, i) => i) };
}

/**
 * An "encoder" that is a fixed function of the pixels: dimension d has mean scale_d · (x₀ − ½) and
 * log-variance logVariance_d, so Var_x(μ_d) = scale_d² · Var(x₀) is known in closed form.
 */
function syntheticModel(scales: number[], logVariances: number[]): VaeModel {
  const latentDim = scales.length;
  return {
    latentDim,
    inputSize: PIXELS,
    namedVariables: [],
    variables: [],
    encode(x: tf.Tensor2D): Encoded {
      return tf.tidy(() => {
        const first = tf.sub(tf.slice(x, [0, 0], [-1, 1]), 0.5);
        return {
          mean: tf.mul(first, tf.tensor2d(scales, [1, latentDim])) as tf.Tensor2D,
          logVariance: tf.mul(tf.onesLike(first), tf.tensor2d(logVariances, [1, latentDim])) as tf.Tensor2D,
        };
      });
    },
    decodeLogits(z: tf.Tensor2D): tf.Tensor2D {
      return tf.tidy(() => tf.zeros([z.shape[0], PIXELS]));
    },
    dispose: () => undefined,
  };
}

/** Population variance of x₀ = (i mod 256)/255 over the images. */
function pixelVariance(): number {
  const values = Array.from({ length: IMAGES }, (_, i) => (i % 256) / 255);
  const mean = values.reduce((a, b) => a + b, 0) / IMAGES;
  return values.reduce((a, b) => a + (b - mean) ** 2, 0) / IMAGES;
}

describe('active units (Burda et al. 2016)', () => {
  it('count dimensions whose posterior mean varies across inputs by more than 0.01', async () => {
    // Var(x₀) ≈ 0.087: scale 1 → 0.087 (active), 0.5 → 0.022 (active), 0.3 → 0.0078 (not), 0 → 0.
    // Dimension 3 has a narrow posterior at a constant mean: much KL, but no information: inactive,
    // where the old rule (KL > 0.01 nats) counted it.
    const model = syntheticModel([1, 0.5, 0.3, 0], [-4, -4, -4, -6]);
    const result = await evaluate(model, images(), 1);
    const variance = pixelVariance();
    expect(result.latentMeanVariance[0]).toBeCloseTo(variance, 5);
    expect(result.latentMeanVariance[1]).toBeCloseTo(0.25 * variance, 5);
    expect(result.latentMeanVariance[2]).toBeCloseTo(0.09 * variance, 5);
    expect(result.latentMeanVariance[3]).toBeCloseTo(0, 8);
    expect(result.activeUnits).toBe(2);
    expect(result.klPerDimension[3]).toBeGreaterThan(ACTIVE_UNIT_VARIANCE);
    expect(result.klPerDimension.filter((kl) => kl > 0.01)).toHaveLength(4);
    expect(countActiveUnits([0.011, 0.01, 0.009, 2])).toBe(2);
  });
});

describe('mutual information I(x; z)', () => {
  it('is about 0 for a collapsed posterior, whatever its KL', async () => {
    // Every q(z|x) is the same N(0.3, e^−2): KL > 0 but z says nothing about x.
    const collapsed: VaeModel = {
      ...syntheticModel([0, 0], [-2, -2]),
      encode: (x) =>
        tf.tidy(() => ({
          mean: tf.fill([x.shape[0], 2], 0.3) as tf.Tensor2D,
          logVariance: tf.fill([x.shape[0], 2], -2) as tf.Tensor2D,
        })),
    };
    const result = await evaluate(collapsed, images(), 2);
    expect(result.kl).toBeGreaterThan(0.5);
    expect(result.mutualInformation).toBeGreaterThanOrEqual(0);
    expect(result.mutualInformation).toBeLessThan(1e-4);
    expect(result.activeUnits).toBe(0);
  });

  it('lies between 0 and the KL and grows as the code sharpens', async () => {
    const informative = [0, -2, -5].map(async (logVariance) => {
      const result = await evaluate(syntheticModel([3, 3], [logVariance, logVariance]), images(), 3);
      expect(result.mutualInformation).toBeGreaterThan(0);
      expect(result.mutualInformation).toBeLessThanOrEqual(result.kl);
      // The batch estimate can never exceed log N (N = 500 per evaluation batch).
      expect(result.mutualInformation).toBeLessThanOrEqual(Math.log(500) + 1e-6);
      return result.mutualInformation;
    });
    const [wide, medium, sharp] = await Promise.all(informative);
    expect(wide!).toBeLessThan(medium!);
    expect(medium!).toBeLessThan(sharp!);
  });

  it('matches the unblocked estimator on one batch, term by term', () => {
    // Two images, one dimension: log q(z_i|x_i) − log ((q(z_i|x_1) + q(z_i|x_2)) / 2), summed.
    const mean = [-1, 1];
    const logVariance = [0, Math.log(0.25)];
    const z = [-0.8, 1.3];
    const logQ = (zi: number, j: number) =>
      -0.5 * Math.log(2 * Math.PI) -
      0.5 * logVariance[j]! -
      (0.5 * (zi - mean[j]!) ** 2) / Math.exp(logVariance[j]!);
    const expected = [0, 1].reduce(
      (sum, i) => sum + logQ(z[i]!, i) - Math.log((Math.exp(logQ(z[i]!, 0)) + Math.exp(logQ(z[i]!, 1))) / 2),
      0,
    );
    const value = tf.tidy(() =>
      mutualInformationSum(
        tf.tensor2d(mean, [2, 1]),
        tf.tensor2d(logVariance, [2, 1]),
        tf.tensor2d(z, [2, 1]),
      ).dataSync(),
    )[0]!;
    expect(value).toBeCloseTo(expected, 5);
  });
});
