/**
 * Starts a convolutional VAE with a linear path (`ConvVaeOptions.linearPath`) at probabilistic PCA of
 * its training images (Tipping & Bishop 1999), the optimum of a linear VAE (Lucas, Tucker, Grosse &
 * Norouzi 2019, "Don't Blame the ELBO!"); the convolutions then learn only what PCA misses.
 *
 * Why: on a small colour folder a convolutional VAE learns slowly. Measured on generated 64 px
 * shapes (bench/models.ts), 150 Adam steps of today's conv VAE left held-out reconstructions at
 * 13.3 dB PSNR, below the 15.8 dB of painting each image its own mean colour, while 32 principal
 * components of the same 600 training images reconstruct the held-out ones at 21.3 dB. In the
 * minutes a user gives a folder, starting from PCA is most of the result.
 *
 * With eigenvalues λⱼ and unit directions uⱼ of the pixel covariance and σ² the mean variance left
 * over, pPCA's decoder is x ≈ m + Σ uⱼ √(λⱼ − σ²) zⱼ and its posterior is N(μ, σ²/λⱼ) with
 * μⱼ = √(λⱼ − σ²)/λⱼ · uⱼᵀ(x − m). The decoder here outputs logits, so the linear map is carried
 * into logit space at the mean (sigmoid′ = m(1 − m)): b = logit(m), Bⱼ = uⱼ √(λⱼ − σ²) / (m(1 − m)).
 * The convolutional paths' last layers start at zero, so the model starts exactly there.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Layer } from './layers';
import type { PrincipalComponents } from './pca';
import type { ConvVae } from './vae-conv';

/** Means are kept this far from 0 and 1, where logit(m) and 1 / m(1 − m) would run off. */
const MEAN_MARGIN = 0.02;

export function initializeFromPca(model: ConvVae, pca: PrincipalComponents): void {
  const { encoderLinear, decoderLinear } = model;
  if (!encoderLinear || !decoderLinear) throw new Error('the model has no linear path to start from PCA');
  const k = model.latentDim;
  const d = model.inputSize;
  if (pca.mean.length !== d || pca.components.length < k * d)
    throw new Error(`PCA of ${pca.mean.length} pixels does not fit a model of ${d}`);
  const noise = pca.residualVariance;
  // Per component: the decoder's gain √(λ − σ²) and the posterior's variance σ²/λ (1 where λ ≤ σ²:
  // a component below the noise carries nothing, as in pPCA).
  const gain = Array.from({ length: k }, (_, j) => Math.sqrt(Math.max(0, (pca.variances[j] ?? 0) - noise)));
  const posteriorVariance = Array.from({ length: k }, (_, j) => {
    const variance = pca.variances[j] ?? 0;
    return variance > noise ? noise / variance : 1;
  });
  const encoderKernel = new Float32Array(d * k);
  const decoderKernel = new Float32Array(k * d);
  const decoderBias = new Float32Array(d);
  const encoderBias = new Float32Array(k);
  for (let p = 0; p < d; p++) {
    const m = Math.min(1 - MEAN_MARGIN, Math.max(MEAN_MARGIN, pca.mean[p]!));
    decoderBias[p] = Math.log(m / (1 - m));
    const slope = m * (1 - m);
    for (let j = 0; j < k; j++) {
      const u = pca.components[j * d + p]!;
      const variance = pca.variances[j] ?? 0;
      const weight = gain[j]! > 0 ? (u * gain[j]!) / variance : 0;
      encoderKernel[p * k + j] = weight / model.linearInputScale;
      encoderBias[j]! -= weight * pca.mean[p]!;
      decoderKernel[j * d + p] = (u * gain[j]!) / slope;
    }
  }
  const { mean, logVariance, image } = model.convolutionalOutputs;
  tf.tidy(() => {
    assign(encoderLinear, tf.tensor2d(encoderKernel, [d, k]), tf.tensor1d(encoderBias));
    assign(decoderLinear, tf.tensor2d(decoderKernel, [k, d]), tf.tensor1d(decoderBias));
    assign(mean, tf.zerosLike(mean.kernel), tf.zerosLike(mean.bias));
    assign(logVariance, tf.zerosLike(logVariance.kernel), tf.tensor1d(posteriorVariance.map(Math.log)));
    assign(image, tf.zerosLike(image.kernel), tf.zerosLike(image.bias));
  });
}

function assign(layer: Layer, kernel: tf.Tensor, bias: tf.Tensor): void {
  layer.kernel.assign(kernel);
  layer.bias.assign(bias);
}
