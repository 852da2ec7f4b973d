/**
 * GroupNorm from tfjs-core ops, against a plain-JS reference and finite differences, on the real
 * cpu and wasm backends.
 */
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/main/engine/backend';
import {
  GROUP_NORM_EPSILON,
  groupNorm,
  groupsFor,
  makeNormLayer,
} from '../../src/main/engine/model/group-norm';
import { mulberry32 } from '../../src/main/engine/random';
import { largestDifference } from '../support/differences';

const BACKENDS = ['cpu', 'wasm'] as const;

afterAll(async () => {
  await selectBackend('cpu');
});

/** Deterministic values in [−2, 2) with a per-channel offset, so groups have different means. */
function values(shape: number[], seed: number): Float32Array {
  const random = mulberry32(seed);
  const channels = shape[shape.length - 1]!;
  return Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => {
    return 4 * random() - 2 + (i % channels) * 0.5;
  });
}

/** GroupNorm by its definition, in float64: per image and group, (x − mean) / √(var + ε) · γ + β. */
function reference(
  x: Float32Array,
  [batch, height, width, channels]: number[],
  gamma: number[],
  beta: number[],
  groups: number,
): Float64Array {
  const out = new Float64Array(x.length);
  const perGroup = channels! / groups;
  const pixels = height! * width!;
  for (let b = 0; b < batch!; b++) {
    for (let g = 0; g < groups; g++) {
      const members: number[] = [];
      for (let p = 0; p < pixels; p++) {
        for (let c = g * perGroup; c < (g + 1) * perGroup; c++)
          members.push((b * pixels + p) * channels! + c);
      }
      const mean = members.reduce((s, i) => s + x[i]!, 0) / members.length;
      const variance = members.reduce((s, i) => s + (x[i]! - mean) ** 2, 0) / members.length;
      for (const i of members) {
        const c = i % channels!;
        out[i] = ((x[i]! - mean) / Math.sqrt(variance + GROUP_NORM_EPSILON)) * gamma[c]! + beta[c]!;
      }
    }
  }
  return out;
}

describe('groupsFor', () => {
  it('takes up to 8 groups that divide the channels, two channels a group at least', () => {
    expect([32, 64, 16, 12, 8, 6, 4, 3, 2, 1].map((c) => groupsFor(c))).toEqual([
      8, 8, 8, 6, 4, 3, 2, 1, 1, 1,
    ]);
    expect(groupsFor(32, 4)).toBe(4);
  });
});

describe.each(BACKENDS)('groupNorm on %s', (backend) => {
  it('normalises each image and group to mean 0 and variance 1 before γ and β', async () => {
    await selectBackend(backend);
    expect(tf.getBackend()).toBe(backend);
    const shape = [3, 4, 5, 6] as [number, number, number, number];
    const out = tf.tidy(() =>
      groupNorm(tf.tensor4d(values(shape, 1), shape), tf.ones([6]), tf.zeros([6]), 3).dataSync(),
    );
    for (let b = 0; b < 3; b++) {
      for (let g = 0; g < 3; g++) {
        const members: number[] = [];
        for (let p = 0; p < 20; p++)
          members.push(out[(b * 20 + p) * 6 + 2 * g]!, out[(b * 20 + p) * 6 + 2 * g + 1]!);
        const mean = members.reduce((s, v) => s + v, 0) / members.length;
        const variance = members.reduce((s, v) => s + (v - mean) ** 2, 0) / members.length;
        expect(Math.abs(mean)).toBeLessThan(1e-5);
        expect(variance).toBeCloseTo(1, 3);
      }
    }
  });

  it('matches a plain-JS reference with learned γ and β', async () => {
    await selectBackend(backend);
    const shape = [2, 3, 4, 8];
    const data = values(shape, 2);
    const gamma = [0.5, 1, 1.5, 2, -1, 0.25, 3, 1];
    const beta = [0, 0.1, -0.2, 0.3, 1, -1, 2, 0];
    for (const groups of [1, 2, 4, 8]) {
      const before = tf.memory().numTensors;
      const out = tf.tidy(() =>
        groupNorm(tf.tensor4d(data, [2, 3, 4, 8]), tf.tensor1d(gamma), tf.tensor1d(beta), groups).dataSync(),
      );
      expect(tf.memory().numTensors).toBe(before);
      expect(
        largestDifference(out, reference(data, shape, gamma, beta, groups)),
        `groups ${groups}`,
      ).toBeLessThan(2e-5);
    }
  });

  it('passes gradients to x, γ and β that match finite differences, leaking nothing', async () => {
    await selectBackend(backend);
    const shape = [2, 2, 3, 4] as [number, number, number, number];
    const data = values(shape, 3);
    const weights = tf.tensor4d(values(shape, 4), shape);
    const loss = (x: tf.Tensor, g: tf.Tensor, b: tf.Tensor) =>
      tf.sum(
        tf.mul(groupNorm(x as tf.Tensor4D, g as tf.Tensor1D, b as tf.Tensor1D, 2), weights),
      ) as tf.Scalar;
    const gamma = tf.tensor1d([1, 0.5, 2, -1]);
    const beta = tf.tensor1d([0, 1, 0, -1]);
    const x = tf.tensor4d(data, shape);
    const before = tf.memory().numTensors;
    const [dx, dGamma, dBeta] = tf.grads(loss)([x, gamma, beta]);
    // dβ_c = Σ weights over every pixel of channel c; the rest by central differences in float32.
    const w = Array.from(weights.dataSync());
    const expectedBeta = [0, 1, 2, 3].map((c) => w.filter((_, i) => i % 4 === c).reduce((a, v) => a + v, 0));
    expect(largestDifference(dBeta!.dataSync(), expectedBeta)).toBeLessThan(1e-4);
    const h = 1e-2;
    const numeric = (input: tf.Tensor, index: number, which: 0 | 1) => {
      const shifted = (delta: number) =>
        tf.tidy(() => {
          const v = input.dataSync().slice();
          v[index]! += delta;
          const t = tf.tensor(v, input.shape);
          return (which === 0 ? loss(t, gamma, beta) : loss(x, t, beta)).dataSync()[0]!;
        });
      return (shifted(h) - shifted(-h)) / (2 * h);
    };
    const dxValues = dx!.dataSync();
    for (const index of [0, 5, 13, 22, 47]) {
      expect(dxValues[index]).toBeCloseTo(numeric(x, index, 0), 2);
    }
    const dGammaValues = dGamma!.dataSync();
    for (let c = 0; c < 4; c++) expect(dGammaValues[c]).toBeCloseTo(numeric(gamma, c, 1), 2);
    expect(Array.from(dxValues).some((v) => Math.abs(v) > 1e-3)).toBe(true);
    tf.dispose([dx!, dGamma!, dBeta!]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, gamma, beta, weights]);
  });

  it('builds γ = 1, β = 0 under stable names and disposes them', async () => {
    await selectBackend(backend);
    const before = tf.memory().numTensors;
    const layer = makeNormLayer(`test-${backend}`, 'encoder/out/norm', 12);
    expect(layer.groups).toBe(6);
    expect(layer.gamma.name).toBe(`test-${backend}/encoder/out/norm/gamma`);
    expect(Array.from(layer.gamma.dataSync())).toEqual(new Array(12).fill(1));
    expect(Array.from(layer.beta.dataSync())).toEqual(new Array(12).fill(0));
    layer.gamma.dispose();
    layer.beta.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
