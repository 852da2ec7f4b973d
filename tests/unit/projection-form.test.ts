import { describe, expect, it } from 'vitest';
import { DEFAULT_PROJECTION_SETTINGS, type ProjectionSettings } from '../../src/shared/projection-types';
import {
  PROJECTION_PARAMS,
  copyProjection,
  describeProjection,
  projectionProblems,
  sameProjection,
  withMethod,
} from '../../src/renderer/src/lib/projection-form';

const settings = (changes: Partial<ProjectionSettings>): ProjectionSettings => ({
  ...DEFAULT_PROJECTION_SETTINGS,
  ...changes,
});

describe('the projection form', () => {
  it('offers each method only the parameters it takes', () => {
    expect(PROJECTION_PARAMS.pca).toEqual([]);
    expect(PROJECTION_PARAMS.tsne).toEqual(['perplexity', 'iterations']);
    expect(PROJECTION_PARAMS.umap).toEqual(['neighbors', 'minDist', 'iterations']);
    expect(PROJECTION_PARAMS.axes).toEqual(['axes']);
  });

  it('moves an untouched iteration count to the new method’s default, and keeps a chosen one', () => {
    expect(withMethod(settings({ method: 'tsne', iterations: 1000 }), 'umap').iterations).toBe(500);
    expect(withMethod(settings({ method: 'umap', iterations: 500 }), 'tsne').iterations).toBe(1000);
    expect(withMethod(settings({ method: 'tsne', iterations: 300 }), 'umap').iterations).toBe(300);
    expect(withMethod(settings({ method: 'pca' }), 'tsne')).toMatchObject({
      method: 'tsne',
      iterations: 1000,
    });
  });

  it('checks only the parameters the method uses, against the engine’s limits', () => {
    expect(projectionProblems(settings({ method: 'pca', perplexity: -1 }), 8)).toEqual({});
    expect(projectionProblems(settings({ method: 'tsne', perplexity: 1 }), 8)).toEqual({
      perplexity: 'Between 2 and 100',
    });
    expect(projectionProblems(settings({ method: 'umap', neighbors: 2.5, minDist: 1.5 }), 8)).toEqual({
      neighbors: 'Enter a whole number',
      minDist: 'Between 0 and 1',
    });
    expect(projectionProblems(settings({ method: 'tsne', iterations: Number.NaN }), 8)).toEqual({
      iterations: 'Enter a number',
    });
  });

  it('wants two different axes inside the latent space', () => {
    expect(projectionProblems(settings({ method: 'axes', axes: [0, 1] }), 2)).toEqual({});
    expect(projectionProblems(settings({ method: 'axes', axes: [1, 1] }), 4).axes).toMatch(/different/);
    expect(projectionProblems(settings({ method: 'axes', axes: [0, 4] }), 4).axes).toBe(
      'Pick dimensions 1 to 4',
    );
  });

  it('tells settings apart only by what changes the layout', () => {
    const tsne = settings({ method: 'tsne' });
    expect(sameProjection(tsne, { ...tsne, neighbors: 99 })).toBe(true);
    expect(sameProjection(tsne, { ...tsne, perplexity: 31 })).toBe(false);
    expect(sameProjection(tsne, { ...tsne, method: 'umap' })).toBe(false);
    expect(
      sameProjection(settings({ method: 'axes', axes: [0, 1] }), settings({ method: 'axes', axes: [1, 0] })),
    ).toBe(false);
  });

  it('describes settings in words', () => {
    expect(describeProjection(settings({ method: 'pca' }))).toBe('PCA');
    expect(describeProjection(settings({ method: 'tsne', perplexity: 30, iterations: 1000 }))).toBe(
      't-SNE · perplexity 30 · 1,000 iterations',
    );
    expect(describeProjection(settings({ method: 'axes', axes: [2, 0] }))).toBe(
      'Raw axes · dimensions 3 and 1',
    );
  });

  it('copies without sharing the axes pair', () => {
    const original = settings({ axes: [0, 1] });
    const copy = copyProjection(original);
    copy.axes[0] = 5;
    expect(original.axes).toEqual([0, 1]);
  });
});
