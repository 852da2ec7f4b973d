/**
 * Barnes-Hut t-SNE with scikit-learn's recipe (≥ 1.2 defaults): exact kNN affinities over
 * 3·perplexity neighbours, PCA initialisation scaled to a standard deviation of 1e-4, early
 * exaggeration 12 for the first 250 iterations at momentum 0.5, then momentum 0.8, per-coordinate
 * gains, learning rate max(N / 12 / 4, 50). A warm start skips the exaggeration and continues from a
 * given layout. All buffers are allocated once; an iteration allocates nothing.
 */
import { mulberry32 } from '../random';
import { BarnesHutRepulsion } from './barnes-hut';
import { IterationProgress, type IterationCallbacks } from './iteration-progress';
import { centredCopy, gaussian } from './layout-math';
import { exactKnn } from './knn';
import { principalAxes, projectOntoAxes } from './pca';
import { tsneAffinities, type SparseAffinities } from './tsne-affinities';

export interface TsneInput {
  /** Row-major count × dim. */
  values: Float32Array;
  count: number;
  dim: number;
}

export interface TsneOptions extends IterationCallbacks {
  /** Effective number of neighbours; 3·perplexity nearest neighbours carry the affinities. Default 30. */
  perplexity?: number;
  /** Iterations, early exaggeration included (ignored with `init`, see `warmIterations`). Default 1000. */
  iterations?: number;
  /** Seed of the jitter added to the PCA initialisation; the same seed gives the same layout. Default 1. */
  seed?: number;
  /** A previous layout (count × 2) to continue from: no exaggeration, `warmIterations` iterations. */
  init?: Float32Array;
  /** Iterations of a warm start. Default 50. */
  warmIterations?: number;
  /**
   * Barnes-Hut accuracy (larger is faster and coarser). Default 0.6: our group walk then has a
   * force error below that of scikit-learn's per-point walk at its angle 0.5.
   */
  theta?: number;
}

const EARLY_EXAGGERATION = 12;
const EXAGGERATION_ITERATIONS = 250;
const EARLY_MOMENTUM = 0.5;
const FINAL_MOMENTUM = 0.8;
const MIN_GAIN = 0.01;
/** sklearn's init='pca' scale: the first coordinate's standard deviation. */
const PCA_INIT_STD = 1e-4;
/**
 * Jitter added to the PCA start, relative to its spread (as openTSNE does), so points with equal
 * codes separate and the seed chooses among equally good layouts.
 */
const INIT_JITTER = 0.01;
const DEFAULT_WARM_ITERATIONS = 50;

/** The t-SNE layout (count × 2, centred), or null when `shouldStop` asked to stop. */
export function tsne(input: TsneInput, options: TsneOptions = {}): Float32Array | null {
  const { values, count, dim } = input;
  const perplexity = options.perplexity ?? 30;
  if (count < 2) return new Float32Array(count * 2);
  const knn = exactKnn(values, count, dim, Math.floor(3 * perplexity + 1), options);
  if (!knn) return null;
  const affinities = tsneAffinities(knn, perplexity);
  const positions = new Float64Array(count * 2);
  if (options.init && options.init.length === count * 2) positions.set(options.init);
  else pcaStart(input, options.seed ?? 1, positions);
  const warm = options.init !== undefined && options.init.length === count * 2;
  const iterations = Math.max(
    0,
    Math.floor(warm ? (options.warmIterations ?? DEFAULT_WARM_ITERATIONS) : (options.iterations ?? 1000)),
  );
  const optimiser = new TsneOptimiser(affinities, positions, options.theta ?? 0.6);
  const progress = new IterationProgress(options, iterations);
  const exaggerated = warm ? 0 : Math.min(EXAGGERATION_ITERATIONS, Math.floor(iterations / 4));
  for (let iteration = 0; iteration < iterations; iteration++) {
    if (progress.stopRequested()) return null;
    const early = iteration < exaggerated;
    optimiser.step(early ? EARLY_EXAGGERATION : 1, early ? EARLY_MOMENTUM : FINAL_MOMENTUM);
    if (iteration === exaggerated - 1) optimiser.resetMomentum();
    progress.report(iteration + 1, () => centredCopy(positions));
  }
  if (progress.stopRequested()) return null;
  return centredCopy(positions);
}

/** PCA coordinates scaled so the first has standard deviation 1e-4, plus a little seeded jitter. */
function pcaStart(input: TsneInput, seed: number, out: Float64Array): void {
  const { values, count, dim } = input;
  const projected = projectOntoAxes(values, count, dim, principalAxes(values, count, dim));
  let sum = 0;
  let sumSquares = 0;
  for (let i = 0; i < count; i++) {
    sum += projected[i * 2]!;
    sumSquares += projected[i * 2]! ** 2;
  }
  const variance = sumSquares / count - (sum / count) ** 2;
  const scale = variance > 0 ? PCA_INIT_STD / Math.sqrt(variance) : 0;
  const random = mulberry32(seed);
  for (let i = 0; i < count * 2; i++) {
    out[i] = projected[i]! * scale + PCA_INIT_STD * INIT_JITTER * gaussian(random);
  }
}

/** Each affinity pair once (j > i), so an attraction is computed once and applied to both ends. */
interface UpperPairs {
  rowStart: Int32Array;
  columns: Int32Array;
  values: Float64Array;
}

function upperPairs({ count, rowStart, columns, values }: SparseAffinities): UpperPairs {
  const upper = {
    rowStart: new Int32Array(count + 1),
    columns: new Int32Array(columns.length >> 1),
    values: new Float64Array(columns.length >> 1),
  };
  let write = 0;
  for (let i = 0; i < count; i++) {
    upper.rowStart[i] = write;
    for (let e = rowStart[i]!; e < rowStart[i + 1]!; e++) {
      if (columns[e]! <= i) continue;
      upper.columns[write] = columns[e]!;
      upper.values[write++] = values[e]!;
    }
  }
  upper.rowStart[count] = write;
  return upper;
}

/** Gradient descent state: positions are updated in place. */
class TsneOptimiser {
  private readonly pairs: UpperPairs;
  private readonly repulsion: BarnesHutRepulsion;
  private readonly repulsive: Float64Array;
  private readonly attractive: Float64Array;
  private readonly update: Float64Array;
  private readonly gains: Float64Array;
  private readonly learningRate: number;

  constructor(
    affinities: SparseAffinities,
    private readonly positions: Float64Array,
    private readonly theta: number,
  ) {
    const count = affinities.count;
    this.pairs = upperPairs(affinities);
    this.repulsion = new BarnesHutRepulsion(count);
    this.repulsive = new Float64Array(count * 2);
    this.attractive = new Float64Array(count * 2);
    this.update = new Float64Array(count * 2);
    this.gains = new Float64Array(count * 2).fill(1);
    this.learningRate = Math.max(count / EARLY_EXAGGERATION / 4, 50);
  }

  /** sklearn restarts the descent (updates and gains) when exaggeration ends. */
  resetMomentum(): void {
    this.update.fill(0);
    this.gains.fill(1);
  }

  /** One step: gradient 4·(exaggeration·Σ p q (yi−yj) − Σ q² (yi−yj) / Z), gains, momentum. */
  step(exaggeration: number, momentum: number): void {
    const { positions, repulsive, attractive, update, gains, learningRate } = this;
    const { rowStart, columns, values } = this.pairs;
    const count = positions.length >> 1;
    const sumQ = this.repulsion.compute(positions, this.theta, repulsive);
    attractive.fill(0);
    for (let i = 0; i < count; i++) {
      const xi = positions[i * 2]!;
      const yi = positions[i * 2 + 1]!;
      let attractX = 0;
      let attractY = 0;
      const stop = rowStart[i + 1]!;
      for (let e = rowStart[i]!; e < stop; e++) {
        const j = columns[e]!;
        const dx = xi - positions[j * 2]!;
        const dy = yi - positions[j * 2 + 1]!;
        const w = values[e]! / (1 + dx * dx + dy * dy);
        const fx = w * dx;
        const fy = w * dy;
        attractX += fx;
        attractY += fy;
        attractive[j * 2]! -= fx;
        attractive[j * 2 + 1]! -= fy;
      }
      attractive[i * 2]! += attractX;
      attractive[i * 2 + 1]! += attractY;
    }
    const attraction = 4 * exaggeration;
    const repulsion = sumQ > 0 ? 4 / sumQ : 0;
    for (let c = 0; c < count * 2; c++) {
      const gradient = attraction * attractive[c]! - repulsion * repulsive[c]!;
      const previous = update[c]!;
      let gain = gains[c]!;
      gain = previous * gradient < 0 ? gain + 0.2 : gain * 0.8;
      if (gain < MIN_GAIN) gain = MIN_GAIN;
      gains[c] = gain;
      const next = momentum * previous - learningRate * gain * gradient;
      update[c] = next;
      positions[c]! += next;
    }
  }
}
