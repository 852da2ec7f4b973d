/** The side column's neighbour list: exact Euclidean kNN over the full codes, held to a brute-force sort. */
import { describe, expect, it } from 'vitest';
import { formatDistance, latentNeighbours } from '../../src/renderer/src/lib/latent-neighbours';

/** A seeded generator, so a failure can be replayed. */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function bruteForce(values: Float32Array, count: number, dim: number, of: number, k: number) {
  const rows = [];
  for (let i = 0; i < count; i++) {
    if (i === of) continue;
    let sum = 0;
    for (let d = 0; d < dim; d++) sum += (values[i * dim + d]! - values[of * dim + d]!) ** 2;
    rows.push({ index: i, distance: Math.sqrt(sum) });
  }
  rows.sort((a, b) => a.distance - b.distance || a.index - b.index);
  return rows.slice(0, k);
}

describe('nearest neighbours in the latent space', () => {
  it('matches a brute-force sort of every distance, for several points and dimensions', () => {
    const random = lcg(17);
    for (const dim of [2, 8, 20]) {
      const count = 500;
      const values = Float32Array.from({ length: count * dim }, () => random() * 4 - 2);
      for (const of of [0, 137, count - 1]) {
        const found = latentNeighbours({ values, count, dim }, of, 12);
        const expected = bruteForce(values, count, dim, of, 12);
        expect(found.map((n) => n.index)).toEqual(expected.map((n) => n.index));
        found.forEach((n, i) => expect(n.distance).toBeCloseTo(expected[i]!.distance, 5));
      }
    }
  });

  it('leaves the point itself out, nearest first, ties by index', () => {
    // Points 1 and 2 both lie at distance 1 from point 0; point 3 at 2.
    const values = Float32Array.from([0, 0, 1, 0, 0, 1, 2, 0]);
    const found = latentNeighbours({ values, count: 4, dim: 2 }, 0, 12);
    expect(found).toEqual([
      { index: 1, distance: 1 },
      { index: 2, distance: 1 },
      { index: 3, distance: 2 },
    ]);
  });

  it('finds nothing for a point the codes do not have', () => {
    const codes = { values: new Float32Array(4), count: 2, dim: 2 };
    expect(latentNeighbours(codes, 2)).toEqual([]);
    expect(latentNeighbours(codes, -1)).toEqual([]);
    expect(latentNeighbours({ values: new Float32Array(2), count: 2, dim: 2 }, 0)).toEqual([]);
  });

  it('writes distances to three significant digits', () => {
    expect(formatDistance(0.41234)).toBe('0.412');
    expect(formatDistance(3.0712)).toBe('3.07');
    expect(formatDistance(12.54)).toBe('12.5');
    expect(formatDistance(Number.NaN)).toBe('—');
  });
});
