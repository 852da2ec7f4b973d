/**
 * UMAP (McInnes et al. 2018) following umap-learn's defaults, on our exact kNN.
 *
 * Why not umap-js: with 10,000 points its `initializeFit` alone takes ~6 s even with precomputed
 * neighbours (Map-backed sparse matrices, plus a search graph built for `transform`), each epoch
 * ~60 ms over `number[][]`, its a/b curve fit is off (see umap-curve.ts), it starts from uniform
 * noise and cannot start from a given layout. This is the same algorithm over typed arrays:
 * - the fuzzy graph of umap-graph.ts, edges below max/epochs dropped (as umap-learn);
 * - PCA initialisation scaled into [0, 10] with 1e-4 noise (umap-learn's init='pca'; its default
 *   spectral init needs an eigen-solver for a sparse 10,000-node graph, PCA keeps the global
 *   arrangement just as well for latent codes);
 * - umap-learn's SGD: edges sampled in proportion to their weight, 5 negative samples each,
 *   gradients clipped to ±4, learning rate decaying linearly to 0.
 * A warm start takes a previous layout as is and runs fewer epochs at a lower learning rate, so the
 * map settles onto the new codes without being shaken apart.
 */
import { mulberry32 } from '../random';
import { IterationProgress, type IterationCallbacks } from './iteration-progress';
import { centredCopy, gaussian } from './layout-math';
import { fastPow } from './fast-pow';
import { exactKnn } from './knn';
import { principalAxes, projectOntoAxes } from './pca';
import { fitCurve } from './umap-curve';
import { fuzzySimplicialSet, type FuzzyGraph } from './umap-graph';

export interface UmapInput {
  /** Row-major count × dim. */
  values: Float32Array;
  count: number;
  dim: number;
}

export interface UmapOptions extends IterationCallbacks {
  /** Size of the local neighbourhood, counting the point itself (umap-learn's n_neighbors). Default 15. */
  neighbors?: number;
  /** How tightly points may pack (0–1). Default 0.1. */
  minDist?: number;
  /** Epochs of a layout from scratch. Default 500. */
  epochs?: number;
  /** Seed of the initial noise and the negative sampling. Default 1. */
  seed?: number;
  /** A previous layout (count × 2) to continue from, at `warmLearningRate` for `warmEpochs`. */
  init?: Float32Array;
  /** Epochs of a warm start. Default 50. */
  warmEpochs?: number;
  /**
   * Initial learning rate of a warm start (from scratch it is 1). Default 0.1: a step of the full
   * rate moves a point up to 4 units, which would scatter a settled layout.
   */
  warmLearningRate?: number;
}

const SPREAD = 1;
const NEGATIVE_SAMPLE_RATE = 5;
const REPULSION_STRENGTH = 1;
const GRADIENT_CLIP = 4;
const INIT_SIZE = 10;
const INIT_NOISE = 1e-4;

/** The UMAP layout (count × 2, centred), or null when `shouldStop` asked to stop. */
export function umap(input: UmapInput, options: UmapOptions = {}): Float32Array | null {
  const { values, count, dim } = input;
  if (count < 2) return new Float32Array(count * 2);
  const neighbours = Math.max(2, Math.min(Math.floor(options.neighbors ?? 15), count));
  const knn = exactKnn(values, count, dim, neighbours - 1, options);
  if (!knn) return null;
  const graph = fuzzySimplicialSet(knn, neighbours);
  const warm = options.init !== undefined && options.init.length === count * 2;
  const epochs = Math.max(0, Math.floor(warm ? (options.warmEpochs ?? 50) : (options.epochs ?? 500)));
  const random = mulberry32(options.seed ?? 1);
  const positions = new Float64Array(count * 2);
  if (warm) positions.set(options.init!);
  else pcaStart(input, random, positions);
  const { a, b } = fitCurve(SPREAD, options.minDist ?? 0.1);
  const layout = new UmapLayout(graph, positions, a, b, Math.max(1, epochs), random);
  const progress = new IterationProgress(options, epochs);
  const learningRate = warm ? (options.warmLearningRate ?? 0.1) : 1;
  for (let epoch = 0; epoch < epochs; epoch++) {
    if (progress.stopRequested()) return null;
    layout.epoch(epoch, learningRate * (1 - epoch / epochs));
    progress.report(epoch + 1, () => centredCopy(positions));
  }
  if (progress.stopRequested()) return null;
  return centredCopy(positions);
}

/** umap-learn's init='pca': PCA coordinates scaled into [0, 10], plus a little noise. */
function pcaStart(input: UmapInput, random: () => number, out: Float64Array): void {
  const { values, count, dim } = input;
  const projected = projectOntoAxes(values, count, dim, principalAxes(values, count, dim));
  let largest = 0;
  for (let i = 0; i < count * 2; i++) largest = Math.max(largest, Math.abs(projected[i]!));
  const expansion = largest > 0 ? INIT_SIZE / largest : 0;
  for (let i = 0; i < count * 2; i++) out[i] = projected[i]! * expansion + INIT_NOISE * gaussian(random);
  // umap-learn then rescales each axis to [0, 10] before optimising.
  for (let axis = 0; axis < 2; axis++) {
    let low = Infinity;
    let high = -Infinity;
    for (let i = 0; i < count; i++) {
      low = Math.min(low, out[i * 2 + axis]!);
      high = Math.max(high, out[i * 2 + axis]!);
    }
    const scale = high > low ? INIT_SIZE / (high - low) : 0;
    for (let i = 0; i < count; i++) out[i * 2 + axis] = (out[i * 2 + axis]! - low) * scale;
  }
}

const clip = (v: number) => (v > GRADIENT_CLIP ? GRADIENT_CLIP : v < -GRADIENT_CLIP ? -GRADIENT_CLIP : v);

/** umap-learn's `optimize_layout_euclidean`, one epoch at a time; positions move in place. */
class UmapLayout {
  private readonly head: Int32Array;
  private readonly tail: Int32Array;
  private readonly epochsPerSample: Float64Array;
  private readonly nextSample: Float64Array;
  private readonly epochsPerNegative: Float64Array;
  private readonly nextNegative: Float64Array;
  /** xorshift32 state for the negative samples (inline: a closure call per sample is slower). */
  private state: number;

  constructor(
    graph: FuzzyGraph,
    private readonly positions: Float64Array,
    private readonly a: number,
    private readonly b: number,
    epochs: number,
    random: () => number,
  ) {
    let largest = 0;
    for (let e = 0; e < graph.weight.length; e++) largest = Math.max(largest, graph.weight[e]!);
    // Edges that would be sampled less than once over the run are dropped, as umap-learn does.
    const keep: number[] = [];
    for (let e = 0; e < graph.weight.length; e++) if (graph.weight[e]! >= largest / epochs) keep.push(e);
    this.head = Int32Array.from(keep, (e) => graph.head[e]!);
    this.tail = Int32Array.from(keep, (e) => graph.tail[e]!);
    this.epochsPerSample = Float64Array.from(keep, (e) => largest / graph.weight[e]!);
    this.nextSample = this.epochsPerSample.slice();
    this.epochsPerNegative = this.epochsPerSample.map((v) => v / NEGATIVE_SAMPLE_RATE);
    this.nextNegative = this.epochsPerNegative.slice();
    this.state = Math.floor(random() * 0xffffffff) | 1;
  }

  epoch(epoch: number, alpha: number): void {
    const { head, tail, epochsPerSample, nextSample, epochsPerNegative, nextNegative, positions, a, b } =
      this;
    const count = positions.length >> 1;
    const attractScale = -2 * a * b;
    const repelScale = 2 * REPULSION_STRENGTH * b;
    const toIndex = count / 4294967296;
    let state = this.state;
    for (let e = 0; e < head.length; e++) {
      if (nextSample[e]! > epoch) continue;
      const j = head[e]!;
      const k = tail[e]!;
      let xj = positions[j * 2]!;
      let yj = positions[j * 2 + 1]!;
      let dx = xj - positions[k * 2]!;
      let dy = yj - positions[k * 2 + 1]!;
      let d2 = dx * dx + dy * dy;
      if (d2 > 0) {
        // d^(2(b−1)) = d^(2b) / d²: one power per sample, exact here (a fifth of the samples);
        // exp(b·ln d²) runs in half the time of Math.pow in V8.
        const power = Math.exp(b * Math.log(d2));
        const coefficient = (attractScale * power) / d2 / (a * power + 1);
        const gx = clip(coefficient * dx) * alpha;
        const gy = clip(coefficient * dy) * alpha;
        xj += gx;
        yj += gy;
        positions[k * 2]! -= gx;
        positions[k * 2 + 1]! -= gy;
      }
      nextSample[e]! += epochsPerSample[e]!;
      const negatives = Math.floor((epoch - nextNegative[e]!) / epochsPerNegative[e]!);
      for (let p = 0; p < negatives; p++) {
        state ^= state << 13;
        state ^= state >>> 17;
        state ^= state << 5;
        // Multiply-shift instead of %, which costs an integer division per sample.
        const other = Math.floor((state >>> 0) * toIndex);
        // The point itself (its stored position is stale while it moves in xj, yj).
        if (other === j) continue;
        dx = xj - positions[other * 2]!;
        dy = yj - positions[other * 2 + 1]!;
        d2 = dx * dx + dy * dy;
        if (d2 > 0) {
          const coefficient = repelScale / ((0.001 + d2) * (a * fastPow(d2, b) + 1));
          xj += clip(coefficient * dx) * alpha;
          yj += clip(coefficient * dy) * alpha;
        }
        // d² = 0: an exact duplicate; umap-learn leaves it alone.
      }
      positions[j * 2] = xj;
      positions[j * 2 + 1] = yj;
      if (negatives > 0) nextNegative[e]! += negatives * epochsPerNegative[e]!;
    }
    this.state = state;
  }
}
