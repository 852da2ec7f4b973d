/**
 * The PCA start (issue 15): principal components against a covariance worked out by hand, and a conv
 * VAE started from probabilistic PCA of coloured pictures, which reconstructs held-out pictures as
 * well as PCA does before a single step, far better than its random start, without leaking tensors.
 */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { batchTensor } from '../../src/main/engine/data/batches';
import type { ImageSet } from '../../src/main/engine/data/image-set';
import { wholeSet } from '../../src/main/engine/data/image-set';
import { createModel } from '../../src/main/engine/model/create-model';
import { principalComponents } from '../../src/main/engine/model/pca';
import { mulberry32 } from '../../src/main/engine/random';
import { startFromPca } from '../../src/main/engine/train/pca-start';
import { meanSquaredError8, psnrFromMse } from '../../src/shared/psnr';
import { useBackendWithoutLeaks } from '../support/tensor-leaks';

useBackendWithoutLeaks('cpu');

describe('principal components', () => {
  it('finds the directions and variances of data spread along two known axes', async () => {
    // x = m + a·e₁·0.3 + b·e₂·0.1 with a, b = ±1 in all four combinations: variance 0.09 along e₁
    // and 0.01 along e₂ (population), nothing else.
    const d = 6;
    const m = [0.5, 0.4, 0.6, 0.5, 0.5, 0.5];
    const rows = [
      [1, 1],
      [1, -1],
      [-1, 1],
      [-1, -1],
    ].map(([a, b]) => m.map((v, i) => v + (i === 0 ? 0.3 * a! : 0) + (i === 2 ? 0.1 * b! : 0)));
    const pixels = tf.tensor2d(rows.flat(), [4, d]);
    const pca = await principalComponents(pixels, 2);
    pixels.dispose();
    expect(Array.from(pca.mean).map((v) => Number(v.toFixed(5)))).toEqual(m);
    expect(pca.variances[0]).toBeCloseTo(0.09, 6);
    expect(pca.variances[1]).toBeCloseTo(0.01, 6);
    expect(Math.abs(pca.components[0]!)).toBeCloseTo(1, 5);
    expect(Math.abs(pca.components[d + 2]!)).toBeCloseTo(1, 5);
    expect(pca.residualVariance).toBeLessThan(1e-5);
  });

  it('refuses more components than images can give', async () => {
    const pixels = tf.zeros([3, 8]) as tf.Tensor2D;
    await expect(principalComponents(pixels, 3)).rejects.toThrow(/more than 3 images/);
    pixels.dispose();
  });
});

/** Pictures of two-colour gradients with a coloured disc, 16 px RGB, from a seed. */
function pictures(count: number, seed: number): ImageSet {
  const size = 16;
  const random = mulberry32(seed);
  const pixels = new Uint8Array(count * size * size * 3);
  for (let n = 0; n < count; n++) {
    const [from, to, disc] = [0, 1, 2].map(() => [random(), random(), random()].map((c) => c * 255));
    const [cx, cy, r] = [4 + random() * 8, 4 + random() * 8, 2 + random() * 4];
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const inside = (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
        for (let c = 0; c < 3; c++) {
          const value = inside ? disc![c]! : from![c]! + ((to![c]! - from![c]!) * x) / (size - 1);
          pixels[((n * size + y) * size + x) * 3 + c] = Math.round(value);
        }
      }
    }
  }
  return { pixels, labels: new Uint8Array(count), count, size, channels: 3, classNames: ['p'], metadata: [] };
}

/** Mean PSNR of the model's reconstructions at z = μ, as the gallery shows them. */
function heldOutPsnr(model: ReturnType<typeof createModel>, test: ImageSet): number {
  const x = batchTensor(
    test,
    Uint32Array.from({ length: test.count }, (_, i) => i),
  );
  const reconstructed = tf.tidy(() =>
    tf.cast(
      tf.clipByValue(tf.round(tf.mul(tf.sigmoid(model.decodeLogits(model.encode(x).mean)), 255)), 0, 255),
      'int32',
    ),
  );
  const values = Uint8Array.from(reconstructed.dataSync());
  tf.dispose([x, reconstructed]);
  const stride = test.size * test.size * 3;
  let sum = 0;
  for (let n = 0; n < test.count; n++) {
    const range = [n * stride, (n + 1) * stride] as const;
    sum += psnrFromMse(meanSquaredError8(test.pixels.subarray(...range), values.subarray(...range)));
  }
  return sum / test.count;
}

describe('starting a conv VAE from PCA', () => {
  const settings = {
    model: 'conv',
    likelihood: 'discretized-logistic',
    latentDim: 8,
    width: 4,
    depth: 2,
    seed: 1,
  } as const;

  it('reconstructs held-out pictures before any training far better than a random start', async () => {
    const train = pictures(120, 1);
    const test = pictures(30, 2);
    const random = createModel({ ...settings, pcaStart: false }, 16, 3);
    const started = createModel({ ...settings, pcaStart: true }, 16, 3);
    try {
      expect(await startFromPca(started, wholeSet(train), 1)).toBe(true);
      const randomPsnr = heldOutPsnr(random, test);
      const pcaPsnr = heldOutPsnr(started, test);
      // The same pictures' own 8-component PCA reconstruction, for scale.
      const x = batchTensor(
        train,
        Uint32Array.from({ length: train.count }, (_, i) => i),
      );
      const pca = await principalComponents(x, 8);
      x.dispose();
      expect(pca.variances[0]).toBeGreaterThan(pca.variances[7]!);
      console.log(
        `held-out PSNR: random start ${randomPsnr.toFixed(2)} dB, PCA start ${pcaPsnr.toFixed(2)} dB`,
      );
      expect(pcaPsnr).toBeGreaterThan(randomPsnr + 6);
      // A started model is still a VAE: finite −ELBO terms, posterior variances below the prior's.
      const logVariance = tf.tidy(() => {
        const xs = batchTensor(test, Uint32Array.from([0, 1, 2]));
        return Array.from(started.encode(xs).logVariance.dataSync());
      });
      expect(logVariance.every((v) => Number.isFinite(v) && v <= 1e-6)).toBe(true);
    } finally {
      random.dispose();
      started.dispose();
    }
  });

  it('starts finite from a folder of identical pictures (no variance to find)', async () => {
    const one = pictures(1, 4);
    const same: ImageSet = {
      ...one,
      count: 40,
      labels: new Uint8Array(40),
      pixels: Uint8Array.from(
        { length: 40 * one.pixels.length },
        (_, i) => one.pixels[i % one.pixels.length]!,
      ),
    };
    const model = createModel({ ...settings, pcaStart: true }, 16, 3);
    try {
      expect(await startFromPca(model, wholeSet(same), 1)).toBe(true);
      const values = tf.tidy(() => {
        const x = batchTensor(same, Uint32Array.from([0, 1]));
        return Array.from(model.decodeLogits(model.encode(x).mean).dataSync());
      });
      expect(values.every(Number.isFinite)).toBe(true);
      expect(heldOutPsnr(model, one)).toBeGreaterThan(25);
    } finally {
      model.dispose();
    }
  });

  it('leaves models without a linear path, and sets too small for the latent size, as they were', async () => {
    const mlp = createModel({ ...settings, model: 'mlp', pcaStart: true }, 16, 3);
    const conv = createModel({ ...settings, pcaStart: true }, 16, 3);
    try {
      expect(await startFromPca(mlp, wholeSet(pictures(40, 3)), 1)).toBe(false);
      expect(await startFromPca(conv, wholeSet(pictures(8, 3)), 1)).toBe(false);
    } finally {
      mlp.dispose();
      conv.dispose();
    }
  });
});
