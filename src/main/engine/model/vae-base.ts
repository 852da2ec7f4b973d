/**
 * What every VAE architecture has besides its layers: the sizes `VaeModel` names, its own variable
 * scope, the likelihood's learned weights, and the variable list and disposal that follow from
 * `namedVariables`. Each architecture builds and runs its layers itself.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { makeLogScale, makeLogSigma } from './layers';
import { newVariableScope, type Encoded, type VaeModel } from './vae-model';

/** The likelihood weights an architecture's options may ask for. */
export interface LikelihoodOptions {
  /** Adds a learned log σ for a Gaussian likelihood. Default false. */
  learnedVariance?: boolean;
  /** Adds a learned log-scale per channel for a discretized logistic likelihood. Default false. */
  learnedScale?: boolean;
}

export abstract class VaeBase implements VaeModel {
  readonly logSigma?: tf.Variable<tf.Rank.R0>;
  readonly logScale?: tf.Variable<tf.Rank.R1>;
  /** Prefix of this instance's tf variable names, so several models can coexist. */
  protected readonly scope: string;

  /**
   * `kind` names the scope ('mlp-vae', …); `channels` are interleaved in each image (NHWC), one
   * log-scale each. The likelihood's weights have constant starts, so making them before the
   * layers changes no seeded value.
   */
  protected constructor(
    kind: string,
    readonly inputSize: number,
    readonly latentDim: number,
    channels: number,
    likelihood: LikelihoodOptions,
  ) {
    this.scope = newVariableScope(kind);
    if (likelihood.learnedVariance) this.logSigma = makeLogSigma(this.scope) as tf.Variable<tf.Rank.R0>;
    if (likelihood.learnedScale) this.logScale = makeLogScale(this.scope, channels);
  }

  abstract get namedVariables(): { name: string; variable: tf.Variable }[];
  abstract encode(x: tf.Tensor2D): Encoded;
  abstract decodeLogits(z: tf.Tensor2D): tf.Tensor2D;

  get variables(): tf.Variable[] {
    return this.namedVariables.map((v) => v.variable);
  }

  dispose(): void {
    for (const v of this.variables) v.dispose();
  }
}
