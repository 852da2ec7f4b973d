/** 2-D PCA of latent codes, with signs kept consistent between epochs so the map does not flip. */
import { PCA } from 'ml-pca';

function rowsOf(values: Float32Array, count: number, dim: number): number[][] {
  const rows: number[][] = new Array<number[]>(count);
  for (let i = 0; i < count; i++) rows[i] = Array.from(values.subarray(i * dim, (i + 1) * dim));
  return rows;
}

/**
 * Projects count × dim values onto their first two principal axes. When `previous` is given, each
 * axis is negated if that makes it agree better with the previous layout (an eigenvector's sign is
 * arbitrary, and a flip between epochs would look like the whole map mirrored).
 */
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
  if (previous && previous.length === layout.length) {
    for (let axis = 0; axis < 2; axis++) {
      let agreement = 0;
      for (let i = 0; i < count; i++) agreement += layout[i * 2 + axis]! * previous[i * 2 + axis]!;
      if (agreement < 0) for (let i = 0; i < count; i++) layout[i * 2 + axis] = -layout[i * 2 + axis]!;
    }
  }
  return layout;
}
