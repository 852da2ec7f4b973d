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
  return layerOf(
    scope,
    name,
    tf.randomUniform(kernelShape, -bound, bound, 'float32', seed),
    tf.randomUniform([outputs], -bound, bound, 'float32', seed + 1),
  );
}

/**
 * A layer whose variables take over `kernel` and `bias`. A variable shares its initial tensor's
 * data; the tensor itself must go, or every model built and disposed would leave its starting
 * weights behind.
 */
function layerOf(scope: string, name: string, kernel: tf.Tensor, bias: tf.Tensor): Layer {
  const variable = (initial: tf.Tensor, suffix: string) => {
    const v = tf.variable(initial, true, `${scope}/${name}/${suffix}`);
    initial.dispose();
    return v;
  };
  return { name, kernel: variable(kernel, 'kernel'), bias: variable(bias, 'bias') };
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

/**
 * A layer whose kernel and bias start at zero: the last convolution of a residual branch, so every
 * block starts as the identity and a deep stack trains from the first step like a shallow one
 * (Goyal et al. 2017, "zero-γ"; Zhang et al. 2019, Fixup). Its gradient is not zero: it is the
 * branch's earlier activations times the incoming gradient, so it leaves zero on the first step.
 */
export function makeZeroLayer(scope: string, name: string, kernelShape: number[]): Layer {
  return layerOf(scope, name, tf.zeros(kernelShape), tf.zeros([kernelShape[kernelShape.length - 1]!]));
}

/**
 * A 'same'-padded NHWC convolution plus bias as one fused op: where the backend has a fused kernel
 * (wasm's XNNPack, WebGL) the bias is added in the same pass. Its gradient always computes dx,
 * even for an input that needs none, so a model's first layer should use `inputConv2d` instead.
 */
export function conv2d(layer: Layer, x: tf.Tensor4D, stride: 1 | 2): tf.Tensor4D {
  return tf.fused.conv2d({
    x,
    filter: layer.kernel as tf.Tensor4D,
    strides: stride,
    pad: 'same',
    bias: layer.bias,
  });
}

/**
 * `conv2d` for a layer reading the images themselves: unfused, because tfjs differentiates a plain
 * conv2d input by input and skips dx for an input no variable depends on, where the fused op's
 * gradient always computes it (a backward convolution as large as the image, for nothing: about
 * 2% of a 64 px RGB ResConvVae step on wasm).
 */
export function inputConv2d(layer: Layer, x: tf.Tensor4D, stride: 1 | 2): tf.Tensor4D {
  return tf.add(tf.conv2d(x, layer.kernel as tf.Tensor4D, stride, 'same'), layer.bias);
}

/**
 * For phase p (output row 2i + p) of a nearest-neighbour ×2 upsample followed by a 3×3 'same'
 * convolution, which low-resolution row offset (−1, 0, +1 → index 0, 1, 2) each kernel row reads:
 * upsampled rows 2i − 1, 2i, 2i + 1 are input rows i − 1, i, i for p = 0, and rows 2i, 2i + 1,
 * 2i + 2 are i, i, i + 1 for p = 1. Zero padding maps to zero padding at both borders.
 */
const PHASE_TAPS = [
  [0, 1, 1],
  [1, 1, 2],
] as const;

/**
 * [36, 9]: row (phase p·2 + q, a, b), column (kernel row r, column c), 1 where tap (r, c) of the
 * 3×3 kernel lands on low-resolution offset (a, b) in output phase (p, q).
 */
const PHASE_MATRIX = (() => {
  const m = new Float32Array(36 * 9);
  for (let p = 0; p < 2; p++) {
    for (let q = 0; q < 2; q++) {
      for (let r = 0; r < 3; r++) {
        for (let c = 0; c < 3; c++) {
          const row = (p * 2 + q) * 9 + PHASE_TAPS[p]![r]! * 3 + PHASE_TAPS[q]![c]!;
          m[row * 9 + r * 3 + c] = 1;
        }
      }
    }
  }
  return m;
})();

/**
 * Nearest-neighbour ×2 upsampling followed by a 3×3 'same' convolution (`layer.kernel` is an
 * ordinary [3, 3, in, out] kernel), computed at the input's resolution: each of the four output
 * phases is a 3×3 convolution of the small input whose taps are sums of the kernel's (see
 * PHASE_TAPS), so one convolution with 4·out channels and a depth-to-space give exactly the same
 * result. The arithmetic is the same, but the backward pass's column matrices are a quarter the
 * size and the filter gradient's matmul four times wider: for a 64 px RGB ResConvVae (width 16,
 * batch 32) on wasm, the filter gradients of a step fell from 1.12 s to 0.40 s and the whole step
 * from 3.0 s to 1.3 s (on a loaded 2-core machine; the output layer's alone was 410 ms).
 * Unlike a stride-2 transposed convolution, all four phases share one kernel, so no checkerboard.
 */
export function upsampleConv2d(layer: Layer, x: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const [batch, height, width] = x.shape;
    const [, , inputs, outputs] = layer.kernel.shape as [number, number, number, number];
    const phases = tf.matMul(
      tf.tensor2d(PHASE_MATRIX, [36, 9]),
      tf.reshape(layer.kernel, [9, inputs * outputs]),
    );
    // [phase, (a, b, in), out] → [(a, b, in), phase, out]: output channel = phase·out + out.
    const filter = tf.reshape(tf.transpose(tf.reshape(phases, [4, 9 * inputs, outputs]), [1, 0, 2]), [
      3,
      3,
      inputs,
      4 * outputs,
    ]) as tf.Tensor4D;
    const y = tf.fused.conv2d({ x, filter, strides: 1, pad: 'same', bias: tf.tile(layer.bias, [4]) });
    // Depth-to-space: channel (p, q, c) of pixel (i, j) goes to pixel (2i + p, 2j + q). Merging
    // batch with rows and q with channels keeps the shuffle a rank-4 transpose, which wasm has.
    const rows = tf.transpose(tf.reshape(y, [batch * height, width, 2, 2 * outputs]), [0, 2, 1, 3]);
    return tf.reshape(rows, [batch, height * 2, width * 2, outputs]) as tf.Tensor4D;
  });
}
