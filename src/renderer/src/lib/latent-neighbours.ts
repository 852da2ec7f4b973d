/**
 * The pinned point's nearest neighbours in the full latent space: by the Euclidean distance
 * between encoder means (the epoch's codes), not between spots of the 2-D layout, which UMAP and
 * t-SNE stretch and tear. Pure, so tests hold it to a brute-force sort.
 */
import { nearestNeighbours, type Neighbour } from '../../../shared/nearest-neighbours';

/** One epoch's encoder means, row-major count × dim. */
export interface LatentCodes {
  values: ArrayLike<number>;
  count: number;
  dim: number;
}

/** How many neighbours the side column lists. */
export const NEIGHBOUR_COUNT = 12;

/**
 * The `k` points whose codes are nearest to point `of`'s, nearest first (ties: lower index first),
 * the point itself left out. None for a point outside the codes.
 */
export function latentNeighbours(codes: LatentCodes, of: number, k = NEIGHBOUR_COUNT): Neighbour[] {
  const { values, count, dim } = codes;
  if (!Number.isInteger(of) || of < 0 || of >= count || dim < 1 || values.length < count * dim) return [];
  const query = Array.from({ length: dim }, (_, d) => values[of * dim + d]!);
  return nearestNeighbours(codes, query, k, of);
}

const distanceFormat = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 3 });

/** A latent distance to three significant digits: "0.412", "3.07", "12.5". */
export function formatDistance(distance: number): string {
  return Number.isFinite(distance) ? distanceFormat.format(distance) : '—';
}
