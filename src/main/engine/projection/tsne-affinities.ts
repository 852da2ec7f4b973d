/**
 * t-SNE's input affinities P on the exact k-nearest-neighbour graph, as scikit-learn computes them
 * (`_binary_search_perplexity` + `_joint_probabilities_nn`): per point a Gaussian over its
 * neighbours' squared distances whose precision is found by bisection so its entropy is
 * log(perplexity), then P = (P + Pᵀ) / Σ, sparse and symmetric.
 */
import type { NearestNeighbours } from './knn';
import { symmetricRows } from './symmetric-rows';

/** A symmetric sparse matrix in compressed rows (CSR); values sum to 1 over all entries. */
export interface SparseAffinities {
  count: number;
  /** Row i's entries are rowStart[i] ≤ e < rowStart[i + 1]. */
  rowStart: Int32Array;
  columns: Int32Array;
  values: Float64Array;
}

/** scikit-learn's tolerance on the entropy (nats) and its cap on steps. */
const PERPLEXITY_TOLERANCE = 1e-5;
const MAX_STEPS = 100;

/**
 * Row-normalised conditional probabilities p(j | i) over each point's k neighbours (count × k,
 * aligned with `knn.indices`). The precision β solving H(β) = log(perplexity) is found by Newton's
 * method (dH/dβ = −β·Var_p(d²)) kept inside a bisection bracket: the same root to scikit-learn's
 * tolerance, in about 5 steps instead of about 30 (the exponentials dominate this function).
 */
function conditionalProbabilities(knn: NearestNeighbours, perplexity: number): Float64Array {
  const { count, k, distances } = knn;
  const conditional = new Float64Array(count * k);
  const desiredEntropy = Math.log(perplexity);
  const shifted = new Float64Array(k);
  let previousBeta = 0;
  for (let i = 0; i < count; i++) {
    // Squared distances relative to the nearest: the same distribution, without exp()
    // underflowing when every neighbour is far.
    const nearest = distances[i * k]! ** 2;
    let meanShifted = 0;
    for (let j = 0; j < k; j++) {
      shifted[j] = distances[i * k + j]! ** 2 - nearest;
      meanShifted += shifted[j]! / k;
    }
    // Start from the last converged precision (densities vary little from point to point), else
    // from the inverse mean squared distance.
    let beta = previousBeta > 0 ? previousBeta : meanShifted > 0 ? 1 / meanShifted : 1;
    let low = 0;
    let high = Infinity;
    let converged = false;
    for (let step = 0; step < MAX_STEPS; step++) {
      let sum = 0;
      let sumD = 0;
      let sumD2 = 0;
      for (let j = 0; j < k; j++) {
        const d = shifted[j]!;
        const p = Math.exp(-d * beta);
        sum += p;
        sumD += p * d;
        sumD2 += p * d * d;
      }
      const meanD = sumD / sum;
      const difference = Math.log(sum) + beta * meanD - desiredEntropy;
      converged = Math.abs(difference) <= PERPLEXITY_TOLERANCE;
      if (converged) break;
      // H falls as β grows: too much entropy means β is too small.
      if (difference > 0) low = beta;
      else high = beta;
      const slope = -beta * (sumD2 / sum - meanD * meanD);
      let next = slope < 0 ? beta - difference / slope : NaN;
      if (!(next > low && next < high)) next = high === Infinity ? beta * 2 : (low + high) / 2;
      beta = next;
    }
    // An unreachable target (all neighbours equidistant, or fewer than the perplexity) leaves β
    // far out; the next point must not start from there.
    previousBeta = converged ? beta : 0;
    let sum = 0;
    for (let j = 0; j < k; j++) {
      const p = Math.exp(-shifted[j]! * beta);
      conditional[i * k + j] = p;
      sum += p;
    }
    for (let j = 0; j < k; j++) conditional[i * k + j]! /= sum;
  }
  return conditional;
}

/** Joint affinities P = (C + Cᵀ) / Σ(C + Cᵀ) from the conditional ones (C, on the kNN graph). */
export function tsneAffinities(knn: NearestNeighbours, perplexity: number): SparseAffinities {
  const { count, k } = knn;
  const conditional = k > 0 ? conditionalProbabilities(knn, perplexity) : new Float64Array(0);
  const { rowStart, columns, values } = symmetricRows(knn, conditional, (own, reverse) => own + reverse);
  let total = 0;
  for (let e = 0; e < values.length; e++) total += values[e]!;
  const scale = total > 0 ? 1 / total : 0;
  for (let e = 0; e < values.length; e++) values[e]! *= scale;
  return { count, rowStart, columns, values };
}
