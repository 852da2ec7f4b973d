/**
 * The k nearest rows of a row-major table to one query, by Euclidean distance, exactly: a scan of
 * every row with a k-slot insertion list. For the map's sizes (up to 100,000 codes of a few dozen
 * dimensions, k ≤ a few dozen) one query is a few million multiply-adds — milliseconds — so no
 * index is worth building; the renderer's neighbour list and the engine's placement of points a
 * sampled layout left out both use it.
 */

export interface Neighbour {
  index: number;
  distance: number;
}

export interface NeighbourTable {
  /** Row-major count × dim. */
  values: ArrayLike<number>;
  count: number;
  dim: number;
}

/**
 * The `k` rows nearest to `query` (dim values), nearest first; ties keep the lower index first.
 * `exclude` (a row index, e.g. the query's own row) is never returned; `accept`, when given, must
 * return true for a row to count.
 */
export function nearestNeighbours(
  table: NeighbourTable,
  query: ArrayLike<number>,
  k: number,
  exclude = -1,
  accept?: (index: number) => boolean,
): Neighbour[] {
  const { values, count, dim } = table;
  const slots = Math.max(0, Math.min(Math.floor(k), count));
  if (slots === 0) return [];
  const indices = new Int32Array(slots);
  const squared = new Float64Array(slots).fill(Infinity);
  let filled = 0;
  for (let row = 0; row < count; row++) {
    if (row === exclude || (accept && !accept(row))) continue;
    const worst = filled < slots ? Infinity : squared[slots - 1]!;
    let sum = 0;
    const offset = row * dim;
    for (let d = 0; d < dim && sum < worst; d++) {
      const diff = values[offset + d]! - query[d]!;
      sum += diff * diff;
    }
    if (!(sum < worst)) continue;
    // Insertion from the back keeps the list sorted; equal distances stay in row order.
    let at = Math.min(filled, slots - 1);
    while (at > 0 && squared[at - 1]! > sum) {
      squared[at] = squared[at - 1]!;
      indices[at] = indices[at - 1]!;
      at--;
    }
    squared[at] = sum;
    indices[at] = row;
    if (filled < slots) filled++;
  }
  return Array.from({ length: filled }, (_, i) => ({ index: indices[i]!, distance: Math.sqrt(squared[i]!) }));
}
