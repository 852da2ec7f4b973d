/**
 * Exact k nearest neighbours (Euclidean) of every point among the others, shared by t-SNE and UMAP.
 *
 * Why our own: umap-js finds neighbours approximately (random-projection trees + NN-descent over
 * `number[][]`), which takes seconds for 10,000 points and is not exact, and t-SNE's affinities are
 * defined on exact neighbours. VAE codes use all their dimensions (20 active of 20 is common), where
 * trees prune poorly for the 90 neighbours t-SNE asks for, so a brute-force scan shaped for typed
 * arrays wins:
 * - each pair is visited once and its distance offered to both points' lists;
 * - ‖a−b‖² = ‖a‖² + ‖b‖² − 2a·b on centred data, four rows against two columns at a time, so every
 *   load feeds several multiply-adds (about 2× faster than one row at a time);
 * - the points are first put in k-d order and each one's list is seeded with the k points after
 *   it in that order, so its k-th distance is near its final value early and most candidates cost
 *   one comparison against a contiguous `worst` array instead of a heap update.
 * 10,000 × 20 codes with k = 91 take about 1 s on a 2-core EPYC, three quarters of it in the
 * multiply-adds. Pruning pairs on a partial distance over the leading principal axes saved 30 %
 * at k = 15 but nothing at k = 91 (distances concentrate in 20-D: the 91st neighbour lies at
 * 0.6× the median pair distance), so it is not done.
 */
import { centredInOrder, kdOrder } from './kd-order';
import { NeighbourHeaps, siftDown, swap } from './neighbour-heaps';

export interface NearestNeighbours {
  count: number;
  /** Neighbours per point (at most count − 1). */
  k: number;
  /** Row-major count × k neighbour indices, nearest first; a point is never its own neighbour. */
  indices: Int32Array;
  /** Row-major count × k Euclidean distances, ascending per row. */
  distances: Float32Array;
}

export interface KnnOptions {
  /** Polled every 64 rows; when it returns true the search stops and returns null. */
  shouldStop?: () => boolean;
}

/** Rows per block of the scan (the kernel below is written for four). */
const BLOCK = 4;
function squaredDistanceByNorms(
  x: Float64Array,
  norms: Float64Array,
  dim: number,
  a: number,
  b: number,
): number {
  let dot = 0;
  for (let d = 0; d < dim; d++) dot += x[a * dim + d]! * x[b * dim + d]!;
  return Math.max(0, norms[a]! + norms[b]! - 2 * dot);
}

/** Rows per tile of the scan, and between two `shouldStop` polls. */
const ROW_TILE = 64;
/** Columns per tile: 512 rows of 20 float64s stay in L2 while a row tile passes over them. */
const COLUMN_TILE = 512;

/** Offers (i…i+3) × [from, to): four rows against two columns at a time. */
function scanBlock(
  x: Float64Array,
  norms: Float64Array,
  dim: number,
  i: number,
  from: number,
  to: number,
  heaps: NeighbourHeaps,
): void {
  const r0 = i * dim;
  const r1 = r0 + dim;
  const r2 = r1 + dim;
  const r3 = r2 + dim;
  const n0 = norms[i]!;
  const n1 = norms[i + 1]!;
  const n2 = norms[i + 2]!;
  const n3 = norms[i + 3]!;
  let j = from;
  for (; j + 1 < to; j += 2) {
    const rj = j * dim;
    const rk = rj + dim;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let t0 = 0;
    let t1 = 0;
    let t2 = 0;
    let t3 = 0;
    for (let d = 0; d < dim; d++) {
      const v = x[rj + d]!;
      const w = x[rk + d]!;
      const a0 = x[r0 + d]!;
      const a1 = x[r1 + d]!;
      const a2 = x[r2 + d]!;
      const a3 = x[r3 + d]!;
      s0 += a0 * v;
      s1 += a1 * v;
      s2 += a2 * v;
      s3 += a3 * v;
      t0 += a0 * w;
      t1 += a1 * w;
      t2 += a2 * w;
      t3 += a3 * w;
    }
    const nj = norms[j]!;
    const nk = norms[j + 1]!;
    heaps.offer(i, j, Math.max(0, n0 + nj - 2 * s0));
    heaps.offer(i + 1, j, Math.max(0, n1 + nj - 2 * s1));
    heaps.offer(i + 2, j, Math.max(0, n2 + nj - 2 * s2));
    heaps.offer(i + 3, j, Math.max(0, n3 + nj - 2 * s3));
    heaps.offer(i, j + 1, Math.max(0, n0 + nk - 2 * t0));
    heaps.offer(i + 1, j + 1, Math.max(0, n1 + nk - 2 * t1));
    heaps.offer(i + 2, j + 1, Math.max(0, n2 + nk - 2 * t2));
    heaps.offer(i + 3, j + 1, Math.max(0, n3 + nk - 2 * t3));
  }
  if (j < to) {
    for (let a = i; a < i + BLOCK; a++) heaps.offer(a, j, squaredDistanceByNorms(x, norms, dim, a, j));
  }
}

/** The centred points in k-d order, their squared norms, and the heaps their pairs are offered to. */
interface PairScan {
  x: Float64Array;
  norms: Float64Array;
  count: number;
  dim: number;
  /** Each point's first `window` successors in k-d order are its near pairs. */
  window: number;
  heaps: NeighbourHeaps;
}

/** Offers every pair (a, b) with a < b ≤ a + window: the band along the k-d order. */
function scanNearPairs({ x, norms, count, dim, window, heaps }: PairScan): void {
  const blocks = count - (count % BLOCK);
  const pair = (a: number, b: number) => heaps.offer(a, b, squaredDistanceByNorms(x, norms, dim, a, b));
  for (let i = 0; i < blocks; i += BLOCK) {
    for (let a = i; a < i + BLOCK; a++) for (let b = a + 1; b < i + BLOCK; b++) pair(a, b);
    // Columns inside every row's window together; then the ends of the later rows' windows.
    const shared = Math.min(i + window + 1, count);
    if (i + BLOCK < shared) scanBlock(x, norms, dim, i, i + BLOCK, shared, heaps);
    for (let a = i + 1; a < i + BLOCK; a++) {
      for (let b = shared; b <= Math.min(a + window, count - 1); b++) pair(a, b);
    }
  }
  for (let a = blocks; a < count; a++) {
    for (let b = a + 1; b <= Math.min(a + window, count - 1); b++) pair(a, b);
  }
}

/**
 * Offers every pair (a, b) with b > a + window, in tiles of rows × columns so the columns a tile
 * of rows reads stay in cache. Returns false when stopped.
 */
function scanFarPairs(
  { x, norms, count, dim, window, heaps }: PairScan,
  shouldStop: (() => boolean) | undefined,
): boolean {
  const blocks = count - (count % BLOCK);
  for (let tile = 0; tile < blocks; tile += ROW_TILE) {
    if (shouldStop?.()) return false;
    const tileEnd = Math.min(blocks, tile + ROW_TILE);
    // A block's rows scan together from the first column past the last row's window; the few
    // columns past the earlier rows' windows but before that go one by one.
    for (let i = tile; i < tileEnd; i += BLOCK) {
      for (let a = i; a < i + BLOCK - 1; a++) {
        for (let b = a + window + 1; b < Math.min(i + BLOCK + window, count); b++)
          heaps.offer(a, b, squaredDistanceByNorms(x, norms, dim, a, b));
      }
    }
    for (let columns = tile + BLOCK + window; columns < count; columns += COLUMN_TILE) {
      const columnsEnd = Math.min(count, columns + COLUMN_TILE);
      for (let i = tile; i < tileEnd; i += BLOCK) {
        const from = Math.max(columns, i + BLOCK + window);
        if (from < columnsEnd) scanBlock(x, norms, dim, i, from, columnsEnd, heaps);
      }
    }
  }
  for (let a = blocks; a < count; a++) {
    for (let b = a + window + 1; b < count; b++)
      heaps.offer(a, b, squaredDistanceByNorms(x, norms, dim, a, b));
  }
  return true;
}

/**
 * The k nearest other points of every point, or null when `shouldStop` asked to stop. k is clamped
 * to count − 1 (so 0 or 1 point gives empty lists). Ties are broken by the lower index.
 */
export function exactKnn(
  values: Float32Array,
  count: number,
  dim: number,
  requestedK: number,
  options: KnnOptions = {},
): NearestNeighbours | null {
  const k = Math.max(0, Math.min(Math.floor(requestedK), count - 1));
  if (k === 0) return { count, k, indices: new Int32Array(0), distances: new Float32Array(0) };
  const input = new Float64Array(values.subarray(0, count * dim));
  const order = kdOrder(input, count, dim);
  const x = centredInOrder(values, order, dim);
  const norms = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    let s = 0;
    for (let d = 0; d < dim; d++) s += x[i * dim + d]! ** 2;
    norms[i] = s;
  }
  const heaps = new NeighbourHeaps(count, k);
  // Seed: pairs within `window` positions in k-d order (at least a block, so the scan below never
  // revisits a pair inside one).
  const window = Math.max(k, BLOCK - 1);
  const scan = { x, norms, count, dim, window, heaps };
  scanNearPairs(scan);
  if (!scanFarPairs(scan, options.shouldStop)) return null;
  return sortedNeighbours(heaps, x, order, count, dim, k);
}

/**
 * Heap order → ascending rows, back in input numbering: heapsort on the expanded distances, then
 * the exact distances from differences (the expansion chose the set; the subtraction gives the
 * value and settles near-ties, an insertion pass over a row that is already nearly in order).
 */
function sortedNeighbours(
  heaps: NeighbourHeaps,
  x: Float64Array,
  order: Int32Array,
  count: number,
  dim: number,
  k: number,
): NearestNeighbours {
  const indices = new Int32Array(count * k);
  const distances = new Float32Array(count * k);
  const rowDistance = new Float64Array(k);
  const rowIndex = new Int32Array(k);
  for (let p = 0; p < count; p++) {
    rowDistance.set(heaps.distance.subarray(p * k, (p + 1) * k));
    rowIndex.set(heaps.index.subarray(p * k, (p + 1) * k));
    for (let end = k - 1; end > 0; end--) {
      swap(rowDistance, rowIndex, 0, end);
      siftDown(rowDistance, rowIndex, end);
    }
    for (let s = 0; s < k; s++) {
      const q = rowIndex[s]!;
      let sum = 0;
      for (let d = 0; d < dim; d++) sum += (x[p * dim + d]! - x[q * dim + d]!) ** 2;
      const original = order[q]!;
      let t = s - 1;
      while (t >= 0 && (rowDistance[t]! > sum || (rowDistance[t] === sum && rowIndex[t]! > original))) {
        rowDistance[t + 1] = rowDistance[t]!;
        rowIndex[t + 1] = rowIndex[t]!;
        t--;
      }
      rowDistance[t + 1] = sum;
      rowIndex[t + 1] = original;
    }
    const row = order[p]! * k;
    for (let s = 0; s < k; s++) {
      indices[row + s] = rowIndex[s]!;
      distances[row + s] = Math.sqrt(rowDistance[s]!);
    }
  }
  return { count, k, indices, distances };
}
