/**
 * The latent code behind a spot of the map. Raw axes and PCA are linear views of the codes, so a
 * spot maps back exactly (up to the dimensions the view does not show); t-SNE and UMAP are not, so
 * the code is the distance-weighted mean of the nearest points' codes. Stored layouts were centred
 * and rotated onto the epoch before (align.ts), so the linear views first undo that: an orthogonal
 * map plus translation, recovered by least squares from the points themselves.
 */
import { Matrix, solve } from 'ml-matrix';
import type { ProjectionMethod } from '../../../shared/projection-types';
import { principalAxes, projectOntoAxes } from '../projection/pca';

/** What decoding a spot needs of one epoch's map. */
export interface MapAtEpoch {
  method: ProjectionMethod;
  /** Encoder means of the map's points, row-major count × dim. */
  means: Float32Array;
  count: number;
  dim: number;
  /** The stored layout of `method`, count × 2. */
  positions: Float32Array;
  /** The raw axes the 'axes' layout shows (the run's projection settings). */
  axes: [number, number];
}

/** Neighbours whose codes fill in what a spot does not say. */
const NEIGHBOURS = 8;

/** The `k` points nearest to (x, y) in the layout, with their distances, nearest first. */
function nearest(
  positions: Float32Array,
  x: number,
  y: number,
  k: number,
): { index: number; distance: number }[] {
  const all: { index: number; distance: number }[] = [];
  for (let i = 0; i < positions.length / 2; i++) {
    all.push({ index: i, distance: Math.hypot(positions[i * 2]! - x, positions[i * 2 + 1]! - y) });
  }
  return all.sort((a, b) => a.distance - b.distance).slice(0, k);
}

/** Inverse-distance-weighted mean of the neighbours' codes; a spot on a point is that point's code. */
function weightedMean(map: MapAtEpoch, x: number, y: number): Float32Array {
  const { means, dim } = map;
  const neighbours = nearest(map.positions, x, y, NEIGHBOURS);
  const out = new Float32Array(dim);
  const exact = neighbours.find((n) => n.distance < 1e-9);
  if (exact) return means.slice(exact.index * dim, (exact.index + 1) * dim);
  let total = 0;
  for (const { index, distance } of neighbours) {
    const weight = 1 / distance;
    total += weight;
    for (let d = 0; d < dim; d++) out[d]! += weight * means[index * dim + d]!;
  }
  for (let d = 0; d < dim; d++) out[d]! /= total;
  return out;
}

/**
 * Solves stored ≈ source · A + t (A 2×2) over all points and returns the source coordinates of
 * (x, y), or null when the points do not pin the map down (all in a line or one spot).
 */
function undoAlignment(
  source: Float32Array,
  stored: Float32Array,
  x: number,
  y: number,
): [number, number] | null {
  const count = source.length / 2;
  if (count < 3) return null;
  const design = new Matrix(count, 3);
  const target = new Matrix(count, 2);
  for (let i = 0; i < count; i++) {
    design.setRow(i, [source[i * 2]!, source[i * 2 + 1]!, 1]);
    target.setRow(i, [stored[i * 2]!, stored[i * 2 + 1]!]);
  }
  const fit = solve(design, target, true);
  const [a00, a01, a10, a11] = [fit.get(0, 0), fit.get(0, 1), fit.get(1, 0), fit.get(1, 1)];
  const determinant = a00 * a11 - a01 * a10;
  if (!Number.isFinite(determinant) || Math.abs(determinant) < 1e-12) return null;
  const [dx, dy] = [x - fit.get(2, 0), y - fit.get(2, 1)];
  // [u v] · A = [dx dy]  ⇒  [u v] = [dx dy] · A⁻¹.
  return [(dx * a11 - dy * a10) / determinant, (-dx * a01 + dy * a00) / determinant];
}

/** The latent code that the map shows at (x, y). */
export function latentAtSpot(map: MapAtEpoch, x: number, y: number): Float32Array {
  const { method, means, count, dim } = map;
  if (method === 'axes') {
    const [ax, ay] = map.axes.map((a) => Math.min(dim - 1, Math.max(0, Math.floor(a)))) as [number, number];
    const raw = new Float32Array(count * 2);
    for (let i = 0; i < count; i++) {
      raw[i * 2] = means[i * dim + ax]!;
      raw[i * 2 + 1] = means[i * dim + ay]!;
    }
    const code = weightedMean(map, x, y);
    const exact = undoAlignment(raw, map.positions, x, y);
    if (exact) [code[ax], code[ay]] = exact;
    return code;
  }
  if (method === 'pca') {
    const axes = principalAxes(means, count, dim);
    const exact = undoAlignment(projectOntoAxes(means, count, dim, axes), map.positions, x, y);
    if (!exact) return weightedMean(map, x, y);
    const code = new Float32Array(dim);
    for (let d = 0; d < dim; d++) {
      code[d] = axes.mean[d]! + exact[0] * axes.components[d]! + exact[1] * axes.components[dim + d]!;
    }
    return code;
  }
  return weightedMean(map, x, y);
}
