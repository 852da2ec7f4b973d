/**
 * The MLP VAE (Kingma & Welling; PyTorch examples/vae): x → `depth` × `width` ReLU → (μ, log σ²);
 * z → `depth` × `width` ReLU → one output per pixel. With depth 1 and width 400 it is exactly the
 * classic 784-400-20 model.
 */
import * as tf from '@tensorflow/tfjs-core';
import { dense, makeLayer, namedVariablesOf, type Layer } from './layers';
import { VaeBase, type LikelihoodOptions } from './vae-base';
import type { Encoded } from './vae-model';

export type { Encoded };

export interface MlpVaeOptions extends LikelihoodOptions {
  /** Pixels per image (28·28 = 784 for MNIST). */
  inputSize: number;
  /** Hidden units per layer. Default 400. */
  hiddenSize?: number;
  /** Hidden layers in the encoder and in the decoder. Default 1. */
  depth?: number;
  /** Latent dimensions. Default 20. */
  latentDim?: number;
  /** Channels interleaved in each image (NHWC), for the per-channel scale. Default 1. */
  channels?: number;
  /** Seed for the weight initialisation. Default 0. */
  seed?: number;
}

export class MlpVae extends VaeBase {
  readonly hiddenSize: number;
  private readonly encoderHidden: Layer[];
  private readonly encoderMean: Layer;
  private readonly encoderLogVariance: Layer;
  private readonly decoderHidden: Layer[];
  private readonly decoderOutput: Layer;

  constructor(options: MlpVaeOptions) {
    super('mlp-vae', options.inputSize, options.latentDim ?? 20, options.channels ?? 1, options);
    this.hiddenSize = options.hiddenSize ?? 400;
    const depth = options.depth ?? 1;
    const seed = (options.seed ?? 0) * 100;
    const { scope, inputSize, hiddenSize, latentDim } = this;
    const suffix = (i: number) => (i === 0 ? '' : `_${i + 1}`);
    /** `depth` dense layers from `inputs` values to `hiddenSize`, seeded from `firstSeed` on. */
    const hiddenLayers = (part: 'encoder' | 'decoder', inputs: number, firstSeed: number) =>
      Array.from({ length: depth }, (_, i) => {
        const fanIn = i === 0 ? inputs : hiddenSize;
        return makeLayer(scope, `${part}/hidden${suffix(i)}`, [fanIn, hiddenSize], fanIn, firstSeed + 2 * i);
      });
    this.encoderHidden = hiddenLayers('encoder', inputSize, seed + 1);
    this.encoderMean = makeLayer(scope, 'encoder/mean', [hiddenSize, latentDim], hiddenSize, seed + 21);
    this.encoderLogVariance = makeLayer(
      scope,
      'encoder/log_variance',
      [hiddenSize, latentDim],
      hiddenSize,
      seed + 23,
    );
    this.decoderHidden = hiddenLayers('decoder', latentDim, seed + 41);
    this.decoderOutput = makeLayer(scope, 'decoder/output', [hiddenSize, inputSize], hiddenSize, seed + 61);
  }

  get namedVariables(): { name: string; variable: tf.Variable }[] {
    const layers = [
      ...this.encoderHidden,
      this.encoderMean,
      this.encoderLogVariance,
      ...this.decoderHidden,
      this.decoderOutput,
    ];
    return namedVariablesOf(layers, this.logSigma, this.logScale);
  }

  encode(x: tf.Tensor2D): Encoded {
    return tf.tidy(() => {
      const hidden = this.encoderHidden.reduce((h, layer) => tf.relu(dense(layer, h)), x);
      return { mean: dense(this.encoderMean, hidden), logVariance: dense(this.encoderLogVariance, hidden) };
    });
  }

  decodeLogits(z: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const hidden = this.decoderHidden.reduce((h, layer) => tf.relu(dense(layer, h)), z);
      return dense(this.decoderOutput, hidden);
    });
  }
}
