/** Pure helpers for the latent map: framing a 2-D layout and easing between two of them. */

/**
 * Moves a row-major count × 2 layout into [-1, 1] on each axis. Each axis is fitted on its own:
 * early in training PCA's second component is a sliver of its first, and stretching it to the
 * frame is what lets the clusters be seen forming.
 */
export function frameLayout(layout: Float32Array, count: number): Float32Array {
  const coords = new Float32Array(count * 2);
  for (let axis = 0; axis < 2; axis++) {
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < count; i++) {
      const v = layout[2 * i + axis] ?? NaN;
      if (!Number.isFinite(v)) continue;
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    if (min === Infinity) continue;
    const centre = (min + max) / 2;
    const half = (max - min) / 2 || 1;
    for (let i = 0; i < count; i++) {
      const v = layout[2 * i + axis] ?? NaN;
      coords[2 * i + axis] = Number.isFinite(v) ? (v - centre) / half : 0;
    }
  }
  return coords;
}

export function lerpInto(from: Float32Array, to: Float32Array, t: number, out: Float32Array): void {
  for (let i = 0; i < out.length; i++) {
    const a = from[i] ?? 0;
    out[i] = a + ((to[i] ?? 0) - a) * t;
  }
}
