import type * as tf from '@tensorflow/tfjs-core';

export interface Encoded {
  mean: tf.Tensor2D;
  logVariance: tf.Tensor2D;
}

/** What training, evaluation and checkpoints need from any VAE architecture. */
export interface VaeModel {
  readonly latentDim: number;
  /** Pixels per image the model reads and writes (size · size · channels), flattened. */
  readonly inputSize: number;
  /** Every weight under a stable name (what checkpoints store), in a fixed order. */
  readonly namedVariables: { name: string; variable: tf.Variable }[];
  readonly variables: tf.Variable[];
  /** log σ of a learned-variance Gaussian likelihood, when the model has one (raw; the loss floors it). */
  readonly logSigma?: tf.Variable<tf.Rank.R0>;
  /** Per-channel log-scale of a discretized logistic likelihood, [channels], when the model has one (raw). */
  readonly logScale?: tf.Variable<tf.Rank.R1>;
  /** q(z | x) for a [batch, inputSize] tensor of pixels in [0, 1]. */
  encode(x: tf.Tensor2D): Encoded;
  /**
   * Per-pixel decoder outputs, [batch, inputSize]: Bernoulli logits, or Gaussian / logistic means
   * before a sigmoid.
   */
  decodeLogits(z: tf.Tensor2D): tf.Tensor2D;
  dispose(): void;
}

/** tf variable names are global; each model instance gets its own scope so several can coexist. */
let nextScope = 0;
export function newVariableScope(kind: string): string {
  return `${kind}-${nextScope++}`;
}
