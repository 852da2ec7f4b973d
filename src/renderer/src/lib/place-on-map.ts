/**
 * Where a code from outside the dataset (an image the user brought) goes on the map. The rule:
 *
 * - PCA and raw axes are affine views of the codes: a projection onto two directions, then the
 *   rotation and shift that keep each epoch in the frame of the one before (the engine's
 *   align.ts). An affine map fitted by least squares from the display points' codes to their
 *   positions is then that view exactly, and the new code goes through it: the exact projection.
 *   The fit is checked against the points; a layout it does not reproduce (say, a half-converged
 *   frame) falls back to the next rule.
 * - t-SNE and UMAP have no map for a new code. The image goes to the inverse-distance-weighted
 *   mean of the layout positions of its K nearest display points, nearness measured between codes
 *   in the full latent space (not on the 2-D map, which those methods stretch and tear), with
 *   weights 1 / distance; a code equal to a point's goes onto that point.
 *
 * Pure, so tests hold it to known projections.
 */
import type { ProjectionMethod } from '../../../shared/projection-types';
import { nearestNeighbours, type Neighbour } from '../../../shared/nearest-neighbours';

/** Display points whose positions are averaged for a t-SNE / UMAP placement. */
export const PLACE_NEIGHBOURS = 5;
/** Rows the affine fit reads at most: any dim + 1 points in general position pin an affine map down. */
const FIT_ROWS = 2_048;
/** Largest RMS residual of the fit, relative to the RMS spread of the positions, that counts as exact. */
const EXACT_TOLERANCE = 1e-3;

/** One epoch's codes and the layout of them the map shows. */
export interface MapFrame {
  method: ProjectionMethod;
  /** Encoder means, row-major count × dim. */
  means: ArrayLike<number>;
  count: number;
  dim: number;
  /** count × 2. */
  positions: ArrayLike<number>;
}

/** code → (x, y): an affine map, (x, y) = W · (code − centre) + offset. */
export interface AffineView {
  centre: Float64Array;
  /** 2 × dim, row-major. */
  weights: Float64Array;
  offset: [number, number];
}

export interface Placement {
  x: number;
  y: number;
  rule: 'projection' | 'neighbours';
  /** The nearest display points by code, nearest first (always given: the side column lists them). */
  neighbours: Neighbour[];
}

/**
 * The affine map from codes to positions, when the layout is one (PCA, raw axes) and the points
 * pin it down; null otherwise. Least squares on the centred codes (normal equations, solved in
 * doubles with partial pivoting): a dimension whose codes do not vary (a collapsed unit) gets
 * weight 0 rather than an arbitrary one.
 */
export function fitAffineView(frame: MapFrame): AffineView | null {
  const { means, count, dim, positions } = frame;
  if (dim < 1 || count < dim + 2 || means.length < count * dim || positions.length < count * 2) return null;
  const stride = Math.max(1, Math.floor(count / FIT_ROWS));
  const rows: number[] = [];
  for (let i = 0; i < count && rows.length < FIT_ROWS; i += stride) rows.push(i);
  const centre = new Float64Array(dim);
  let meanX = 0;
  let meanY = 0;
  for (const i of rows) {
    for (let d = 0; d < dim; d++) centre[d]! += means[i * dim + d]!;
    meanX += positions[2 * i]!;
    meanY += positions[2 * i + 1]!;
  }
  for (let d = 0; d < dim; d++) centre[d]! /= rows.length;
  meanX /= rows.length;
  meanY /= rows.length;
  // Normal equations (XᵀX) w = Xᵀy for both coordinates at once: dim × (dim + 2).
  const system = Array.from({ length: dim }, () => new Float64Array(dim + 2));
  const centred = new Float64Array(dim);
  for (const i of rows) {
    for (let d = 0; d < dim; d++) centred[d] = means[i * dim + d]! - centre[d]!;
    const px = positions[2 * i]! - meanX;
    const py = positions[2 * i + 1]! - meanY;
    for (let r = 0; r < dim; r++) {
      const row = system[r]!;
      const v = centred[r]!;
      if (v === 0) continue;
      for (let c = r; c < dim; c++) row[c]! += v * centred[c]!;
      row[dim]! += v * px;
      row[dim + 1]! += v * py;
    }
  }
  for (let r = 0; r < dim; r++) for (let c = 0; c < r; c++) system[r]![c] = system[c]![r]!;
  const solution = solveSymmetric(system, dim);
  if (!solution) return null;
  const weights = new Float64Array(2 * dim);
  for (let d = 0; d < dim; d++) {
    weights[d] = solution[d]![0]!;
    weights[dim + d] = solution[d]![1]!;
  }
  const view: AffineView = { centre, weights, offset: [meanX, meanY] };
  // Exact only if it reproduces the layout: a t-SNE or UMAP layout (or a frame still converging)
  // is not an affine image of the codes, and least squares would place the image somewhere vague.
  let residual = 0;
  let spread = 0;
  for (const i of rows) {
    const [x, y] = applyAffine(view, means, i * dim, dim);
    residual += (x - positions[2 * i]!) ** 2 + (y - positions[2 * i + 1]!) ** 2;
    spread += (positions[2 * i]! - meanX) ** 2 + (positions[2 * i + 1]! - meanY) ** 2;
  }
  if (!(spread > 0) || Math.sqrt(residual / spread) > EXACT_TOLERANCE) return null;
  return view;
}

/** (x, y) of the code at `values[from … from + dim)` under an affine view. */
export function applyAffine(
  view: AffineView,
  values: ArrayLike<number>,
  from = 0,
  dim = view.centre.length,
): [number, number] {
  let x = view.offset[0];
  let y = view.offset[1];
  for (let d = 0; d < dim; d++) {
    const v = values[from + d]! - view.centre[d]!;
    x += view.weights[d]! * v;
    y += view.weights[dim + d]! * v;
  }
  return [x, y];
}

/**
 * Solves A w = b for the dim × dim block of `system` (b: its last two columns) by Gauss–Jordan
 * elimination with partial pivoting; a pivot that is ~0 next to the largest diagonal entry is an
 * unused dimension and its weights are 0. Null when nothing is left to solve (every code equal).
 */
function solveSymmetric(system: Float64Array[], dim: number): Float64Array[] | null {
  let scale = 0;
  for (let d = 0; d < dim; d++) scale = Math.max(scale, Math.abs(system[d]![d]!));
  if (!(scale > 0)) return null;
  const tiny = scale * 1e-12;
  const used = new Array<boolean>(dim).fill(false);
  for (let col = 0; col < dim; col++) {
    let pivot = -1;
    let best = tiny;
    for (let r = col; r < dim; r++) {
      const value = Math.abs(system[r]![col]!);
      if (value > best) {
        best = value;
        pivot = r;
      }
    }
    if (pivot < 0) {
      // A collapsed dimension: its column is left out of every row.
      for (let r = 0; r < dim; r++) system[r]![col] = 0;
      continue;
    }
    [system[col], system[pivot]] = [system[pivot]!, system[col]!];
    used[col] = true;
    const row = system[col]!;
    const inverse = 1 / row[col]!;
    for (let c = col; c < dim + 2; c++) row[c]! *= inverse;
    for (let r = 0; r < dim; r++) {
      if (r === col) continue;
      const other = system[r]!;
      const factor = other[col]!;
      if (factor === 0) continue;
      for (let c = col; c < dim + 2; c++) other[c]! -= factor * row[c]!;
    }
  }
  return system.map((row, d) => Float64Array.of(used[d] ? row[dim]! : 0, used[d] ? row[dim + 1]! : 0));
}

/**
 * Where `code` goes on the map (see the rule above). `view` is the frame's affine fit, when the
 * caller has one (it costs one pass over the points, so it is fitted once per layout, not per image).
 */
export function placeCode(
  frame: MapFrame,
  code: ArrayLike<number>,
  view: AffineView | null,
  k = PLACE_NEIGHBOURS,
): Placement | null {
  const { means, count, dim, positions } = frame;
  if (code.length !== dim || count === 0) return null;
  const neighbours = nearestNeighbours({ values: means, count, dim }, code, k);
  const linear = frame.method === 'pca' || frame.method === 'axes';
  if (linear && view) {
    const [x, y] = applyAffine(view, code);
    if (Number.isFinite(x) && Number.isFinite(y)) return { x, y, rule: 'projection', neighbours };
  }
  if (neighbours.length === 0) return null;
  const exact = neighbours.find((n) => n.distance < 1e-9);
  if (exact) {
    return {
      x: positions[2 * exact.index]!,
      y: positions[2 * exact.index + 1]!,
      rule: 'neighbours',
      neighbours,
    };
  }
  let x = 0;
  let y = 0;
  let total = 0;
  for (const { index, distance } of neighbours) {
    const weight = 1 / distance;
    x += weight * positions[2 * index]!;
    y += weight * positions[2 * index + 1]!;
    total += weight;
  }
  return { x: x / total, y: y / total, rule: 'neighbours', neighbours };
}
