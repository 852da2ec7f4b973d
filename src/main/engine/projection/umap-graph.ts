/**
 * UMAP's fuzzy simplicial set on the exact kNN graph, as umap-learn builds it: per point a
 * distance offset ρ (nearest neighbour) and a scale σ found by bisection so Σ exp(−(d − ρ)/σ) =
 * log2(k), memberships exp(−(d − ρ)/σ), then the fuzzy union A + Aᵀ − A∘Aᵀ.
 */
import type { NearestNeighbours } from './knn';
import { symmetricRows } from './symmetric-rows';

/** Undirected edges listed from both ends (as umap-learn's COO graph), with their weights. */
export interface FuzzyGraph {
  count: number;
  head: Int32Array;
  tail: Int32Array;
  weight: Float64Array;
}

const SMOOTH_K_TOLERANCE = 1e-5;
const MIN_K_DIST_SCALE = 1e-3;
const BISECTION_STEPS = 64;

/**
 * Memberships of each point's neighbours (count × k, aligned with knn.indices). `neighbours` is
 * umap-learn's n_neighbors, which counts the point itself (so knn.k is one less).
 */
function memberships(knn: NearestNeighbours, neighbours: number): Float64Array {
  const { count, k, distances } = knn;
  const target = Math.log2(neighbours);
  const out = new Float64Array(count * k);
  let meanOfAll = 0;
  for (let e = 0; e < count * k; e++) meanOfAll += distances[e]! / (count * k);
  for (let i = 0; i < count; i++) {
    let rho = 0;
    let mean = 0;
    for (let j = 0; j < k; j++) {
      const d = distances[i * k + j]!;
      if (rho === 0 && d > 0) rho = d;
      mean += d / k;
    }
    let low = 0;
    let high = Infinity;
    let sigma = 1;
    for (let step = 0; step < BISECTION_STEPS; step++) {
      let sum = 0;
      for (let j = 0; j < k; j++) {
        const d = distances[i * k + j]! - rho;
        sum += d > 0 ? Math.exp(-d / sigma) : 1;
      }
      if (Math.abs(sum - target) < SMOOTH_K_TOLERANCE) break;
      if (sum > target) {
        high = sigma;
        sigma = (low + high) / 2;
      } else {
        low = sigma;
        sigma = high === Infinity ? sigma * 2 : (low + high) / 2;
      }
    }
    // umap-learn keeps σ from collapsing on points whose neighbours are all at one distance.
    const floor = MIN_K_DIST_SCALE * (rho > 0 ? mean : meanOfAll);
    if (sigma < floor) sigma = floor;
    for (let j = 0; j < k; j++) {
      const d = distances[i * k + j]! - rho;
      out[i * k + j] = d <= 0 ? 1 : Math.exp(-d / sigma);
    }
  }
  return out;
}

/** The symmetric fuzzy graph; edges of zero weight are dropped. */
export function fuzzySimplicialSet(knn: NearestNeighbours, neighbours: number): FuzzyGraph {
  const { count, k } = knn;
  const strength = k > 0 ? memberships(knn, neighbours) : new Float64Array(0);
  // Row i of A + Aᵀ − A∘Aᵀ: own neighbours first, then points listing i that i does not list.
  const { rowStart, columns, values } = symmetricRows(knn, strength, (a, b) => a + b - a * b);
  const head = new Int32Array(values.length);
  const tail = new Int32Array(values.length);
  const weight = new Float64Array(values.length);
  let kept = 0;
  for (let i = 0; i < count; i++) {
    for (let e = rowStart[i]!; e < rowStart[i + 1]!; e++) {
      if (!(values[e]! > 0)) continue;
      head[kept] = i;
      tail[kept] = columns[e]!;
      weight[kept++] = values[e]!;
    }
  }
  return { count, head: head.slice(0, kept), tail: tail.slice(0, kept), weight: weight.slice(0, kept) };
}
