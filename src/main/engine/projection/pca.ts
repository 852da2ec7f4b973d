/** 2-D PCA of latent codes, aligned with the previous epoch's layout so the map does not spin or flip. */
import { PCA } from 'ml-pca';
import { alignToPrevious } from './align';

function rowsOf(values: Float32Array, count: number, dim: number): number[][] {
  const rows: number[][] = new Array<number[]>(count);
  for (let i = 0; i < count; i++) rows[i] = Array.from(values.subarray(i * dim, (i + 1) * dim));
  return rows;
}

/** Projects count × dim values onto their first two principal axes, in the frame of `previous`. */
export function pca2d(
  values: Float32Array,
  count: number,
  dim: number,
  previous?: Float32Array,
): Float32Array {
  const layout = new Float32Array(count * 2);
  if (count === 0) return layout;
  const rows = rowsOf(values, count, dim);
  const model = new PCA(rows, { center: true, scale: false });
  const projected = model.predict(rows, { nComponents: Math.min(2, dim) });
  for (let i = 0; i < count; i++) {
    layout[i * 2] = projected.get(i, 0);
    layout[i * 2 + 1] = dim > 1 ? projected.get(i, 1) : 0;
  }
  return alignToPrevious(layout, previous);
}
