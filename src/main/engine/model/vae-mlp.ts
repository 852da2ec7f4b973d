/**
 * The classic MLP VAE (Kingma & Welling; PyTorch examples/vae): x → 400 ReLU → (μ, log σ²) in
 * latentDim; z → 400 ReLU → logits of a Bernoulli per pixel. Weights are plain tf.Variables so a
 * checkpoint is a list of named tensors and every backend runs the same ops.
 */
import * as tf from '@tensorflow/tfjs-core';
import { newVariableScope, type Encoded, type VaeModel } from './vae-model';

export type { Encoded };

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

interface Dense {
  name: string;
  kernel: tf.Variable;
  bias: tf.Variable;
}

/**
 * PyTorch's nn.Linear default initialisation (U(±1/√fan_in) for kernel and bias), so the two
 * implementations start from the same distribution and their losses can be compared.
 */
function dense(scope: string, name: string, fanIn: number, fanOut: number, seed: number): Dense {
  const bound = 1 / Math.sqrt(fanIn);
  const kernel = tf.randomUniform([fanIn, fanOut], -bound, bound, 'float32', seed);
  const bias = tf.randomUniform([fanOut], -bound, bound, 'float32', seed + 1);
  return {
    name,
    kernel: tf.variable(kernel, true, `${scope}/${name}/kernel`),
    bias: tf.variable(bias, true, `${scope}/${name}/bias`),
  };
}

function apply(layer: Dense, x: tf.Tensor2D): tf.Tensor2D {
  return tf.add(tf.matMul(x, layer.kernel as tf.Tensor2D), layer.bias);
}

export class MlpVae implements VaeModel {
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly latentDim: number;
  private readonly layers: Dense[];

  constructor(options: MlpVaeOptions) {
    this.inputSize = options.inputSize;
    this.hiddenSize = options.hiddenSize ?? 400;
    this.latentDim = options.latentDim ?? 20;
    const seed = options.seed ?? 0;
    const scope = newVariableScope('mlp-vae');
    const { inputSize, hiddenSize, latentDim } = this;
    this.layers = [
      dense(scope, 'encoder/hidden', inputSize, hiddenSize, seed * 10 + 1),
      dense(scope, 'encoder/mean', hiddenSize, latentDim, seed * 10 + 3),
      dense(scope, 'encoder/log_variance', hiddenSize, latentDim, seed * 10 + 5),
      dense(scope, 'decoder/hidden', latentDim, hiddenSize, seed * 10 + 7),
      dense(scope, 'decoder/output', hiddenSize, inputSize, seed * 10 + 9),
    ];
  }

  get namedVariables(): { name: string; variable: tf.Variable }[] {
    return this.layers.flatMap((layer) => [
      { name: `${layer.name}/kernel`, variable: layer.kernel },
      { name: `${layer.name}/bias`, variable: layer.bias },
    ]);
  }

  get variables(): tf.Variable[] {
    return this.namedVariables.map((v) => v.variable);
  }

  encode(x: tf.Tensor2D): Encoded {
    const [hiddenLayer, meanLayer, logVarianceLayer] = this.layers as [Dense, Dense, Dense];
    return tf.tidy(() => {
      const hidden = tf.relu(apply(hiddenLayer, x));
      return { mean: apply(meanLayer, hidden), logVariance: apply(logVarianceLayer, hidden) };
    });
  }

  decodeLogits(z: tf.Tensor2D): tf.Tensor2D {
    const [, , , hiddenLayer, outputLayer] = this.layers as [Dense, Dense, Dense, Dense, Dense];
    return tf.tidy(() => apply(outputLayer, tf.relu(apply(hiddenLayer, z))));
  }

  dispose(): void {
    for (const v of this.variables) v.dispose();
  }
}
