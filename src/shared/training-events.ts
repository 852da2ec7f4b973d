/** What a training job reports while it runs: its state, its progress and each epoch's metrics and codes. */
import type { MetadataField } from './dataset-types';
import type { Likelihood } from './train-settings';

export type TrainState = 'loading' | 'running' | 'paused' | 'cancelled' | 'completed' | 'failed' | 'diverged';

export interface TrainStateChange {
  jobId: string;
  /** The run this job trains (its folder under runs/), once it has one. */
  runId: string | null;
  state: TrainState;
  /** Set when state is 'failed' or 'diverged': what happened, in plain words. */
  error: string | null;
  /** The newest complete checkpoint, offered to resume from after a stop or divergence. */
  lastCheckpointEpoch: number | null;
  /**
   * A note in plain words: on the job's first state change, what changed in a folder since the run
   * being continued last trained on it; on the final one ('completed'), why training stopped before
   * its last epoch (early stopping on the validation split).
   */
  notice?: string;
}

export interface TrainProgress {
  jobId: string;
  epoch: number;
  epochs: number;
  batch: number;
  batchesPerEpoch: number;
  /** Mean negative ELBO per image over the batches of this epoch so far (nats). */
  loss: number;
  imagesPerSecond: number;
  /** Seconds until the whole run ends, at the current speed. */
  etaSeconds: number;
  elapsedSeconds: number;
}

export interface EpochMetrics {
  epoch: number;
  /** β in effect during this epoch (after warm-up). */
  beta: number;
  /** The rate of the epoch's last step: the base rate, scaled by the schedule when there is one. */
  learningRate: number;
  /**
   * The base rate the schedule scaled (the setting, or the last "set learning rate"); written only
   * under a schedule, where it differs from `learningRate`. Continuing a run starts from this one.
   */
  baseLearningRate?: number;
  /**
   * Train negative ELBO in bits per pixel channel (nats / (D · ln 2)); null for a continuous
   * (Gaussian) likelihood, whose density on [0, 1] gives no bits (it can even go negative).
   */
  trainBitsPerDim: number | null;
  testBitsPerDim: number | null;
  /** Held-out KL per latent dimension, nats per image. */
  klPerDimension: number[];
  /**
   * Active units (Burda et al. 2016): dimensions u with Var_x(E_q(z|x)[z_u]) > 0.01 over the
   * held-out set. Runs without `likelihood` below counted dimensions with KL > 0.01 nats instead.
   */
  activeUnits: number;
  /**
   * The p(x | z) every loss of this line is under. Written since bits/dim and active units follow
   * the published definitions; a line without it is from an older run ("old definition").
   */
  likelihood?: Likelihood;
  /** Held-out Var_x(E_q(z|x)[z_u]) per latent dimension (what active units threshold). */
  latentMeanVariance?: number[];
  /**
   * Held-out mutual information I(x; z) under q, nats (Hoffman & Johnson 2016; He et al. 2019):
   * E_x[KL(q(z|x) ‖ p(z))] − KL(q(z) ‖ p(z)). Near 0 when the posterior has collapsed.
   */
  mutualInformation?: number;
  /** Mean negative ELBO per training image (nats). */
  trainLoss: number;
  /** Negative ELBO per held-out image (nats). */
  testLoss: number;
  /** Held-out reconstruction term (nats per image). */
  testReconstruction: number;
  /** Held-out KL term (nats per image). */
  testKl: number;
  /**
   * Negative ELBO per validation image (nats): what picks the best checkpoint. The test figures
   * are only reported, never used to choose (issue 14). Absent in runs from before validation
   * sets, and when a dataset is too small to have one.
   */
  validationLoss?: number;
  imagesPerSecond: number;
  wallSeconds: number;
}

/** The latent codes of the display subset after an epoch. Bulk data travels as typed arrays. */
export interface LatentSnapshot {
  jobId: string;
  /** The run folder it belongs to (null when the job writes none, e.g. in tests). */
  runId: string | null;
  epoch: number;
  metrics: EpochMetrics;
  count: number;
  latentDim: number;
  /** Encoder means, row-major count × latentDim. */
  means: Float32Array;
  labels: Uint8Array;
  classNames: string[];
  /** Per-point values of the dataset's metadata fields (e.g. sprite factors), for colouring. */
  metadata: { field: MetadataField; values: Float32Array }[];
}
