/**
 * The discretized logistic likelihood (Salimans et al. 2017, PixelCNN++) against values worked out
 * by hand (float64 / 400-digit mpmath), its 256 bin probabilities summing to 1, the floors on the
 * learned scales, and finite gradients where a naive log(σ(b) − σ(a)) would give log(0).
 */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  applyFittedScale,
  discretizedLogisticLogProb,
  discretizedLogisticNll,
  fitScaleToResiduals,
  flooredLogScale,
  GAUSSIAN_LOG_SIGMA_FLOOR,
  LOGISTIC_LOG_SCALE_FLOOR,
  reconstructionNll,
} from '../../src/main/engine/model/loss';
import type { VaeModel } from '../../src/main/engine/model/vae-model';
import { reportsBitsPerDim } from '../../src/shared/likelihood-info';
import { presetFor } from '../../src/shared/model-presets';
import { requestSchemas } from '../../src/shared/schemas';
import { VALID_ARGS } from '../support/valid-requests';
import { useBackendWithoutLeaks } from '../support/tensor-leaks';

useBackendWithoutLeaks('cpu');

const LEVELS = Array.from({ length: 256 }, (_, k) => k / 255);

/** log P(x = level) for one mean and log-scale, as plain numbers. */
function logProb(levels: number[], mean: number, logScale: number): number[] {
  return tf.tidy(() => {
    const target = tf.tensor2d(levels, [1, levels.length]);
    const means = tf.fill([1, levels.length], mean) as tf.Tensor2D;
    return Array.from(discretizedLogisticLogProb(means, target, tf.scalar(logScale)).dataSync());
  });
}

const sigmoid = (a: number) => 1 / (1 + Math.exp(-a));

describe('discretized logistic log-probability', () => {
  it('matches hand-computed values for μ = 0.5, s = 0.1', () => {
    // P(k) = σ((k/255 − μ + ½/255)/s) − σ((k/255 − μ − ½/255)/s), ends reaching to ±∞.
    const [p0, p64, p128, p255] = logProb([0, 64 / 255, 128 / 255, 1], 0.5, Math.log(0.1));
    expect(p0).toBeCloseTo(-4.9872400239843, 4);
    expect(p64).toBeCloseTo(-5.888111272244225, 4);
    expect(p128).toBeCloseTo(-4.6251009576262705, 4);
    expect(p255).toBeCloseTo(-4.987240023984305, 4);
    // The same number from the definition, in float64.
    const s = 0.1;
    const x = 128 / 255;
    const direct = Math.log(sigmoid((x - 0.5 + 0.5 / 255) / s) - sigmoid((x - 0.5 - 0.5 / 255) / s));
    expect(p128).toBeCloseTo(direct, 4);
  });

  it('stays finite and exact far in the tails, where σ(b) − σ(a) underflows to 0', () => {
    const floor = LOGISTIC_LOG_SCALE_FLOOR;
    // 400-digit reference values (mpmath): x = 128/255, μ = 1/4 and x = 0, μ = 3/4 at s = e^floor.
    const [middle] = logProb([128 / 255], 0.25, floor);
    const [lowest] = logProb([0], 0.75, floor);
    expect(middle! / -548.3167631447611).toBeCloseTo(1, 5);
    expect(lowest! / -1640.6492154527723).toBeCloseTo(1, 5);
  });

  it.each([
    [0.5, Math.log(0.1)],
    [0.02, Math.log(0.01)],
    [0.999, -3],
    [0.3, LOGISTIC_LOG_SCALE_FLOOR],
    [0.7, 2],
  ])('sums to 1 over the 256 levels (μ = %f, log s = %f)', (mean, logScale) => {
    const total = logProb(LEVELS, mean, logScale).reduce((sum, lp) => sum + Math.exp(lp), 0);
    expect(total).toBeCloseTo(1, 5);
  });

  it('puts at most all the mass on one level: every log-probability is ≤ 0', () => {
    for (const lp of logProb(LEVELS, 100 / 255, LOGISTIC_LOG_SCALE_FLOOR))
      expect(lp).toBeLessThanOrEqual(1e-6);
  });
});

describe('discretized logistic NLL', () => {
  it('sums the per-pixel NLL with one scale per NHWC channel', () => {
    // Two pixels × three channels; means sigmoid(0) = 0.5; channel scales 0.1, 0.2, 0.05.
    const scales = [Math.log(0.1), Math.log(0.2), Math.log(0.05)];
    const values = [0, 128, 255, 64, 200, 3].map((v) => v / 255);
    const nll = tf.tidy(() =>
      discretizedLogisticNll(tf.zeros([1, 6]), tf.tensor2d(values, [1, 6]), tf.tensor1d(scales)).dataSync(),
    )[0]!;
    const expected = values.reduce((sum, x, i) => {
      // The loss floors the raw scale smoothly: floor + softplus(raw − floor).
      const raw = scales[i % 3]!;
      const s = Math.exp(LOGISTIC_LOG_SCALE_FLOOR + Math.log1p(Math.exp(raw - LOGISTIC_LOG_SCALE_FLOOR)));
      const upper = x > 1 - 0.5 / 255 ? 1 : sigmoid((x - 0.5 + 0.5 / 255) / s);
      const lower = x < 0.5 / 255 ? 0 : sigmoid((x - 0.5 - 0.5 / 255) / s);
      return sum - Math.log(upper - lower);
    }, 0);
    expect(nll).toBeCloseTo(expected, 3);
    // A probability mass: its NLL is never negative, so bits/dim is never negative.
    expect(nll).toBeGreaterThan(0);
    expect(reportsBitsPerDim('discretized-logistic')).toBe(true);
    expect(reportsBitsPerDim('gaussian-learned')).toBe(false);
    expect(reportsBitsPerDim('gaussian-fixed')).toBe(false);
  });

  it('holds the scale at its floor however far the raw variable falls', () => {
    const floored = tf.tidy(() =>
      Array.from(flooredLogScale(tf.tensor1d([-50, -8, 0, 3]), LOGISTIC_LOG_SCALE_FLOOR).dataSync()),
    );
    for (const v of floored) expect(v).toBeGreaterThanOrEqual(LOGISTIC_LOG_SCALE_FLOOR - 1e-5);
    expect(floored[0]).toBeCloseTo(LOGISTIC_LOG_SCALE_FLOOR, 5);
    expect(floored[3]).toBeCloseTo(3, 4);
    // A perfect reconstruction at the floor still costs a little: the best bin holds < 100%.
    const nll = tf.tidy(() => {
      const x = tf.tensor2d([[0.5 + 0.5 / 255]]);
      const logits = tf.log(tf.div(x, tf.sub(1, x))) as tf.Tensor2D;
      return discretizedLogisticNll(logits, x, tf.tensor1d([-50])).dataSync()[0]!;
    });
    expect(nll).toBeGreaterThan(0);
    expect(nll).toBeLessThan(0.05);
  });

  it('has finite gradients for saturated outputs and extreme scales', () => {
    const values = [0, 1 / 255, 128 / 255, 254 / 255, 1, 0, 1, 77 / 255];
    for (const raw of [-50, LOGISTIC_LOG_SCALE_FLOOR, 0, 8]) {
      const grads = tf.tidy(() => {
        const target = tf.tensor2d(values, [1, 8]);
        const outputs = tf.tensor2d([30, -30, 0, 30, -30, -30, 30, 5], [1, 8]);
        const logScale = tf.tensor1d([raw]);
        const f = (o: tf.Tensor, s: tf.Tensor) =>
          tf.sum(discretizedLogisticNll(o as tf.Tensor2D, target, s as tf.Tensor1D));
        const [dOutputs, dScale] = tf.grads(f)([outputs, logScale]);
        return [...dOutputs!.dataSync(), ...dScale!.dataSync(), f(outputs, logScale).dataSync()[0]!];
      });
      for (const g of grads) expect(Number.isFinite(g), `finite at raw log s = ${raw}`).toBe(true);
    }
  });
});

describe('learned Gaussian σ', () => {
  it('has a floor of 1/512, so its density (and loss) cannot run off to −∞', () => {
    const nll = tf.tidy(() => {
      const logSigma = tf.scalar(-50);
      const model = { logSigma } as unknown as VaeModel;
      const x = tf.tensor2d([[0.25, 0.75]]);
      const logits = tf.log(tf.div(x, tf.sub(1, x))) as tf.Tensor2D;
      return reconstructionNll(model, logits, x, 'gaussian-learned').dataSync()[0]!;
    });
    // At the floor, a perfect fit costs log σ + ½ log 2π per pixel: the lowest the loss can go.
    const lowest = 2 * (GAUSSIAN_LOG_SIGMA_FLOOR + 0.5 * Math.log(2 * Math.PI));
    expect(nll).toBeGreaterThanOrEqual(lowest - 1e-3);
    expect(nll).toBeCloseTo(lowest, 3);
  });
});

/** Logistic noise of scale s by the inverse CDF, from a seeded generator. */
function logisticNoise(count: number, scale: number, seed: number): number[] {
  let state = seed;
  const uniform = () => {
    state = (state * 1664525 + 1013904223) % 4294967296;
    return (state + 0.5) / 4294967296;
  };
  return Array.from({ length: count }, () => {
    const u = uniform();
    return scale * Math.log(u / (1 - u));
  });
}

describe('the likelihood scale fitted to the residuals (optimal σ-VAE)', () => {
  it('recovers each channel’s logistic scale from its residuals', () => {
    const scales = [0.02, 0.05, 0.1];
    const rows = 200;
    const pixels = 64 * 3;
    const noise = scales.map((s, c) => logisticNoise(rows * 64, s, 11 + c));
    const target = Array.from({ length: rows * pixels }, (_, i) => 0.5 + noise[i % 3]![Math.floor(i / 3)]!);
    const fitted = tf.tidy(() => {
      const logScale = tf.variable(tf.fill([3], Math.log(0.1)) as tf.Tensor1D);
      const model = { logScale } as unknown as VaeModel;
      const outputs = tf.zeros([rows, pixels]) as tf.Tensor2D; // sigmoid(0) = 0.5, the residuals' centre
      const raw = fitScaleToResiduals(
        model,
        outputs,
        tf.tensor2d(target, [rows, pixels]),
        'discretized-logistic',
      )!;
      const result = Array.from(flooredLogScale(raw, LOGISTIC_LOG_SCALE_FLOOR).dataSync());
      logScale.dispose();
      return result;
    });
    fitted.forEach((logS, c) => expect(Math.exp(logS) / scales[c]!).toBeCloseTo(1, 1));
  });

  it('fits a Gaussian σ as the root-mean-square residual', () => {
    const sigma = tf.tidy(() => {
      const logSigma = tf.variable(tf.scalar(0));
      const model = { logSigma } as unknown as VaeModel;
      const x = tf.tensor2d([[0.6, 0.4, 0.8, 0.2]]);
      const raw = fitScaleToResiduals(model, tf.zeros([1, 4]) as tf.Tensor2D, x, 'gaussian-learned')!;
      const value = Math.exp(flooredLogScale(raw, GAUSSIAN_LOG_SIGMA_FLOOR).dataSync()[0]!);
      logSigma.dispose();
      return value;
    });
    expect(sigma).toBeCloseTo(Math.sqrt((0.01 + 0.01 + 0.09 + 0.09) / 4), 4);
  });

  it('stays at the floor for a perfect reconstruction and has nothing to fit for Bernoulli', () => {
    tf.tidy(() => {
      const logScale = tf.variable(tf.fill([1], Math.log(0.1)) as tf.Tensor1D);
      const model = { logScale } as unknown as VaeModel;
      const x = tf.tensor2d([[0.25, 0.75]]);
      const logits = tf.log(tf.div(x, tf.sub(1, x))) as tf.Tensor2D;
      const raw = fitScaleToResiduals(model, logits, x, 'discretized-logistic')!;
      expect(flooredLogScale(raw, LOGISTIC_LOG_SCALE_FLOOR).dataSync()[0]).toBeCloseTo(
        LOGISTIC_LOG_SCALE_FLOOR,
        2,
      );
      expect(fitScaleToResiduals(model, logits, x, 'bernoulli')).toBeUndefined();
      logScale.dispose();
    });
  });

  it('moves the model’s variable half way in log space, and keeps it where the fit is not finite', () => {
    const initial = tf.tensor1d([-2, -2]);
    const logScale = tf.variable(initial);
    initial.dispose();
    const model = { logScale } as unknown as VaeModel;
    const fitted = tf.tensor1d([-4, NaN]);
    expect(applyFittedScale(model, fitted)).toBe(true);
    expect(Array.from(logScale.dataSync())).toEqual([-3, -2]);
    expect(applyFittedScale({} as VaeModel, fitted)).toBe(false);
    tf.dispose([logScale, fitted]);
  });
});

describe('choosing the likelihood', () => {
  it('presets the discretized logistic for photo folders and Bernoulli for near-binary images', () => {
    expect(presetFor(64, 3).likelihood).toBe('discretized-logistic');
    expect(presetFor(28, 3).likelihood).toBe('discretized-logistic');
    expect(presetFor(64, 1).likelihood).toBe('discretized-logistic');
    expect(presetFor(28, 1).likelihood).toBe('bernoulli');
    expect(presetFor(64, 1, { nearBinary: true }).likelihood).toBe('bernoulli');
    expect(presetFor(28, 1, { nearBinary: false }).likelihood).toBe('discretized-logistic');
  });

  it('is accepted by train:start', () => {
    const args = { ...VALID_ARGS['train:start'], likelihood: 'discretized-logistic' };
    expect(requestSchemas['train:start'].safeParse(args).success).toBe(true);
    expect(requestSchemas['train:start'].safeParse({ ...args, likelihood: 'logistic' }).success).toBe(false);
  });
});
