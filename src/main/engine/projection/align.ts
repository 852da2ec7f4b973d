/**
 * Keeps a new 2-D layout in the frame of the previous one (orthogonal Procrustes): the rotation or
 * reflection that best maps the new points onto their old positions. PCA axes are only defined up
 * to sign and, when eigenvalues are close, up to rotation, so without this the map can spin or
 * mirror between epochs even when the codes barely moved.
 */
import { Matrix, SingularValueDecomposition } from 'ml-matrix';

/** Returns `layout` (count × 2, centred) rotated/reflected onto `previous`; scale is kept. */
export function alignToPrevious(layout: Float32Array, previous: Float32Array | undefined): Float32Array {
  if (!previous || previous.length !== layout.length || layout.length < 4) return layout;
  const count = layout.length / 2;
  // M = Yᵀ P (2 × 2); the best orthogonal R for Y R ≈ P is U Vᵀ from M = U Σ Vᵀ.
  let [m00, m01, m10, m11] = [0, 0, 0, 0];
  let previousX = 0;
  let previousY = 0;
  for (let i = 0; i < count; i++) {
    previousX += previous[i * 2]!;
    previousY += previous[i * 2 + 1]!;
  }
  previousX /= count;
  previousY /= count;
  for (let i = 0; i < count; i++) {
    const yx = layout[i * 2]!;
    const yy = layout[i * 2 + 1]!;
    const px = previous[i * 2]! - previousX;
    const py = previous[i * 2 + 1]! - previousY;
    m00 += yx * px;
    m01 += yx * py;
    m10 += yy * px;
    m11 += yy * py;
  }
  const svd = new SingularValueDecomposition(
    new Matrix([
      [m00, m01],
      [m10, m11],
    ]),
  );
  const r = svd.leftSingularVectors.mmul(svd.rightSingularVectors.transpose());
  const [r00, r01, r10, r11] = [r.get(0, 0), r.get(0, 1), r.get(1, 0), r.get(1, 1)];
  const aligned = new Float32Array(layout.length);
  for (let i = 0; i < count; i++) {
    const x = layout[i * 2]!;
    const y = layout[i * 2 + 1]!;
    aligned[i * 2] = x * r00 + y * r10 + previousX;
    aligned[i * 2 + 1] = x * r01 + y * r11 + previousY;
  }
  return aligned;
}

/** The layout moved so its centroid is the origin (the frame alignment compares in). */
export function centred(positions: Float32Array): Float32Array {
  const count = positions.length / 2;
  let x = 0;
  let y = 0;
  for (let i = 0; i < count; i++) {
    x += positions[i * 2]!;
    y += positions[i * 2 + 1]!;
  }
  x /= count || 1;
  y /= count || 1;
  const out = new Float32Array(positions.length);
  for (let i = 0; i < count; i++) {
    out[i * 2] = positions[i * 2]! - x;
    out[i * 2 + 1] = positions[i * 2 + 1]! - y;
  }
  return out;
}
