import { describe, expect, it } from 'vitest';
import { neighbourLabelAgreement } from '../../src/main/engine/projection/neighbourhood';
import { project } from '../../src/main/engine/projection/project';
import { placeAround, sampleIndices } from '../../src/main/engine/projection/sampled-layout';
import { mulberry32 } from '../../src/main/engine/random';
import { nearestNeighbours } from '../../src/shared/nearest-neighbours';
import { DEFAULT_PROJECTION_SETTINGS } from '../../src/shared/projection-types';
import { gaussian } from '../support/gaussian-clusters';

/** Gaussian clusters in 20-D (centres ~ N(0, 3²), points ~ N(centre, 1)), interleaved by label. */
function clusters(seed: number, clusterCount: number, count: number, dim = 20) {
  const random = mulberry32(seed);
  const centres = Array.from({ length: clusterCount }, () =>
    Array.from({ length: dim }, () => 3 * gaussian(random)),
  );
  const values = new Float32Array(count * dim);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    labels[i] = i % clusterCount;
    for (let d = 0; d < dim; d++) values[i * dim + d] = centres[labels[i]!]![d]! + gaussian(random);
  }
  return { input: { values, count, dim }, labels };
}

/** Every row's distance to the query, sorted: the brute-force answer. */
function bruteForce(values: Float32Array, count: number, dim: number, query: Float32Array) {
  return Array.from({ length: count }, (_, index) => {
    let sum = 0;
    for (let d = 0; d < dim; d++) sum += (values[index * dim + d]! - query[d]!) ** 2;
    return { index, distance: Math.sqrt(sum) };
  }).sort((a, b) => a.distance - b.distance || a.index - b.index);
}

describe('nearest neighbours in the full latent space', () => {
  it('agree with a brute-force sort of every distance', () => {
    const { input } = clusters(3, 5, 1_500, 16);
    const random = mulberry32(9);
    for (let trial = 0; trial < 20; trial++) {
      const row = Math.floor(random() * input.count);
      const query = input.values.slice(row * 16, row * 16 + 16);
      const k = 1 + Math.floor(random() * 40);
      const expected = bruteForce(input.values, input.count, 16, query)
        .filter((n) => n.index !== row)
        .slice(0, k);
      const found = nearestNeighbours(input, query, k, row);
      expect(found.map((n) => n.index)).toEqual(expected.map((n) => n.index));
      found.forEach((n, i) => expect(n.distance).toBeCloseTo(expected[i]!.distance, 4));
    }
  });

  it('keeps ties in row order, honours a filter, and copes with k beyond the table or zero', () => {
    const values = Float32Array.from([0, 0, 1, 0, -1, 0, 0, 2, 1, 0]);
    const table = { values, count: 5, dim: 2 };
    // Rows 1, 2 and 4 are all at distance 1 from the origin (row 0).
    expect(nearestNeighbours(table, [0, 0], 3, 0).map((n) => n.index)).toEqual([1, 2, 4]);
    expect(nearestNeighbours(table, [0, 0], 2, 0, (i) => i !== 1).map((n) => n.index)).toEqual([2, 4]);
    expect(nearestNeighbours(table, [0, 0], 99)).toHaveLength(5);
    expect(nearestNeighbours(table, [0, 0], 0)).toEqual([]);
  });
});

describe('a layout of a sample with the rest placed by latent neighbours', () => {
  it('spreads the sample evenly, the same indices every time', () => {
    const indices = sampleIndices(10_000, 2_000);
    expect(indices).toHaveLength(2_000);
    expect(new Set(indices).size).toBe(2_000);
    expect(indices[0]).toBe(0);
    expect(indices[1]).toBe(5);
    expect(Array.from(sampleIndices(10_000, 2_000))).toEqual(Array.from(indices));
    expect(sampleIndices(50, 2_000)).toHaveLength(50);
  });

  it('puts a point whose code equals a sampled one on that point, and others between their neighbours', () => {
    // Codes on a line; 0, 2 and 4 are sampled, at x = 0, 20 and 40.
    const values = Float32Array.from([0, 1, 2, 3, 4, 2]);
    const positions = placeAround(
      { values, count: 6, dim: 1 },
      Uint32Array.from([0, 2, 4]),
      Float32Array.from([0, 0, 20, 0, 40, 0]),
      2,
    );
    expect(positions[2 * 2]).toBe(20);
    expect(positions[5 * 2]).toBeCloseTo(20, 3); // code 2 again: lands on the sampled code 2
    expect(positions[1 * 2]).toBeCloseTo(10, 3); // code 1: halfway between codes 0 and 2
    expect(positions[3 * 2]).toBeCloseTo(30, 3);
  });

  it.each(['tsne', 'umap'] as const)(
    '%s of 2,000 of 6,000 clustered codes keeps the clusters apart, in a fraction of the full time',
    (method) => {
      const { input, labels } = clusters(7, 8, 6_000);
      const settings = { ...DEFAULT_PROJECTION_SETTINGS, method, iterations: method === 'umap' ? 200 : 300 };
      let total = 0;
      const started = performance.now();
      const sampled = project(input, {
        settings,
        sample: 2_000,
        onProgress: (_done, planned, positions) => {
          total = planned;
          expect(positions).toBeNull();
        },
      })!;
      const sampledSeconds = (performance.now() - started) / 1000;
      expect(sampled.sampled).toBe(2_000);
      expect(sampled.positions).toHaveLength(12_000);
      expect(sampled.positions.every(Number.isFinite)).toBe(true);
      expect(neighbourLabelAgreement(sampled.positions, labels, 10)).toBeGreaterThan(0.95);
      expect(total).toBe(settings.iterations);

      const again = performance.now();
      const full = project(input, { settings })!;
      const fullSeconds = (performance.now() - again) / 1000;
      expect(full.sampled).toBeUndefined();
      // Timing on a shared machine: only a generous bound (the bench measures it properly).
      expect(sampledSeconds).toBeLessThan(fullSeconds);
    },
    60_000,
  );

  it('caps iterations from scratch and warm-starts the sample from the previous full layout', () => {
    const { input } = clusters(11, 4, 3_000);
    const settings = { ...DEFAULT_PROJECTION_SETTINGS, method: 'umap' as const, iterations: 500 };
    let planned = 0;
    const first = project(input, {
      settings,
      sample: 1_000,
      coldIterations: 50,
      onProgress: (_d, total) => (planned = total),
    })!;
    expect(planned).toBe(50);
    const warm = project(input, {
      settings,
      sample: 1_000,
      init: first.positions,
      warmIterations: 5,
      onProgress: (_d, total) => (planned = total),
    })!;
    expect(planned).toBe(5);
    // Five gentle epochs from the previous layout leave the sampled points near where they were.
    let moved = 0;
    let radius = 0;
    for (const row of sampleIndices(3_000, 1_000)) {
      moved += (warm.positions[row * 2]! - first.positions[row * 2]!) ** 2;
      moved += (warm.positions[row * 2 + 1]! - first.positions[row * 2 + 1]!) ** 2;
      radius += first.positions[row * 2]! ** 2 + first.positions[row * 2 + 1]! ** 2;
    }
    expect(Math.sqrt(moved / radius)).toBeLessThan(0.25);
  });
});
