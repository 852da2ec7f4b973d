/** Putting points in k-d order (nearby points at nearby positions), the first step of `knn.ts`. */
import { swap } from './neighbour-heaps';

/** A k-d cell this small is left in input order. */
const KD_LEAF = 8;

/**
 * A permutation putting nearby points at nearby positions: recursive median splits along the
 * widest coordinate (the leaf order of a k-d tree).
 */
export function kdOrder(x: Float64Array, count: number, dim: number): Int32Array {
  const order = Int32Array.from({ length: count }, (_, i) => i);
  const keys = new Float64Array(count);
  const stack: number[] = [0, count];
  while (stack.length > 0) {
    const end = stack.pop()!;
    const start = stack.pop()!;
    if (end - start <= KD_LEAF) continue;
    let widest = 0;
    let widestRange = -1;
    for (let d = 0; d < dim; d++) {
      let low = Infinity;
      let high = -Infinity;
      for (let s = start; s < end; s++) {
        const v = x[order[s]! * dim + d]!;
        if (v < low) low = v;
        if (v > high) high = v;
      }
      if (high - low > widestRange) {
        widestRange = high - low;
        widest = d;
      }
    }
    if (widestRange <= 0) continue;
    for (let s = start; s < end; s++) keys[s] = x[order[s]! * dim + widest]!;
    const middle = (start + end) >> 1;
    selectNth(order, keys, start, end - 1, middle);
    stack.push(start, middle, middle, end);
  }
  return order;
}

/** Partially sorts order[left..right] by keys so position n holds the n-th smallest (Hoare/Wirth). */
function selectNth(order: Int32Array, keys: Float64Array, left: number, right: number, n: number): void {
  while (left < right) {
    const pivot = keys[n]!;
    let i = left;
    let j = right;
    do {
      while (keys[i]! < pivot) i++;
      while (pivot < keys[j]!) j--;
      if (i <= j) {
        swap(keys, order, i, j);
        i++;
        j--;
      }
    } while (i <= j);
    if (j < n) left = i;
    if (n < i) right = j;
  }
}

/** Centred float64 copy of the points in the given order (centring keeps ‖a‖²+‖b‖²−2a·b exact-ish). */
export function centredInOrder(values: Float32Array, order: Int32Array, dim: number): Float64Array {
  const count = order.length;
  const mean = new Float64Array(dim);
  for (let i = 0; i < count; i++) for (let d = 0; d < dim; d++) mean[d]! += values[i * dim + d]!;
  for (let d = 0; d < dim; d++) mean[d]! /= Math.max(1, count);
  const out = new Float64Array(count * dim);
  for (let i = 0; i < count; i++) {
    const source = order[i]! * dim;
    for (let d = 0; d < dim; d++) out[i * dim + d] = values[source + d]! - mean[d]!;
  }
  return out;
}
