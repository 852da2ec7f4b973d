import { describe, expect, it } from 'vitest';
import { neighbourLabelAgreement } from '../../src/main/engine/projection/neighbourhood';
import { project } from '../../src/main/engine/projection/project';
import { mulberry32 } from '../../src/main/engine/random';
import {
  DEFAULT_PROJECTION_SETTINGS,
  type ProjectionMethod,
  type ProjectionSettings,
} from '../../src/shared/projection-types';
import { clusters, gaussian } from '../support/gaussian-clusters';

const settingsFor = (method: ProjectionMethod, extra: Partial<ProjectionSettings> = {}) => ({
  ...DEFAULT_PROJECTION_SETTINGS,
  method,
  iterations: method === 'umap' ? 200 : 500,
  ...extra,
});

/** Root-mean-square distance between two layouts, relative to the RMS radius of the first. */
function relativeDisplacement(from: Float32Array, to: Float32Array): number {
  let moved = 0;
  let radius = 0;
  for (let i = 0; i < from.length; i++) {
    moved += (to[i]! - from[i]!) ** 2;
    radius += from[i]! ** 2;
  }
  return Math.sqrt(moved / radius);
}

const data = clusters(11);
/** Agreement of random positions: about Σ share² = 1/6 for six equal clusters. */
const randomAgreement = neighbourLabelAgreement(
  Float32Array.from({ length: data.input.count * 2 }, mulberry32(5)),
  data.labels,
);
const layouts = new Map<string, Float32Array>();
function layoutOf(method: ProjectionMethod, seed = 1): Float32Array {
  const key = `${method}:${seed}`;
  if (!layouts.has(key)) {
    layouts.set(key, project(data.input, { settings: settingsFor(method, { seed }) })!.positions);
  }
  return layouts.get(key)!;
}

describe('projection layouts of six Gaussian clusters (20-D)', () => {
  it('random positions agree about 1/6 (the baseline the thresholds beat)', () => {
    expect(randomAgreement).toBeGreaterThan(0.12);
    expect(randomAgreement).toBeLessThan(0.22);
  });

  // The clusters are separable in 20-D (agreement 1.0 there). t-SNE and UMAP exist to keep such
  // neighbourhoods, so anything below 0.95 would be a bug; a linear PCA view may overlap a pair
  // of clusters (0.90 here), so it is held to 0.8.
  it.each([
    ['tsne', 0.95],
    ['umap', 0.95],
    ['pca', 0.8],
  ] as const)('%s keeps neighbourhoods (10-NN label agreement ≥ %f)', (method, threshold) => {
    const agreement = neighbourLabelAgreement(layoutOf(method), data.labels);
    expect(agreement).toBeGreaterThanOrEqual(threshold);
    expect(agreement).toBeGreaterThan(randomAgreement + 0.3);
  });

  it.each(['tsne', 'umap'] as const)(
    '%s: the same seed gives identical positions, another seed others',
    (method) => {
      const again = project(data.input, { settings: settingsFor(method, { seed: 1 }) })!.positions;
      expect(again).toEqual(layoutOf(method, 1));
      expect(relativeDisplacement(layoutOf(method, 1), layoutOf(method, 2))).toBeGreaterThan(0.01);
    },
  );

  it.each(['tsne', 'umap'] as const)('%s: a warm start on unchanged codes stays where it was', (method) => {
    const start = layoutOf(method);
    const warm = project(data.input, { settings: settingsFor(method), init: start })!.positions;
    expect(relativeDisplacement(start, warm)).toBeLessThan(0.05);
    expect(neighbourLabelAgreement(warm, data.labels)).toBeGreaterThanOrEqual(0.95);
  });

  it('PCA returns orthonormal axes that map positions back onto the codes', () => {
    // Codes on a plane in 6-D: two principal axes describe them exactly.
    const random = mulberry32(4);
    const count = 300;
    const dim = 6;
    const u = [1, 2, 0, -1, 0, 1];
    const v = [0, 1, 1, 1, -1, 0];
    const values = new Float32Array(count * dim);
    for (let i = 0; i < count; i++) {
      const [s, t] = [gaussian(random) * 3, gaussian(random)];
      for (let d = 0; d < dim; d++) values[i * dim + d] = 5 + s * u[d]! + t * v[d]!;
    }
    const result = project({ values, count, dim }, { settings: settingsFor('pca') })!;
    const { mean, components } = result.pca!;
    const dot = (a: number, b: number) =>
      Array.from({ length: dim }, (_, d) => components[a * dim + d]! * components[b * dim + d]!).reduce(
        (x, y) => x + y,
      );
    expect(dot(0, 0)).toBeCloseTo(1, 5);
    expect(dot(1, 1)).toBeCloseTo(1, 5);
    expect(dot(0, 1)).toBeCloseTo(0, 5);
    for (let i = 0; i < count; i += 37) {
      const [x, y] = [result.positions[i * 2]!, result.positions[i * 2 + 1]!];
      for (let d = 0; d < dim; d++) {
        expect(mean[d]! + x * components[d]! + y * components[dim + d]!).toBeCloseTo(values[i * dim + d]!, 3);
      }
    }
  });

  it('raw axes are the chosen latent dimensions, clamped to the code size', () => {
    const { values, dim } = data.input;
    const positions = project(data.input, { settings: settingsFor('axes', { axes: [3, 40] }) })!.positions;
    for (let i = 0; i < 50; i++) {
      expect(positions[i * 2]).toBe(values[i * dim + 3]);
      expect(positions[i * 2 + 1]).toBe(values[i * dim + dim - 1]);
    }
  });
});

describe('stopping and progress', () => {
  it('shouldStop stops a long t-SNE within 200 ms of the flag', () => {
    const { input } = clusters(21, 4, 500, 20);
    let flaggedAt = Infinity;
    const start = performance.now();
    const result = project(input, {
      settings: settingsFor('tsne', { iterations: 10_000 }),
      shouldStop: () => {
        if (flaggedAt === Infinity && performance.now() - start > 400) flaggedAt = performance.now();
        return flaggedAt !== Infinity;
      },
    });
    expect(result).toBeNull();
    expect(performance.now() - flaggedAt).toBeLessThan(200);
  });

  it('shouldStop also interrupts the neighbour search of a large input', () => {
    const random = mulberry32(3);
    const count = 20_000;
    const values = Float32Array.from({ length: count * 20 }, () => random());
    const start = performance.now();
    const result = project(
      { values, count, dim: 20 },
      { settings: settingsFor('umap'), shouldStop: () => performance.now() - start > 50 },
    );
    expect(result).toBeNull();
    expect(performance.now() - start).toBeLessThan(250);
  });

  it('reports progress at most every ~100 ms, with a copy of the positions', () => {
    const reports: { done: number; total: number; at: number; length: number }[] = [];
    project(data.input, {
      settings: settingsFor('umap', { iterations: 300 }),
      onProgress: (done, total, positions) =>
        reports.push({ done, total, at: performance.now(), length: positions?.length ?? -1 }),
    });
    expect(reports.length).toBeGreaterThan(0);
    for (let r = 1; r < reports.length; r++) {
      expect(reports[r]!.done).toBeGreaterThan(reports[r - 1]!.done);
      expect(reports[r]!.at - reports[r - 1]!.at).toBeGreaterThanOrEqual(99);
    }
    expect(reports.every((r) => r.total === 300 && r.length === data.input.count * 2)).toBe(true);
  });
});

describe('tiny and bad inputs', () => {
  it.each(['pca', 'umap', 'tsne', 'axes'] as const)('%s copes with 0, 1, 2, 3 and 5 points', (method) => {
    for (const count of [0, 1, 2, 3, 5]) {
      const random = mulberry32(count + 1);
      const values = Float32Array.from({ length: count * 4 }, () => random());
      const settings = settingsFor(method, { iterations: 50 });
      const result = project({ values, count, dim: 4 }, { settings })!;
      expect(result.positions.length).toBe(count * 2);
      expect(result.positions.every(Number.isFinite)).toBe(true);
      const warm = project({ values, count, dim: 4 }, { settings, init: result.positions })!;
      expect(warm.positions.every(Number.isFinite)).toBe(true);
    }
  });

  it('copes with identical codes and with codes of one or zero dimensions', () => {
    const same = { values: new Float32Array(40 * 3).fill(0.5), count: 40, dim: 3 };
    const line = { values: Float32Array.from({ length: 30 }, (_, i) => i), count: 30, dim: 1 };
    const empty = { values: new Float32Array(0), count: 20, dim: 0 };
    for (const method of ['pca', 'umap', 'tsne', 'axes'] as const) {
      for (const input of [same, line, empty]) {
        const result = project(input, { settings: settingsFor(method, { iterations: 60 }) })!;
        expect(result.positions.every(Number.isFinite)).toBe(true);
      }
    }
  });

  it('starts cold when the warm-start layout is unusable (wrong length, NaN)', () => {
    const settings = settingsFor('tsne', { iterations: 300 });
    const small = clusters(5, 3, 30, 4).input;
    const cold = project(small, { settings })!.positions;
    for (const init of [new Float32Array(7), new Float32Array(small.count * 2).fill(NaN)]) {
      expect(project(small, { settings, init })!.positions).toEqual(cold);
    }
  });

  it('refuses NaN codes and a values array too short for count × dim', () => {
    const settings = settingsFor('tsne');
    expect(() => project({ values: new Float32Array([1, NaN]), count: 1, dim: 2 }, { settings })).toThrow(
      /NaN/,
    );
    expect(() => project({ values: new Float32Array(3), count: 2, dim: 2 }, { settings })).toThrow(
      /cannot hold/,
    );
  });
});
