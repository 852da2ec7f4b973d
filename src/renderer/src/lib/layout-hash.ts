/**
 * A short fingerprint of a layout's coordinates (FNV-1a over their float32 bits), exposed on the
 * map as a test hook: a relayout that moved the points changes it, a redraw of the same one does not.
 */
export function layoutHash(positions: Float32Array): string {
  const bits = new Uint32Array(positions.buffer, positions.byteOffset, positions.length);
  let hash = 0x811c9dc5;
  for (const word of bits) {
    hash = Math.imul(hash ^ word, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}
