/**
 * The classic MLP VAE (Kingma & Welling; PyTorch examples/vae): x → 400 ReLU → (μ, log σ²) in
 * latentDim; z → 400 ReLU → logits of a Bernoulli per pixel. Weights are plain tf.Variables so a
 * checkpoint is a list of named tensors and every backend runs the same ops.
 */
import * as tf from '@tensorflow/tfjs-core';

export interface MlpVaeOptions {
  /** Pixels per image (28·28 = 784 for MNIST). */
  inputSize: number;
  /** Hidden units in the encoder and decoder. Default 400. */
  hiddenSize?: number;
  /** Latent dimensions. Default 20. */
  latentDim?: number;
  /** Seed for the weight initialisation. Default 0. */
  seed?: number;
}

export interface Encoded {
  mean: tf.Tensor2D;
  logVariance: tf.Tensor2D;
}

interface Dense {
  kernel: tf.Variable<tf.Rank.R2>;
  bias: tf.Variable<tf.Rank.R1>;
}

/**
 * PyTorch's nn.Linear default initialisation (U(±1/√fan_in) for kernel and bias), so the two
 * implementations start from the same distribution and their losses can be compared.
 */
function dense(name: string, fanIn: number, fanOut: number, seed: number): Dense {
  const bound = 1 / Math.sqrt(fanIn);
  return {
    kernel: tf.variable(
      tf.randomUniform([fanIn, fanOut], -bound, bound, 'float32', seed),
      true,
      `${name}/kernel`,
    ),
    bias: tf.variable(tf.randomUniform([fanOut], -bound, bound, 'float32', seed + 1), true, `${name}/bias`),
  };
}

function apply(layer: Dense, x: tf.Tensor2D): tf.Tensor2D {
  return tf.add(tf.matMul(x, layer.kernel), layer.bias);
}

export class MlpVae {
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly latentDim: number;
  private readonly encoderHidden: Dense;
  private readonly encoderMean: Dense;
  private readonly encoderLogVariance: Dense;
  private readonly decoderHidden: Dense;
  private readonly decoderOutput: Dense;

  constructor(options: MlpVaeOptions) {
    this.inputSize = options.inputSize;
    this.hiddenSize = options.hiddenSize ?? 400;
    this.latentDim = options.latentDim ?? 20;
    const seed = options.seed ?? 0;
    this.encoderHidden = dense('encoder/hidden', this.inputSize, this.hiddenSize, seed * 10 + 1);
    this.encoderMean = dense('encoder/mean', this.hiddenSize, this.latentDim, seed * 10 + 3);
    this.encoderLogVariance = dense('encoder/log_variance', this.hiddenSize, this.latentDim, seed * 10 + 5);
    this.decoderHidden = dense('decoder/hidden', this.latentDim, this.hiddenSize, seed * 10 + 7);
    this.decoderOutput = dense('decoder/output', this.hiddenSize, this.inputSize, seed * 10 + 9);
  }

  get variables(): tf.Variable[] {
    return [
      this.encoderHidden,
      this.encoderMean,
      this.encoderLogVariance,
      this.decoderHidden,
      this.decoderOutput,
    ].flatMap((layer) => [layer.kernel, layer.bias]);
  }

  encode(x: tf.Tensor2D): Encoded {
    return tf.tidy(() => {
      const hidden = tf.relu(apply(this.encoderHidden, x));
      return {
        mean: apply(this.encoderMean, hidden),
        logVariance: apply(this.encoderLogVariance, hidden),
      };
    });
  }

  /** Bernoulli logits per pixel; `tf.sigmoid` of them is the reconstruction. */
  decodeLogits(z: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => apply(this.decoderOutput, tf.relu(apply(this.decoderHidden, z))));
  }

  dispose(): void {
    for (const v of this.variables) v.dispose();
  }
}
