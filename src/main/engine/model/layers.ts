/** Weights as plain tf.Variables with PyTorch's default initialisation, shared by the VAE models. */
import * as tf from '@tensorflow/tfjs-core';

export interface Layer {
  /** Stable name within the model, as stored in checkpoints. */
  name: string;
  kernel: tf.Variable;
  bias: tf.Variable;
}

/**
 * PyTorch's default initialisation for Linear and Conv layers, U(±1/√fan_in) for kernel and bias,
 * so our models start from the same distribution as the reference and losses can be compared.
 */
export function makeLayer(
  scope: string,
  name: string,
  kernelShape: number[],
  fanIn: number,
  seed: number,
): Layer {
  const bound = 1 / Math.sqrt(fanIn);
  const outputs = kernelShape[kernelShape.length - 1]!;
  // A variable shares its initial tensor's data; the tensor itself must go, or every model built
  // and disposed would leave its starting weights behind.
  const variable = (initial: tf.Tensor, suffix: string) => {
    const v = tf.variable(initial, true, `${scope}/${name}/${suffix}`);
    initial.dispose();
    return v;
  };
  return {
    name,
    kernel: variable(tf.randomUniform(kernelShape, -bound, bound, 'float32', seed), 'kernel'),
    bias: variable(tf.randomUniform([outputs], -bound, bound, 'float32', seed + 1), 'bias'),
  };
}

export function dense(layer: Layer, x: tf.Tensor2D): tf.Tensor2D {
  return tf.add(tf.matMul(x, layer.kernel as tf.Tensor2D), layer.bias);
}

export function namedVariablesOf(
  layers: Layer[],
  logSigma: tf.Variable | undefined,
  logScale?: tf.Variable,
): { name: string; variable: tf.Variable }[] {
  const named = layers.flatMap((layer) => [
    { name: `${layer.name}/kernel`, variable: layer.kernel },
    { name: `${layer.name}/bias`, variable: layer.bias },
  ]);
  if (logSigma) named.push({ name: 'likelihood/log_sigma', variable: logSigma });
  if (logScale) named.push({ name: 'likelihood/log_scale', variable: logScale });
  return named;
}

/**
 * log σ of a learned Gaussian likelihood (one σ for all pixels, as in the σ-VAE). It starts at the
 * fixed likelihood's σ = 0.1 rather than 1: Adam moves it by about the learning rate per step, so
 * from 1 it would take thousands of steps to reach pixel-noise scale, with the KL dominating meanwhile.
 */
export function makeLogSigma(scope: string): tf.Variable {
  const initial = tf.scalar(Math.log(0.1));
  const logSigma = tf.variable(initial, true, `${scope}/likelihood/log_sigma`);
  initial.dispose();
  return logSigma;
}

/**
 * Per-channel log-scale of a discretized logistic likelihood, [channels], in [0, 1] pixel units
 * (stored raw; the loss floors it). One scale per channel rather than PixelCNN++'s per-pixel output
 * keeps the decoder unchanged; it starts at s = 0.1 for the same reason as `makeLogSigma`.
 */
export function makeLogScale(scope: string, channels: number): tf.Variable<tf.Rank.R1> {
  const initial = tf.fill([channels], Math.log(0.1)) as tf.Tensor1D;
  const logScale = tf.variable(initial, true, `${scope}/likelihood/log_scale`);
  initial.dispose();
  return logScale;
}
