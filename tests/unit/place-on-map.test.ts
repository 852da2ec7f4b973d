import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/main/engine/random';
import { fitAffineView, placeCode, type MapFrame } from '../../src/renderer/src/lib/place-on-map';

function randomCodes(count: number, dim: number, seed = 7): Float32Array {
  const random = mulberry32(seed);
  return Float32Array.from({ length: count * dim }, () => random() * 4 - 2);
}

/** A linear view of the codes, then a rotation and a shift (what PCA plus alignment gives). */
function linearLayout(means: Float32Array, count: number, dim: number): Float32Array {
  const positions = new Float32Array(count * 2);
  const [c, s] = [Math.cos(0.7), Math.sin(0.7)];
  for (let i = 0; i < count; i++) {
    let u = 0;
    let v = 0;
    for (let d = 0; d < dim; d++) {
      u += means[i * dim + d]! * (d + 1) * 0.1;
      v += means[i * dim + d]! * (d % 2 ? 0.3 : -0.2);
    }
    positions[2 * i] = c * u - s * v + 5;
    positions[2 * i + 1] = s * u + c * v - 3;
  }
  return positions;
}

describe('placing a new code on the map', () => {
  const count = 300;
  const dim = 6;
  const means = randomCodes(count, dim);
  const positions = linearLayout(means, count, dim);

  it('projects exactly through a linear layout (PCA, raw axes)', () => {
    const frame: MapFrame = { method: 'pca', means, count, dim, positions };
    const view = fitAffineView(frame);
    expect(view).not.toBeNull();
    const code = Float32Array.from([0.5, -1, 0.25, 1.5, -0.75, 0]);
    const expected = linearLayout(code, 1, dim);
    const placed = placeCode(frame, code, view)!;
    expect(placed.rule).toBe('projection');
    expect(placed.x).toBeCloseTo(expected[0]!, 4);
    expect(placed.y).toBeCloseTo(expected[1]!, 4);
    expect(placed.neighbours).toHaveLength(5);
  });

  it('ignores a dimension the codes never use (a collapsed unit)', () => {
    const flat = Float32Array.from(means);
    for (let i = 0; i < count; i++) flat[i * dim + 2] = 0.5;
    const layout = linearLayout(flat, count, dim);
    const view = fitAffineView({ method: 'axes', means: flat, count, dim, positions: layout });
    expect(view).not.toBeNull();
    const code = Float32Array.from([1, 1, 0.5, 1, 1, 1]);
    const placed = placeCode({ method: 'axes', means: flat, count, dim, positions: layout }, code, view)!;
    const expected = linearLayout(code, 1, dim);
    expect(placed.x).toBeCloseTo(expected[0]!, 4);
    expect(placed.y).toBeCloseTo(expected[1]!, 4);
  });

  it('finds no affine view in a layout that is not one', () => {
    const random = mulberry32(3);
    const scattered = Float32Array.from({ length: count * 2 }, () => random());
    expect(fitAffineView({ method: 'pca', means, count, dim, positions: scattered })).toBeNull();
  });

  it('puts a t-SNE / UMAP code at the inverse-distance-weighted mean of its 5 nearest codes’ positions', () => {
    // Codes on a line 0, 1, 2, …; positions anywhere (a layout unrelated to the codes).
    const line = Float32Array.from({ length: 10 }, (_, i) => i);
    const spots = Float32Array.from({ length: 20 }, (_, i) => (i % 2 ? i * 10 : i));
    const frame: MapFrame = { method: 'umap', means: line, count: 10, dim: 1, positions: spots };
    const placed = placeCode(frame, [3.25], fitAffineView(frame))!;
    expect(placed.rule).toBe('neighbours');
    expect(placed.neighbours.map((n) => n.index)).toEqual([3, 4, 2, 5, 1]);
    let x = 0;
    let y = 0;
    let total = 0;
    for (const index of [3, 4, 2, 5, 1]) {
      const w = 1 / Math.abs(index - 3.25);
      x += w * spots[2 * index]!;
      y += w * spots[2 * index + 1]!;
      total += w;
    }
    expect(placed.x).toBeCloseTo(x / total, 5);
    expect(placed.y).toBeCloseTo(y / total, 5);
  });

  it('puts a code equal to a point’s on that point', () => {
    const frame: MapFrame = { method: 'tsne', means, count, dim, positions };
    const placed = placeCode(frame, means.slice(7 * dim, 8 * dim), null)!;
    expect(placed.x).toBe(positions[14]);
    expect(placed.y).toBe(positions[15]);
  });

  it('falls back to the neighbours when a PCA layout has no affine view (still converging)', () => {
    const frame: MapFrame = { method: 'pca', means, count, dim, positions };
    const placed = placeCode(frame, means.slice(0, dim), null)!;
    expect(placed.rule).toBe('neighbours');
  });

  it('refuses a code of the wrong length', () => {
    expect(placeCode({ method: 'pca', means, count, dim, positions }, [1, 2], null)).toBeNull();
  });
});
