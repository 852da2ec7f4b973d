/**
 * The latent map's layouts behind one call: raw axes, PCA, t-SNE and UMAP of the encoder means.
 * Pure and synchronous (the engine runs it off the training loop); iterative methods poll
 * `shouldStop` and report progress. Layouts are not aligned here: the caller rotates each onto the
 * previous one (align.ts).
 */
import type { ProjectionSettings } from '../../../shared/projection-types';
import { principalAxes, projectOntoAxes } from './pca';
import { placeAround, rowsOf, sampleIndices } from './sampled-layout';
import { tsne } from './tsne';
import { umap } from './umap';

export interface ProjectionInput {
  /** Row-major count × dim latent means. */
  values: Float32Array;
  count: number;
  dim: number;
}

export interface ProjectOptions {
  settings: ProjectionSettings;
  /**
   * Warm start: the previous layout (count × 2). t-SNE/UMAP then skip early exaggeration / their
   * initialisation and run `warmIterations`. Ignored by PCA and raw axes, and (a cold start
   * instead) when its length is not count × 2 or it holds NaN or infinite values.
   */
  init?: Float32Array;
  /**
   * Iterations for a warm-started update. Default: settings.iterations / 25 (40 of t-SNE's 1000),
   * which updates 10,000 points in under 2 s on a 2-core machine.
   */
  warmIterations?: number;
  /**
   * t-SNE and UMAP only: lay out at most this many points (an even sample) and place the others by
   * their nearest sampled codes (sampled-layout.ts), so the cost no longer grows with the count.
   * `init` is still the previous layout of all count points. Progress then carries no positions.
   */
  sample?: number;
  /** t-SNE and UMAP only: at most this many iterations from scratch (the live map's cap). */
  coldIterations?: number;
  /** Checked every iteration (and inside long kNN loops); returning true stops and project() returns null. */
  shouldStop?: () => boolean;
  /**
   * Called at most every ~100 ms with iterations done/total and, for iterative methods, the
   * current positions (a fresh copy the caller may keep). PCA and raw axes report (1, 1, null) once.
   */
  onProgress?: (done: number, total: number, positions: Float32Array | null) => void;
}

export interface ProjectionResult {
  /** count × 2. t-SNE and UMAP layouts are centred on the origin. */
  positions: Float32Array;
  /** PCA only: maps a position (x, y) back to the code mean + x·components[0] + y·components[1]. */
  pca?: { mean: Float32Array; components: Float32Array /* 2×dim row-major */ };
  /** When `sample` applied: how many points the method laid out (the rest were placed). */
  sampled?: number;
}

/** Share of `settings.iterations` a warm-started update runs by default. */
export const WARM_ITERATION_FRACTION = 1 / 25;

export function defaultWarmIterations(settings: ProjectionSettings): number {
  return Math.max(1, Math.round(settings.iterations * WARM_ITERATION_FRACTION));
}

function checkInput({ values, count, dim }: ProjectionInput): void {
  if (!Number.isInteger(count) || count < 0 || !Number.isInteger(dim) || dim < 0)
    throw new RangeError(`projection: count and dim must be non-negative integers (got ${count}, ${dim})`);
  if (values.length < count * dim)
    throw new RangeError(`projection: ${values.length} values cannot hold ${count} × ${dim} codes`);
  for (let i = 0; i < count * dim; i++) {
    if (!Number.isFinite(values[i]!))
      throw new RangeError(`projection: code ${Math.floor(i / dim)} holds a NaN or infinite value`);
  }
}

function usableInit(init: Float32Array | undefined, count: number): Float32Array | undefined {
  if (!init || init.length !== count * 2) return undefined;
  for (let i = 0; i < init.length; i++) if (!Number.isFinite(init[i]!)) return undefined;
  return init;
}

/** The layout of `input` by `options.settings.method`, or null when `shouldStop` asked to stop. */
export function project(input: ProjectionInput, options: ProjectOptions): ProjectionResult | null {
  checkInput(input);
  const { method } = options.settings;
  const sample = options.sample ?? Infinity;
  if ((method === 'tsne' || method === 'umap') && input.count > sample) return projectSample(input, options);
  return projectAll(input, options);
}

/** Lays out an even sample of the points and places the rest by their nearest sampled codes. */
function projectSample(input: ProjectionInput, options: ProjectOptions): ProjectionResult | null {
  const indices = sampleIndices(input.count, options.sample!);
  const init = usableInit(options.init, input.count);
  const onProgress = options.onProgress;
  const laidOut = projectAll(
    { values: rowsOf(input.values, input.dim, indices), count: indices.length, dim: input.dim },
    {
      ...options,
      sample: undefined,
      init: init && rowsOf(init, 2, indices),
      onProgress: onProgress && ((done, total) => onProgress(done, total, null)),
    },
  );
  if (!laidOut) return null;
  if (options.shouldStop?.()) return null;
  return { positions: placeAround(input, indices, laidOut.positions), sampled: indices.length };
}

function projectAll(input: ProjectionInput, options: ProjectOptions): ProjectionResult | null {
  const { shouldStop, onProgress } = options;
  const settings =
    options.coldIterations === undefined
      ? options.settings
      : { ...options.settings, iterations: Math.min(options.settings.iterations, options.coldIterations) };
  if (shouldStop?.()) return null;
  const { values, count, dim } = input;
  const init = usableInit(options.init, count);
  const warmIterations = options.warmIterations ?? defaultWarmIterations(options.settings);
  const callbacks = { shouldStop, onProgress };
  switch (settings.method) {
    case 'axes': {
      const positions = rawAxes(input, settings.axes);
      onProgress?.(1, 1, null);
      return { positions };
    }
    case 'pca': {
      const axes = principalAxes(values, count, dim);
      const positions = projectOntoAxes(values, count, dim, axes);
      onProgress?.(1, 1, null);
      return { positions, pca: axes };
    }
    case 'tsne': {
      const positions = tsne(input, {
        ...callbacks,
        perplexity: settings.perplexity,
        iterations: settings.iterations,
        seed: settings.seed,
        init,
        warmIterations,
      });
      return positions ? { positions } : null;
    }
    case 'umap': {
      const positions = umap(input, {
        ...callbacks,
        neighbors: settings.neighbors,
        minDist: settings.minDist,
        epochs: settings.iterations,
        seed: settings.seed,
        init,
        warmEpochs: warmIterations,
      });
      return positions ? { positions } : null;
    }
  }
}

/** The two chosen latent dimensions, each clamped into 0…dim−1 (zeros when there are none). */
function rawAxes({ values, count, dim }: ProjectionInput, axes: [number, number]): Float32Array {
  const positions = new Float32Array(count * 2);
  if (dim === 0) return positions;
  const clamp = (axis: number) =>
    Number.isFinite(axis) ? Math.min(dim - 1, Math.max(0, Math.floor(axis))) : 0;
  const [x, y] = [clamp(axes[0]), clamp(axes[1])];
  for (let i = 0; i < count; i++) {
    positions[i * 2] = values[i * dim + x]!;
    positions[i * 2 + 1] = values[i * dim + y]!;
  }
  return positions;
}
