/**
 * 2-D PCA of latent codes: the two directions of largest variance, from the eigenvectors of the
 * dim × dim covariance (exact; dim ≤ 256, so the decomposition is instant next to the O(count·dim²)
 * covariance pass, and no count × dim copy is made as an SVD of the data would need).
 */
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { alignToPrevious } from './align';

export interface PrincipalAxes {
  /** The mean code (dim). */
  mean: Float32Array;
  /**
   * Row-major 2 × dim unit directions, largest variance first. Each row's largest-magnitude entry
   * is positive, so the axes do not flip between identical inputs. A position (x, y) maps back to
   * the code mean + x·row0 + y·row1.
   */
  components: Float32Array;
}

/** The mean and the first two principal directions (zero rows where the data has fewer). */
export function principalAxes(values: Float32Array, count: number, dim: number): PrincipalAxes {
  const mean = new Float64Array(dim);
  for (let i = 0; i < count; i++) for (let d = 0; d < dim; d++) mean[d]! += values[i * dim + d]!;
  for (let d = 0; d < dim; d++) mean[d]! /= Math.max(1, count);
  const covariance = new Float64Array(dim * dim);
  const centred = new Float64Array(dim);
  for (let i = 0; i < count; i++) {
    for (let d = 0; d < dim; d++) centred[d] = values[i * dim + d]! - mean[d]!;
    for (let a = 0; a < dim; a++) {
      const va = centred[a]!;
      for (let b = a; b < dim; b++) covariance[a * dim + b]! += va * centred[b]!;
    }
  }
  const rows: number[][] = [];
  for (let a = 0; a < dim; a++) {
    rows.push(Array.from({ length: dim }, (_, b) => covariance[Math.min(a, b) * dim + Math.max(a, b)]!));
  }
  const components = new Float32Array(2 * dim);
  if (dim > 0 && count > 1) {
    const decomposition = new EigenvalueDecomposition(new Matrix(rows), { assumeSymmetric: true });
    const eigenvalues = decomposition.realEigenvalues;
    const vectors = decomposition.eigenvectorMatrix;
    const byVariance = eigenvalues.map((_, i) => i).sort((a, b) => eigenvalues[b]! - eigenvalues[a]!);
    for (let c = 0; c < Math.min(2, dim); c++) {
      const column = byVariance[c]!;
      if (!(eigenvalues[column]! > 0)) break;
      let largest = 0;
      for (let d = 0; d < dim; d++) {
        if (Math.abs(vectors.get(d, column)) > Math.abs(largest)) largest = vectors.get(d, column);
      }
      const sign = largest < 0 ? -1 : 1;
      for (let d = 0; d < dim; d++) components[c * dim + d] = sign * vectors.get(d, column);
    }
  }
  return { mean: Float32Array.from(mean), components };
}

/** Coordinates of each code along the two axes (count × 2). */
export function projectOntoAxes(
  values: Float32Array,
  count: number,
  dim: number,
  axes: PrincipalAxes,
): Float32Array {
  const { mean, components } = axes;
  const out = new Float32Array(count * 2);
  for (let i = 0; i < count; i++) {
    let x = 0;
    let y = 0;
    for (let d = 0; d < dim; d++) {
      const v = values[i * dim + d]! - mean[d]!;
      x += v * components[d]!;
      y += v * components[dim + d]!;
    }
    out[i * 2] = x;
    out[i * 2 + 1] = y;
  }
  return out;
}

/** Projects count × dim values onto their first two principal axes, in the frame of `previous`. */
export function pca2d(
  values: Float32Array,
  count: number,
  dim: number,
  previous?: Float32Array,
): Float32Array {
  if (count === 0) return new Float32Array(0);
  const layout = projectOntoAxes(values, count, dim, principalAxes(values, count, dim));
  return alignToPrevious(layout, previous);
}
