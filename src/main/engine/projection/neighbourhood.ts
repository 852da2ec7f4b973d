/**
 * How well a 2-D layout keeps classes together: for every point, the share of its k nearest
 * neighbours in the layout that carry its label, averaged over points (the "10-NN label agreement"
 * the benchmarks and tests quote). 1 means every neighbourhood is pure; random positions score
 * about Σ (class share)², 0.1 for ten balanced classes.
 */
import { exactKnn } from './knn';

/** Mean share of same-label points among each point's k nearest neighbours in `positions` (n × dim). */
export function neighbourLabelAgreement(
  positions: Float32Array,
  labels: ArrayLike<number>,
  k = 10,
  dim = 2,
): number {
  const count = labels.length;
  const knn = exactKnn(positions, count, dim, k);
  if (!knn || knn.k === 0) return 1;
  let agreeing = 0;
  for (let i = 0; i < count; i++) {
    for (let e = 0; e < knn.k; e++) if (labels[knn.indices[i * knn.k + e]!] === labels[i]) agreeing++;
  }
  return agreeing / (count * knn.k);
}
