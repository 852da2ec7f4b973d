/**
 * Attribute vectors (White 2016, "Sampling Generative Networks", arXiv:1609.04468): the
 * mean code of the images that have an attribute minus the mean code of those that do not is a
 * direction in latent space; adding multiples of it to one image's code adds (or, negative,
 * takes away) the attribute while keeping the rest of the image. Here the two groups are classes
 * or points the user chose on the map, and the codes are one epoch's encoder means. Pure maths.
 */

/** How far the walk goes each way along the vector: t ∈ [−T_RANGE, +T_RANGE]. */
export const T_RANGE = 2;
/** Images in the strip, t = −2, −1.5, …, +2 (odd, so t = 0, the code itself, is the middle one). */
export const STRIP_STEPS = 9;

/**
 * The mean of the rows `rows` of a row-major count × dim table; null when no row is given or one
 * is outside the table (a group that has no points says nothing about the attribute).
 */
export function meanCode(
  values: ArrayLike<number>,
  dim: number,
  rows: ArrayLike<number>,
): Float32Array | null {
  const count = Math.floor(values.length / Math.max(1, dim));
  if (rows.length === 0 || dim < 1) return null;
  // Sums in doubles: a class of thousands of float32 codes would round away its small differences.
  const sum = new Float64Array(dim);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    if (!Number.isInteger(row) || row < 0 || row >= count) return null;
    for (let d = 0; d < dim; d++) sum[d]! += values[row * dim + d]!;
  }
  return Float32Array.from(sum, (s) => s / rows.length);
}

/** v = mean code(B) − mean code(A): from A towards B. Null when either group is empty. */
export function attributeVector(
  values: ArrayLike<number>,
  dim: number,
  groupA: ArrayLike<number>,
  groupB: ArrayLike<number>,
): Float32Array | null {
  const a = meanCode(values, dim, groupA);
  const b = meanCode(values, dim, groupB);
  if (!a || !b) return null;
  return b.map((value, d) => value - a[d]!);
}

/** `steps` evenly spaced values of t from −range to +range, ends included. */
export function stripOffsets(steps = STRIP_STEPS, range = T_RANGE): number[] {
  if (steps < 2) return [0];
  return Array.from({ length: steps }, (_, i) => -range + (2 * range * i) / (steps - 1));
}

/** The codes code + t·v, one row per t: row-major offsets.length × dim, as `gallery:decode` takes them. */
export function walkCodes(
  code: ArrayLike<number>,
  vector: ArrayLike<number>,
  offsets: readonly number[],
): Float32Array {
  const dim = code.length;
  const out = new Float32Array(offsets.length * dim);
  offsets.forEach((t, row) => {
    for (let d = 0; d < dim; d++) out[row * dim + d] = code[d]! + t * vector[d]!;
  });
  return out;
}

/** The index of the offset nearest to t (the strip image the slider is on); ties go to the lower one. */
export function nearestOffset(offsets: readonly number[], t: number): number {
  let best = 0;
  for (let i = 1; i < offsets.length; i++) {
    if (Math.abs(offsets[i]! - t) < Math.abs(offsets[best]! - t)) best = i;
  }
  return best;
}

/** The points whose label is `label`, ascending. */
export function labelRows(labels: ArrayLike<number>, label: number): Uint32Array {
  const rows: number[] = [];
  for (let i = 0; i < labels.length; i++) if (labels[i] === label) rows.push(i);
  return Uint32Array.from(rows);
}

/** Euclidean length of a vector: how far apart the two groups' centres are. */
export function vectorLength(vector: ArrayLike<number>): number {
  let sum = 0;
  for (let d = 0; d < vector.length; d++) sum += vector[d]! * vector[d]!;
  return Math.sqrt(sum);
}
