/**
 * Group normalisation (Wu & He 2018) for NHWC activations, from tfjs-core ops only, so it runs and
 * differentiates the same on every backend: each image's channels are split into `groups` groups,
 * each group is normalised to mean 0 and variance 1 over its pixels and channels, then scaled and
 * shifted by a learned γ and β per channel. Unlike batch norm it does not depend on the batch, so
 * training with batch 8 or 128 and evaluating one image at a time all see the same function.
 */
import * as tf from '@tensorflow/tfjs-core';

/** PyTorch's nn.GroupNorm default; keeps a constant group (variance 0) finite. */
export const GROUP_NORM_EPSILON = 1e-5;

/** Groups of Wu & He's default, lowered for narrow layers (see `groupsFor`). */
export const DEFAULT_GROUPS = 8;

/** The learned per-channel scale and shift of one normalisation layer. */
export interface NormLayer {
  /** Stable name within the model, as stored in checkpoints. */
  name: string;
  gamma: tf.Variable<tf.Rank.R1>;
  beta: tf.Variable<tf.Rank.R1>;
  groups: number;
}

/**
 * The most groups, up to `wanted`, that divide `channels` evenly, with at least two channels per
 * group where possible: a group of one channel is instance norm, which throws away each channel's
 * mean colour — the very thing a colour-image decoder has to carry.
 */
export function groupsFor(channels: number, wanted = DEFAULT_GROUPS): number {
  for (let groups = Math.min(wanted, Math.floor(channels / 2)); groups > 1; groups--) {
    if (channels % groups === 0) return groups;
  }
  return 1;
}

/** γ = 1, β = 0 (the identity after normalising), as PyTorch initialises GroupNorm. */
export function makeNormLayer(scope: string, name: string, channels: number, groups?: number): NormLayer {
  const variable = (initial: tf.Tensor1D, suffix: string) => {
    const v = tf.variable(initial, true, `${scope}/${name}/${suffix}`);
    initial.dispose();
    return v;
  };
  return {
    name,
    gamma: variable(tf.ones([channels]), 'gamma'),
    beta: variable(tf.zeros([channels]), 'beta'),
    groups: groups ?? groupsFor(channels),
  };
}

/**
 * Normalises x [batch, height, width, channels] per image and group, then applies γ and β.
 * The group axis is made explicit as [batch, height·width, groups, channels/groups]; rank 4 keeps
 * every op on kernels the wasm backend has (Mean, Sub, Square, Rsqrt, Mul, Add, Sum).
 *
 * The gradient is written out (Wu & He's, as for batch norm per group), with x̂ the normalised
 * input and g = dy·γ: dβ = Σ dy, dγ = Σ dy·x̂, dx = (g − mean(g) − x̂·mean(g·x̂)) / √(var + ε), the
 * means per image and group. tfjs's automatic one takes about twice the kernels (each Mean's
 * gradient builds a full-size ones tensor, Rsqrt's goes through Pow) and broadcasts small
 * operands over large ones, which the wasm backend does slowly.
 */
export function groupNorm(
  x: tf.Tensor4D,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  groups: number,
  epsilon = GROUP_NORM_EPSILON,
): tf.Tensor4D {
  const [batch, height, width, channels] = x.shape;
  if (channels % groups !== 0) throw new Error(`${channels} channels do not split into ${groups} groups`);
  const grouped = [batch, height * width, groups, channels / groups];
  const axes = [1, 3];
  // customGrad passes the inputs then the save function, typed as one union list.
  const normalise = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [input, scale, shift, save] = args as [tf.Tensor, tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    const xg = tf.reshape(input, grouped);
    const centred = tf.sub(xg, tf.mean(xg, axes, true));
    const inverseStd = tf.rsqrt(tf.add(tf.mean(tf.square(centred), axes, true), epsilon));
    const normalised = tf.mul(centred, inverseStd);
    save([normalised, inverseStd, scale]);
    return {
      value: tf.add(tf.mul(tf.reshape(normalised, input.shape), scale), shift),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xHat, inverse, gammaSaved] = saved as [tf.Tensor, tf.Tensor, tf.Tensor];
        const flatXHat = tf.reshape(xHat, dy.shape);
        const dBeta = tf.sum(dy, [0, 1, 2]);
        const dGamma = tf.sum(tf.mul(dy, flatXHat), [0, 1, 2]);
        const g = tf.reshape(tf.mul(dy, gammaSaved), grouped);
        const meanG = tf.mean(g, axes, true);
        const meanGXHat = tf.mean(tf.mul(g, xHat), axes, true);
        const dx = tf.mul(tf.sub(tf.sub(g, meanG), tf.mul(xHat, meanGXHat)), inverse);
        return [tf.reshape(dx, dy.shape), dGamma, dBeta];
      },
    };
  });
  // The forward pass's intermediates belong to the caller's scope; a tidy here frees them.
  return tf.tidy(() => normalise(x, gamma, beta) as tf.Tensor4D);
}

/** `groupNorm` with a layer's own γ, β and groups. */
export function applyNorm(layer: NormLayer, x: tf.Tensor4D): tf.Tensor4D {
  return groupNorm(x, layer.gamma, layer.beta, layer.groups);
}
