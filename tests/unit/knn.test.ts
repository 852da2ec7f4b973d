import { describe, expect, it } from 'vitest';
import { exactKnn } from '../../src/main/engine/projection/knn';
import { mulberry32 } from '../../src/main/engine/random';

describe('exact k nearest neighbours', () => {
  function naive(values: Float32Array, count: number, dim: number, k: number) {
    return Array.from({ length: count }, (_, i) =>
      Array.from({ length: count }, (_, j) => {
        let sum = 0;
        for (let d = 0; d < dim; d++) sum += (values[i * dim + d]! - values[j * dim + d]!) ** 2;
        return { j, distance: Math.sqrt(sum) };
      })
        .filter(({ j }) => j !== i)
        .sort((a, b) => a.distance - b.distance || a.j - b.j)
        .slice(0, k),
    );
  }

  it.each([
    [301, 7, 10],
    [130, 20, 91],
    [9, 3, 4],
  ])('matches a naive search (%i points, %i-D, k = %i)', (count, dim, k) => {
    const random = mulberry32(count);
    const values = Float32Array.from({ length: count * dim }, () => random() * 10 - 5);
    const found = exactKnn(values, count, dim, k)!;
    const expected = naive(values, count, dim, k);
    expect(found.k).toBe(k);
    for (let i = 0; i < count; i++) {
      expect(Array.from(found.indices.subarray(i * k, (i + 1) * k))).toEqual(expected[i]!.map((e) => e.j));
      for (let e = 0; e < k; e++)
        expect(found.distances[i * k + e]).toBeCloseTo(expected[i]![e]!.distance, 4);
    }
  });

  it('clamps k to count − 1 and copes with duplicate points', () => {
    const values = new Float32Array([1, 1, 1, 1, 1, 1, 2, 2]);
    const found = exactKnn(values, 4, 2, 10)!;
    expect(found.k).toBe(3);
    expect(Array.from(found.distances.subarray(0, 3)).map((d) => +d.toFixed(4))).toEqual([0, 0, 1.4142]);
    expect(exactKnn(new Float32Array(2), 1, 2, 5)!.k).toBe(0);
    expect(exactKnn(new Float32Array(0), 0, 2, 5)!.k).toBe(0);
  });
});
