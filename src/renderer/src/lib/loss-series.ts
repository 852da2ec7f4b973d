/** Pure helpers for the loss chart: thinning long runs and choosing a readable y range. */
import type { EpochMetrics } from '../../../shared/types';
import type { BatchLossPoint } from '../state/training.svelte';

/**
 * Splits the running loss into one segment per epoch (the running mean restarts each epoch, so
 * joining them would draw a false jump) and keeps about `budget` points, always each epoch's last.
 */
export function batchSegments(points: readonly BatchLossPoint[], budget: number): BatchLossPoint[][] {
  const stride = Math.max(1, Math.ceil(points.length / Math.max(1, budget)));
  const segments: BatchLossPoint[][] = [];
  let current: BatchLossPoint[] = [];
  points.forEach((point, i) => {
    const next = points[i + 1];
    const endsEpoch = next === undefined || next.epoch !== point.epoch;
    if (i % stride === 0 || endsEpoch) current.push(point);
    if (endsEpoch) {
      segments.push(current);
      current = [];
    }
  });
  return segments;
}

/**
 * The y range to show. The first epoch's running mean starts several times higher than everything
 * after it, so once the run is past it, it may leave the top of the plot: first its opening tenth,
 * then (from the middle of epoch 2) all of it. Epoch points always count.
 */
export function lossDomain(
  points: readonly BatchLossPoint[],
  epochs: readonly EpochMetrics[],
): [number, number] | null {
  const lastX = points.at(-1)?.x ?? 0;
  const skipBefore = lastX > 1.5 ? 1 : lastX > 0.5 || epochs.length > 0 ? 0.1 : -Infinity;
  let low = Infinity;
  let high = -Infinity;
  const take = (v: number): void => {
    if (!Number.isFinite(v)) return;
    low = Math.min(low, v);
    high = Math.max(high, v);
  };
  for (const p of points) if (p.x >= skipBefore) take(p.loss);
  for (const m of epochs) {
    take(m.trainLoss);
    take(m.testLoss);
    if (typeof m.validationLoss === 'number') take(m.validationLoss);
  }
  if (low === Infinity) {
    // Too early: fall back to whatever we have.
    for (const p of points) take(p.loss);
  }
  if (low === Infinity) return null;
  const pad = Math.max((high - low) * 0.06, Math.abs(high) * 0.01, 1e-6);
  return [low - pad, high + pad];
}

/**
 * How far the loss chart's epoch axis reaches: the planned epochs while a run trains (how far it
 * has come shows), the epochs it has once it stopped. A run stopped early by its patience or its
 * time budget (the colour-folder defaults plan 188 epochs and often stop near 30) would otherwise
 * sit in the first few percent of the plot. Before any epoch, the planned epochs.
 */
export function epochAxisEnd(planned: number, done: number, training: boolean): number {
  return Math.max(1, training ? Math.max(planned, done) : done || planned);
}
