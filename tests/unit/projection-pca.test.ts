// Tests src/main/engine/projection/pca.ts (the map's PCA layout; model/pca.ts is pca-start's).
import { describe, expect, it } from 'vitest';
import { pca2d } from '../../src/main/engine/projection/pca';
import { mulberry32 } from '../../src/main/engine/random';

const maxDifference = (a: Float32Array, b: Float32Array) => Math.max(...a.map((v, i) => Math.abs(v - b[i]!)));

describe('PCA', () => {
  it('puts the largest spread on the first axis and keeps consecutive epochs in one frame', () => {
    const random = mulberry32(7);
    const count = 400;
    const dim = 5;
    const values = new Float32Array(count * dim);
    for (let i = 0; i < count; i++) {
      values[i * dim] = (random() - 0.5) * 10;
      values[i * dim + 1] = (random() - 0.5) * 4;
      for (let d = 2; d < dim; d++) values[i * dim + d] = (random() - 0.5) * 0.1;
    }
    const first = pca2d(values, count, dim);
    let spreadX = 0;
    let spreadY = 0;
    for (let i = 0; i < count; i++) {
      spreadX += first[i * 2]! ** 2;
      spreadY += first[i * 2 + 1]! ** 2;
    }
    expect(spreadX).toBeGreaterThan(4 * spreadY);
    // The same codes a moment later, slightly perturbed: the layout must stay where it was.
    const later = values.map((v) => v + (random() - 0.5) * 0.01);
    expect(maxDifference(pca2d(later, count, dim, first), first)).toBeLessThan(0.05);
  });
});
