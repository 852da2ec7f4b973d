/**
 * The lines `train` writes to stderr: the steps it plans, then one per progress event (about a
 * second) and one per epoch.
 */
import { batchesPerEpoch } from '../shared/model-presets';
import { plannedSteps, stepsText } from '../shared/training-estimate';
import type { EpochMetrics, TrainProgress } from '../shared/training-events';
import { count } from './log';

/** "≈ 1,500 steps (150 epochs of 10 batches)": what the run plans, in optimizer steps. */
export function stepsLine(epochs: number, trainImages: number, batchSize: number): string {
  const batches = batchesPerEpoch(trainImages, batchSize);
  const steps = stepsText(plannedSteps(epochs, trainImages, batchSize));
  return `${steps} (${count(epochs)} ${epochs === 1 ? 'epoch' : 'epochs'} of ${count(batches)} ${batches === 1 ? 'batch' : 'batches'})`;
}

export function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const whole = Math.max(0, Math.round(seconds));
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = whole % 60;
  if (h > 0) return `${h}h${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m${String(s).padStart(2, '0')}s`;
  return `${s}s`;
}

export function progressLine(p: TrainProgress): string {
  return (
    `epoch ${p.epoch}/${p.epochs}  batch ${p.batch}/${p.batchesPerEpoch}  loss ${p.loss.toFixed(2)}  ` +
    `${count(p.imagesPerSecond)} img/s  ETA ${duration(p.etaSeconds)}`
  );
}

/**
 * −ELBO train / held-out in nats (and bits per dimension), its KL part, used latent dimensions,
 * and the learning rate the epoch ended at when a schedule moves it (otherwise it is `--lr`).
 */
export function epochLine(m: EpochMetrics, epochs: number): string {
  const rate = m.baseLearningRate === undefined ? '' : `, lr ${m.learningRate.toExponential(2)}`;
  return (
    `epoch ${m.epoch}/${epochs} done: loss ${m.trainLoss.toFixed(2)} train, ${m.testLoss.toFixed(2)} held out ` +
    `(${m.testBitsPerDim === null ? 'no bits/dim for a continuous likelihood' : `${m.testBitsPerDim.toFixed(4)} bits/dim`}; recon ${m.testReconstruction.toFixed(2)}, KL ${m.testKl.toFixed(2)}), ` +
    `${m.activeUnits}/${m.klPerDimension.length} active dims, ${count(m.imagesPerSecond)} img/s${rate}, ${duration(m.wallSeconds)} so far`
  );
}
