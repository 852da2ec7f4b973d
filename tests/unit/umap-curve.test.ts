import { describe, expect, it } from 'vitest';
import { fitCurve } from '../../src/main/engine/projection/umap-curve';

describe('UMAP numerics', () => {
  it("fits umap-learn's a and b (scipy curve_fit: 1.5769, 0.8951 for min_dist 0.1)", () => {
    const { a, b } = fitCurve(1, 0.1);
    expect(a).toBeCloseTo(1.5769, 3);
    expect(b).toBeCloseTo(0.8951, 3);
  });
});
