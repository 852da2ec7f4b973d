/**
 * The kNN graph read backwards: for each point j, the points i that list j among their neighbours,
 * with the weight i gave that edge. t-SNE and UMAP both symmetrise their directed affinities with
 * it. Built by counting sort in O(count · k), no per-row allocation.
 */
import type { NearestNeighbours } from './knn';

export interface ReverseEdges {
  /** Edges into point j are `row[start[j]] … row[start[j + 1] − 1]`. */
  start: Int32Array;
  /** The point each edge comes from. */
  row: Int32Array;
  /** The weight that point gave the edge. */
  value: Float64Array;
}

/** `weights` is row-major count × k, aligned with `knn.indices`. */
export function reverseEdges(knn: NearestNeighbours, weights: ArrayLike<number>): ReverseEdges {
  const { count, k, indices } = knn;
  const start = new Int32Array(count + 1);
  for (let e = 0; e < count * k; e++) start[indices[e]! + 1]!++;
  for (let j = 0; j < count; j++) start[j + 1]! += start[j]!;
  const fill = start.slice(0, count);
  const row = new Int32Array(count * k);
  const value = new Float64Array(count * k);
  for (let i = 0; i < count; i++) {
    for (let e = 0; e < k; e++) {
      const slot = fill[indices[i * k + e]!]!++;
      row[slot] = i;
      value[slot] = weights[i * k + e]!;
    }
  }
  return { start, row, value };
}
