/**
 * A layout that costs a fixed amount whatever the number of points: t-SNE or UMAP runs on an
 * evenly spread sample, and every other point is placed at the distance-weighted mean of the
 * positions of its nearest sampled points in the latent space (the codes, not the layout). The
 * live map uses it while training shares the cores (issue 17: the map may cost training at most
 * 10 %); the full layout follows when training ends. Placement by latent neighbours is the
 * out-of-sample extension of Bengio et al. 2004 in its simplest, kernel-free form; it keeps each
 * point beside the sampled points whose codes it resembles, which is what the live map is for.
 */
import { nearestNeighbours } from '../../../shared/nearest-neighbours';

/** Sampled points a placed point takes its position from. */
export const PLACEMENT_NEIGHBOURS = 5;

/**
 * `sample` indices spread evenly over 0…count−1 (every count/sample-th). The map's points are a
 * stratified pick already, so an even stride keeps the classes' shares; and the same indices
 * every epoch let each sampled layout warm-start from the one before.
 */
export function sampleIndices(count: number, sample: number): Uint32Array {
  const size = Math.max(0, Math.min(count, Math.floor(sample)));
  return Uint32Array.from({ length: size }, (_, i) => Math.floor((i * count) / size));
}

/** The sampled rows of a row-major table with `width` values per row. */
export function rowsOf(values: Float32Array, width: number, indices: Uint32Array): Float32Array {
  const out = new Float32Array(indices.length * width);
  indices.forEach((row, i) => out.set(values.subarray(row * width, (row + 1) * width), i * width));
  return out;
}

/**
 * Positions for all `count` points: the sampled ones from `sampled` (indices.length × 2), every
 * other one at the inverse-distance-weighted mean of its `k` nearest sampled codes' positions (a
 * code equal to a sampled one lands on it).
 */
export function placeAround(
  codes: { values: Float32Array; count: number; dim: number },
  indices: Uint32Array,
  sampled: Float32Array,
  k = PLACEMENT_NEIGHBOURS,
): Float32Array {
  const { values, count, dim } = codes;
  const positions = new Float32Array(count * 2);
  const isSampled = new Uint8Array(count);
  indices.forEach((row, i) => {
    isSampled[row] = 1;
    positions[row * 2] = sampled[i * 2]!;
    positions[row * 2 + 1] = sampled[i * 2 + 1]!;
  });
  const table = { values: rowsOf(values, dim, indices), count: indices.length, dim };
  for (let row = 0; row < count; row++) {
    if (isSampled[row]) continue;
    const near = nearestNeighbours(table, values.subarray(row * dim, (row + 1) * dim), k);
    let x = 0;
    let y = 0;
    let total = 0;
    for (const { index, distance } of near) {
      // 1e-6: a code identical to a sampled one takes (almost) all the weight, never a division by 0.
      const weight = 1 / (distance + 1e-6);
      x += weight * sampled[index * 2]!;
      y += weight * sampled[index * 2 + 1]!;
      total += weight;
    }
    positions[row * 2] = total > 0 ? x / total : 0;
    positions[row * 2 + 1] = total > 0 ? y / total : 0;
  }
  return positions;
}
