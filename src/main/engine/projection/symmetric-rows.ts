/**
 * A directed kNN graph made symmetric, row by row, as t-SNE (P + Pᵀ) and UMAP (the fuzzy union
 * A + Aᵀ − A∘Aᵀ) both need it: only the rule for an edge listed from both ends differs.
 */
import type { NearestNeighbours } from './knn';
import { reverseEdges } from './reverse-edges';

/** Compressed rows (CSR): row i's entries are rowStart[i] ≤ e < rowStart[i + 1]. */
export interface SymmetricRows {
  rowStart: Int32Array;
  columns: Int32Array;
  values: Float64Array;
}

/**
 * Row i holds i's own neighbours in kNN order, then the points that list i and that i does not
 * list, in index order; an edge listed both ways holds `merge(own, reverse)`. Rows are not
 * sorted. `weights` is row-major count × k, aligned with `knn.indices`.
 */
export function symmetricRows(
  knn: NearestNeighbours,
  weights: Float64Array,
  merge: (own: number, reverse: number) => number,
): SymmetricRows {
  const { count, k, indices } = knn;
  // Who lists each point, to add the edge's other direction.
  const { start: reverseStart, row: reverseRow, value: reverseValue } = reverseEdges(knn, weights);
  const rowStart = new Int32Array(count + 1);
  const columns = new Int32Array(2 * count * k);
  const values = new Float64Array(2 * count * k);
  // Finds a column already in the row without sorting (reset after each row).
  const slotOf = new Int32Array(count).fill(-1);
  let write = 0;
  for (let i = 0; i < count; i++) {
    rowStart[i] = write;
    for (let e = 0; e < k; e++) {
      const j = indices[i * k + e]!;
      slotOf[j] = write;
      columns[write] = j;
      values[write++] = weights[i * k + e]!;
    }
    for (let r = reverseStart[i]!; r < reverseStart[i + 1]!; r++) {
      const j = reverseRow[r]!;
      const existing = slotOf[j]!;
      if (existing >= 0) {
        values[existing] = merge(values[existing]!, reverseValue[r]!);
      } else {
        columns[write] = j;
        values[write++] = reverseValue[r]!;
      }
    }
    for (let e = rowStart[i]!; e < write; e++) slotOf[columns[e]!] = -1;
  }
  rowStart[count] = write;
  return { rowStart, columns: columns.slice(0, write), values: values.slice(0, write) };
}
