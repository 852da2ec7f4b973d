/** Small numeric helpers shared by the iterative layouts (t-SNE, UMAP). */

/** A standard normal sample from a uniform source (Box–Muller). */
export function gaussian(random: () => number): number {
  const u = 1 - random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** A float32 copy of count × 2 positions, moved so their mean is the origin. */
export function centredCopy(positions: Float64Array): Float32Array {
  const count = positions.length >> 1;
  let meanX = 0;
  let meanY = 0;
  for (let i = 0; i < count; i++) {
    meanX += positions[i * 2]!;
    meanY += positions[i * 2 + 1]!;
  }
  meanX /= Math.max(1, count);
  meanY /= Math.max(1, count);
  const out = new Float32Array(count * 2);
  for (let i = 0; i < count; i++) {
    out[i * 2] = positions[i * 2]! - meanX;
    out[i * 2 + 1] = positions[i * 2 + 1]! - meanY;
  }
  return out;
}
