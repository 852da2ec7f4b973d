/**
 * The convolutional VAE: `depth` stride-2 3×3 convolutions (channels width, 2·width, …, ReLU), a
 * dense layer to (μ, log σ²); the decoder mirrors it with a dense layer and stride-2 3×3
 * transposed convolutions back to the image. Images and outputs stay flattened at the model's
 * edges ([batch, size·size·channels], NHWC order), like the MLP, so training code is shared.
 */
import * as tf from '@tensorflow/tfjs-core';
import { dense, makeLayer, makeZeroLayer, namedVariablesOf, type Layer } from './layers';
import { VaeBase, type LikelihoodOptions } from './vae-base';
import type { Encoded } from './vae-model';

export interface ConvVaeOptions extends LikelihoodOptions {
  /** Side of the square images. */
  size: number;
  channels: 1 | 3;
  /** Latent dimensions. Default 20. */
  latentDim?: number;
  /** Channels of the first convolution; each further one doubles. Default 32. */
  width?: number;
  /** Stride-2 downsamplings; lowered if the size does not halve that often evenly. Default 2. */
  depth?: number;
  /**
   * Adds a linear path beside the convolutions: μ gains a linear map of the pixels and the decoder's
   * logits a linear map of z, both zero until `initializeFromPca` sets them to probabilistic PCA of
   * the training images (`pca-init.ts`). Default false.
   */
  linearPath?: boolean;
  /** Seed for the weight initialisation. Default 0. */
  seed?: number;
}

const KERNEL = 3;

/** `ConvVae.linearInputScale` for images of `inputSize` pixels (the ONNX export reads it too). */
export function linearInputScaleOf(inputSize: number): number {
  return 1 / Math.sqrt(inputSize);
}

/** The most halvings (up to `wanted`) that keep the size a whole number, so decoders can mirror encoders. */
export function usableDepth(size: number, wanted: number): number {
  let depth = 0;
  while (depth < wanted && size % 2 ** (depth + 1) === 0 && size / 2 ** (depth + 1) >= 2) depth++;
  return Math.max(1, depth);
}

export class ConvVae extends VaeBase {
  readonly depth: number;
  private readonly size: number;
  private readonly channels: number;
  private readonly channelsAt: number[];
  private readonly bottleneck: number;
  private readonly encoderConvs: Layer[];
  private readonly encoderMean: Layer;
  private readonly encoderLogVariance: Layer;
  private readonly decoderDense: Layer;
  private readonly decoderConvs: Layer[];
  /** The linear path (`linearPath`): pixels → μ and z → logits. */
  readonly encoderLinear?: Layer;
  readonly decoderLinear?: Layer;
  /**
   * The encoder's linear path reads the pixels times 1/√D: Adam moves every weight by about the
   * learning rate per step, so with D = 12,288 inputs an unscaled kernel would move μ by ~6 in one
   * step and throw the PCA start away; scaled, by ~0.05 (a per-layer learning rate, in effect).
   */
  readonly linearInputScale: number;

  constructor(options: ConvVaeOptions) {
    const { size, channels } = options;
    super('conv-vae', size * size * channels, options.latentDim ?? 20, channels, options);
    this.size = size;
    this.channels = channels;
    this.depth = usableDepth(options.size, options.depth ?? 2);
    this.linearInputScale = linearInputScaleOf(this.inputSize);
    const width = options.width ?? 32;
    const seed = (options.seed ?? 0) * 100;
    const { scope } = this;
    this.channelsAt = Array.from({ length: this.depth }, (_, i) => width * 2 ** i);
    const last = this.channelsAt[this.depth - 1]!;
    this.bottleneck = options.size / 2 ** this.depth;
    const flat = this.bottleneck * this.bottleneck * last;

    this.encoderConvs = this.channelsAt.map((out, i) => {
      const input = i === 0 ? this.channels : this.channelsAt[i - 1]!;
      return makeLayer(
        scope,
        `encoder/conv${i + 1}`,
        [KERNEL, KERNEL, input, out],
        KERNEL * KERNEL * input,
        seed + 1 + 2 * i,
      );
    });
    this.encoderMean = makeLayer(scope, 'encoder/mean', [flat, this.latentDim], flat, seed + 21);
    this.encoderLogVariance = makeLayer(
      scope,
      'encoder/log_variance',
      [flat, this.latentDim],
      flat,
      seed + 23,
    );
    this.decoderDense = makeLayer(scope, 'decoder/dense', [this.latentDim, flat], this.latentDim, seed + 41);
    // Transposed-conv filters are [k, k, out, in]; PyTorch's fan-in for them is in·k·k of the forward view.
    this.decoderConvs = this.channelsAt.map((_, i) => {
      const input = this.channelsAt[this.depth - 1 - i]!;
      const out = i === this.depth - 1 ? this.channels : this.channelsAt[this.depth - 2 - i]!;
      const layer = makeLayer(
        scope,
        `decoder/deconv${i + 1}`,
        [KERNEL, KERNEL, input, out],
        KERNEL * KERNEL * out,
        seed + 61 + 2 * i,
      );
      // Stored as [k, k, out, in] for conv2dTranspose; re-create with the right layout.
      const filter = tf.tidy(() => tf.transpose(layer.kernel, [0, 1, 3, 2]));
      layer.kernel.dispose();
      const kernel = tf.variable(filter, true, `${scope}/decoder/deconv${i + 1}/kernel`);
      filter.dispose();
      return { ...layer, kernel };
    });
    if (options.linearPath) {
      this.encoderLinear = makeZeroLayer(scope, 'encoder/linear', [this.inputSize, this.latentDim]);
      this.decoderLinear = makeZeroLayer(scope, 'decoder/linear', [this.latentDim, this.inputSize]);
    }
  }

  /** The layers that end each path of the convolutional part, which a PCA start zeroes. */
  get convolutionalOutputs(): { mean: Layer; logVariance: Layer; image: Layer } {
    return {
      mean: this.encoderMean,
      logVariance: this.encoderLogVariance,
      image: this.decoderConvs[this.decoderConvs.length - 1]!,
    };
  }

  get namedVariables(): { name: string; variable: tf.Variable }[] {
    const layers = [
      ...this.encoderConvs,
      this.encoderMean,
      this.encoderLogVariance,
      this.decoderDense,
      ...this.decoderConvs,
      ...(this.encoderLinear && this.decoderLinear ? [this.encoderLinear, this.decoderLinear] : []),
    ];
    return namedVariablesOf(layers, this.logSigma, this.logScale);
  }

  encode(x: tf.Tensor2D): Encoded {
    return tf.tidy(() => {
      let h: tf.Tensor4D = tf.reshape(x, [-1, this.size, this.size, this.channels]);
      for (const layer of this.encoderConvs) {
        h = tf.relu(tf.add(tf.conv2d(h, layer.kernel as tf.Tensor4D, 2, 'same'), layer.bias)) as tf.Tensor4D;
      }
      const flat = tf.reshape(h, [h.shape[0], -1]) as tf.Tensor2D;
      const convMean = dense(this.encoderMean, flat);
      const mean = this.encoderLinear
        ? tf.add(convMean, dense(this.encoderLinear, tf.mul(x, this.linearInputScale)))
        : convMean;
      return { mean: mean as tf.Tensor2D, logVariance: dense(this.encoderLogVariance, flat) };
    });
  }

  decodeLogits(z: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const batch = z.shape[0];
      const last = this.channelsAt[this.depth - 1]!;
      let h: tf.Tensor4D = tf.reshape(tf.relu(dense(this.decoderDense, z)), [
        batch,
        this.bottleneck,
        this.bottleneck,
        last,
      ]);
      this.decoderConvs.forEach((layer, i) => {
        const side = this.bottleneck * 2 ** (i + 1);
        const out = layer.kernel.shape[2]!;
        const up = tf.add(
          tf.conv2dTranspose(h, layer.kernel as tf.Tensor4D, [batch, side, side, out], 2, 'same'),
          layer.bias,
        );
        h = (i === this.decoderConvs.length - 1 ? up : tf.relu(up)) as tf.Tensor4D;
      });
      const logits = tf.reshape(h, [batch, this.inputSize]) as tf.Tensor2D;
      return this.decoderLinear ? tf.add(logits, dense(this.decoderLinear, z)) : logits;
    });
  }
}
