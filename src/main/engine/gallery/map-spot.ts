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

/**
 * The `k` points nearest to (x, y) in the layout, with their distances, nearest first (equal
 * distances in point order). One pass keeping the best k, so a grid of spots over a large map
 * costs count × k per spot, not a sort of every point.
 */
function nearest(
  positions: Float32Array,
  x: number,
  y: number,
  k: number,
): { index: number; distance: number }[] {
  const best: { index: number; distance: number }[] = [];
  for (let i = 0; i < positions.length / 2; i++) {
    const distance = Math.hypot(positions[i * 2]! - x, positions[i * 2 + 1]! - y);
    if (best.length === k && !(distance < best[k - 1]!.distance)) continue;
    let at = best.length;
    while (at > 0 && best[at - 1]!.distance > distance) at--;
    best.splice(at, 0, { index: i, distance });
    if (best.length > k) best.pop();
  }
  return best;
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
 * Solves stored ≈ source · A + t (A 2×2) over all points and returns the map from stored (x, y)
 * back to source coordinates, or null when the points do not pin the map down (all in a line or
 * one spot).
 */
function alignmentInverse(
  source: Float32Array,
  stored: Float32Array,
): ((x: number, y: number) => [number, number]) | null {
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
  const [tx, ty] = [fit.get(2, 0), fit.get(2, 1)];
  return (x, y) => {
    const [dx, dy] = [x - tx, y - ty];
    // [u v] · A = [dx dy]  ⇒  [u v] = [dx dy] · A⁻¹.
    return [(dx * a11 - dy * a10) / determinant, (-dx * a01 + dy * a00) / determinant];
  };
}

/**
 * A reader of the latent codes the map shows: what every spot shares (the PCA axes, the fit that
 * undoes the alignment) is worked out once, so a grid of spots costs little more than one.
 */
export function spotReader(map: MapAtEpoch): (x: number, y: number) => Float32Array {
  const { method, means, count, dim } = map;
  if (method === 'axes') {
    const [ax, ay] = map.axes.map((a) => Math.min(dim - 1, Math.max(0, Math.floor(a)))) as [number, number];
    const raw = new Float32Array(count * 2);
    for (let i = 0; i < count; i++) {
      raw[i * 2] = means[i * dim + ax]!;
      raw[i * 2 + 1] = means[i * dim + ay]!;
    }
    const undo = alignmentInverse(raw, map.positions);
    return (x, y) => {
      const code = weightedMean(map, x, y);
      const exact = undo?.(x, y);
      if (exact) [code[ax], code[ay]] = exact;
      return code;
    };
  }
  if (method === 'pca') {
    const axes = principalAxes(means, count, dim);
    const undo = alignmentInverse(projectOntoAxes(means, count, dim, axes), map.positions);
    if (!undo) return (x, y) => weightedMean(map, x, y);
    return (x, y) => {
      const [u, v] = undo(x, y);
      const code = new Float32Array(dim);
      for (let d = 0; d < dim; d++) {
        code[d] = axes.mean[d]! + u * axes.components[d]! + v * axes.components[dim + d]!;
      }
      return code;
    };
  }
  return (x, y) => weightedMean(map, x, y);
}

/** The latent code that the map shows at (x, y). */
export function latentAtSpot(map: MapAtEpoch, x: number, y: number): Float32Array {
  return spotReader(map)(x, y);
}

/** The codes the map shows at each spot, row-major spots.length × dim, in the order given. */
export function latentsAtSpots(map: MapAtEpoch, spots: readonly { x: number; y: number }[]): Float32Array {
  const read = spotReader(map);
  const out = new Float32Array(spots.length * map.dim);
  spots.forEach(({ x, y }, i) => out.set(read(x, y), i * map.dim));
  return out;
}
