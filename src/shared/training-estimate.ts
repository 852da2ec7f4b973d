/**
 * How long a training run will take, before it starts: the optimizer steps its settings plan, and
 * the minutes those take at a speed the engine measured for this model on this backend
 * (`train:estimate-speed`). Estimates, so the app shows them with "≈".
 */
import type { ChannelMode, ImageSize } from './dataset-types';
import { batchesPerEpoch } from './model-presets';
import type { BackendName } from './backend-types';
import type { TrainSettings } from './train-settings';

/** What the training speed depends on: the model, its batch, and the image format. */
export type SpeedProbe = Pick<
  TrainSettings,
  'model' | 'likelihood' | 'latentDim' | 'width' | 'depth' | 'batchSize'
> & {
  size: ImageSize;
  channels: ChannelMode;
};

export interface SpeedEstimate {
  /** The backend that measured it. */
  backend: BackendName;
  /** Training images per second (forward, backward and the Adam update), after a warm-up step. */
  imagesPerSecond: number;
}

/** The largest batch a speed probe times; a bigger one runs at about the same images per second. */
export const SPEED_PROBE_MAX_BATCH = 256;

/** One key per measured speed: the same model, batch and format on the same backend. */
export function speedKey(backend: BackendName, probe: SpeedProbe): string {
  const { model, likelihood, latentDim, width, depth, batchSize, size, channels } = probe;
  return JSON.stringify([backend, model, likelihood, size, channels, width, depth, latentDim, batchSize]);
}

/** The steps a run plans: every epoch is `batchesPerEpoch` steps. */
export function plannedSteps(epochs: number, trainImages: number, batchSize: number): number {
  return epochs * batchesPerEpoch(trainImages, batchSize);
}

/**
 * A forward pass (evaluation, the map's codes) costs roughly this share of a training step per
 * image: the backward pass is about twice the forward one, and the update is small.
 */
export const FORWARD_SHARE = 1 / 3;

export interface RunSize {
  epochs: number;
  /** Training images one epoch goes through. */
  trainImages: number;
  /** Images one epoch's end encodes and decodes: validation and test evaluation, the map's points. */
  evaluatedImages: number;
}

/**
 * Seconds for the run's training steps and its per-epoch evaluation at `imagesPerSecond`.
 * Checkpoints, the map's layout and the gallery's images are left out: they add a little per epoch.
 */
export function runSeconds(
  { epochs, trainImages, evaluatedImages }: RunSize,
  imagesPerSecond: number,
): number {
  if (!(imagesPerSecond > 0)) return Number.NaN;
  return (epochs * (trainImages + evaluatedImages * FORWARD_SHARE)) / imagesPerSecond;
}

const intFormat = new Intl.NumberFormat('en-US');
const hoursFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

/** "≈ 1,500 steps". */
export function stepsText(steps: number): string {
  return `≈ ${intFormat.format(steps)} ${steps === 1 ? 'step' : 'steps'}`;
}

/** "under a minute", "≈ 4 minutes", "≈ 2.5 hours". */
export function durationText(seconds: number): string {
  const minutes = seconds / 60;
  if (minutes < 1) return 'under a minute';
  if (minutes < 100) {
    const whole = Math.round(minutes);
    return `≈ ${whole} ${whole === 1 ? 'minute' : 'minutes'}`;
  }
  const hours = minutes / 60;
  return `≈ ${hoursFormat.format(hours < 10 ? Math.round(hours * 2) / 2 : Math.round(hours))} hours`;
}
