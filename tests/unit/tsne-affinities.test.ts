import { describe, expect, it } from 'vitest';
import { exactKnn } from '../../src/main/engine/projection/knn';
import { tsneAffinities } from '../../src/main/engine/projection/tsne-affinities';
import { clusters } from '../support/gaussian-clusters';

describe('t-SNE building blocks', () => {
  it('joint affinities are symmetric and sum to 1', () => {
    const { input } = clusters(3, 3, 40, 5);
    const affinities = tsneAffinities(exactKnn(input.values, input.count, input.dim, 30)!, 10);
    const entry = new Map<string, number>();
    let total = 0;
    for (let i = 0; i < input.count; i++) {
      for (let e = affinities.rowStart[i]!; e < affinities.rowStart[i + 1]!; e++) {
        entry.set(`${i},${affinities.columns[e]}`, affinities.values[e]!);
        total += affinities.values[e]!;
      }
    }
    expect(total).toBeCloseTo(1, 10);
    for (const [key, value] of entry) {
      const [i, j] = key.split(',');
      expect(entry.get(`${j},${i}`)).toBeCloseTo(value, 12);
    }
  });
});
