/**
 * What a likelihood's figures mean, shared by the engine (which writes bits/dim) and the renderer
 * (which labels them). Pure TypeScript.
 */
import type { Likelihood } from './train-settings';

/**
 * Whether −ELBO / (D · ln 2) is a bits/dim worth showing: true for probability masses
 * (discretized logistic over the 256 levels; Bernoulli, exact on binary images), false for the
 * continuous Gaussian densities on [0, 1], whose "bits" can be negative and compare with nothing.
 */
export function reportsBitsPerDim(likelihood: Likelihood): boolean {
  return likelihood === 'discretized-logistic' || likelihood === 'bernoulli';
}

/** Short names for tables and chart legends. */
export const LIKELIHOOD_SHORT_NAMES: Record<Likelihood, string> = {
  bernoulli: 'Bernoulli',
  'discretized-logistic': 'Disc. logistic',
  'gaussian-fixed': 'Gaussian σ=0.1',
  'gaussian-learned': 'Gaussian, learned σ',
};

/** Why a likelihood's bits/dim is hidden or what it is a bound on, for tooltips. */
export function bitsPerDimNote(likelihood: Likelihood): string {
  switch (likelihood) {
    case 'discretized-logistic':
      return 'Bits per 8-bit pixel channel: an upper bound on the NLL, comparable with published results';
    case 'bernoulli':
      return 'Bits per pixel under a Bernoulli: a bound on the NLL of binary images; on grey levels a cross-entropy';
    case 'gaussian-fixed':
    case 'gaussian-learned':
      return 'Not shown: a Gaussian is a density on [0, 1], not a probability of the 8-bit pixels, so its bits/dim is meaningless (and can be negative). Use the discretized logistic likelihood to compare';
  }
}
