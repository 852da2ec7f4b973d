/** Domain types shared by every layer. Pure TypeScript: no electron, node or DOM imports. */
import type { BuiltinDatasetId, MetadataField } from './dataset-types';

export const BACKEND_NAMES = ['tensorflow-gpu', 'webgpu', 'tensorflow', 'wasm', 'cpu'] as const;
/** A TensorFlow.js backend the engine can run on, best first. */
export type BackendName = (typeof BACKEND_NAMES)[number];
/** What the user asked for: a named backend, or the best one that loads. */
export type BackendPreference = BackendName | 'auto';

export interface BackendReport {
  /** The backend in use. */
  name: BackendName;
  /** Human-readable name for the status bar, e.g. "WebAssembly (SIMD)". */
  label: string;
  /** True when an environment variable or the setting chose it, not the automatic order. */
  forced: boolean;
  /** Each better backend that was not used, with the reason. */
  skipped: { name: BackendName; reason: string }[];
  /** The GPU behind the webgpu backend (present only when webgpu is in use). */
  adapter?: GpuAdapterReport;
}

/** A WebGPU adapter as Dawn describes it: what the status bar and the command line name. */
export interface GpuAdapterReport {
  /** e.g. "nvidia", "amd", "intel", "apple", "google" (SwiftShader). */
  vendor: string;
  /** e.g. "ampere", "rdna-3", "swiftshader". */
  architecture: string;
  device: string;
  /** The driver's own words, e.g. "NVIDIA GeForce RTX 4090" or "SwiftShader driver 5.0.0". */
  description: string;
  /** A CPU emulation (SwiftShader, llvmpipe, WARP): correct but slower than WebAssembly. */
  software: boolean;
  /** The largest single buffer in bytes: bounds batch size × image size on this GPU. */
  maxBufferSize: number;
  maxStorageBufferBindingSize: number;
}

export type EngineState = 'starting' | 'ready' | 'crashed' | 'restarting';

export interface EngineStatus {
  state: EngineState;
  backend: BackendReport | null;
  preference: BackendPreference;
  /** Plain-words explanation of the last crash or restart, if any. */
  message: string | null;
  restarts: number;
}

export interface BuiltinDataset {
  id: BuiltinDatasetId;
  name: string;
  description: string;
  trainCount: number;
  testCount: number;
  imageSize: number;
  channels: 1 | 3;
  classNames: string[];
}

export type ModelKind = 'mlp' | 'conv';
export const LIKELIHOODS = [
  'bernoulli',
  'discretized-logistic',
  'gaussian-fixed',
  'gaussian-learned',
] as const;
/**
 * p(x | z):
 * - 'bernoulli': binary cross-entropy; a likelihood for binary images (digits, sprites). On grey
 *   levels it is a cross-entropy, not the probability of the 8-bit pixels.
 * - 'discretized-logistic': a logistic per pixel integrated over its 8-bit bin, with a learned
 *   log-scale per channel (Salimans et al. 2017, PixelCNN++): a probability mass over the 256
 *   levels, so −ELBO bounds the NLL of the 8-bit images and bits/dim is comparable with the literature.
 * - 'gaussian-fixed' / 'gaussian-learned': continuous densities on [0, 1] (σ = 0.1, a scaled MSE,
 *   or one learned σ with a floor). Loss only: a density is not a probability, so no bits/dim.
 */
export type Likelihood = (typeof LIKELIHOODS)[number];

/**
 * Formats a trained model exports to: 'tfjs' (model.json + weights.bin, which the app imports
 * back) or 'onnx' (encoder.onnx + decoder.onnx with a README and samples, for notebooks and web pages).
 */
export const MODEL_EXPORT_FORMATS = ['tfjs', 'onnx'] as const;
export type ModelExportFormat = (typeof MODEL_EXPORT_FORMATS)[number];

export const LEARNING_RATE_SCHEDULES = ['constant', 'warmup-cosine'] as const;
/**
 * How the learning rate moves over a run's planned steps (epochs × batches per epoch):
 * - 'constant': the base rate throughout (the classic MNIST recipe).
 * - 'warmup-cosine': a linear warm-up over the first 5 % of the steps, then a cosine decay to 10 %
 *   of the base rate at the last planned step (`lr-schedule.ts` has the formula).
 */
export type LearningRateSchedule = (typeof LEARNING_RATE_SCHEDULES)[number];

/** Training settings as the user chose them; defaults live in `train-defaults.ts`. */
export interface TrainSettings {
  /** MLP (fully connected) or convolutional (stride-2 conv encoder, transposed-conv decoder). */
  model: ModelKind;
  likelihood: Likelihood;
  /** Weight of the KL term (β-VAE); 1 is the plain VAE. */
  beta: number;
  /** Epochs over which β ramps linearly from 0 to its value (0: no warm-up). */
  klWarmupEpochs: number;
  /**
   * Stop when the validation −ELBO has not improved for this many epochs (0: never). The best
   * checkpoint is kept either way.
   */
  earlyStopPatience: number;
  /**
   * Wall-clock budget for one training session, in minutes (0: none): training ends at the epoch
   * after which another would not fit, so it stops at a checkpoint within one epoch of the budget.
   * `epochs` stays the most it trains. Evaluation and map time count.
   */
  timeBudgetMinutes: number;
  /** MLP: hidden units per layer. Conv: channels of the first conv layer (doubling per layer). */
  width: number;
  /** MLP: hidden layers in encoder and decoder. Conv: stride-2 downsamplings. */
  depth: number;
  /**
   * Mirror each training image left–right with probability ½, drawn per (seed, epoch, batch,
   * position) by a hash, so a resumed run draws the flips an uninterrupted one would. Never applied
   * to validation, test, evaluation or display images. On for photo-like folders, off for digits and
   * text, whose mirror image is another glyph.
   */
  augmentFlip: boolean;
  /**
   * The learning-rate schedule; `learningRate` is the base rate it scales (and what "set learning
   * rate" during training changes). Files from before the setting read as 'constant'.
   */
  learningRateSchedule: LearningRateSchedule;
  /**
   * Conv only: start from probabilistic PCA of the training images (a linear path beside the
   * convolutions, set from up to 1,000 training images before the first step; the convolutions learn
   * what PCA misses). On for photo folders, where a conv VAE alone needs far more steps than a few
   * minutes give; files from before the setting read as false.
   */
  pcaStart: boolean;
  /** A built-in dataset id, or the `datasetId` of a dataset opened with `dataset:open`. */
  datasetId: string;
  /** Train on at most N images of the dataset's training split. */
  trainLimit: number;
  /** Evaluate on at most N images of its held-out split. */
  testLimit: number;
  /** How many images the latent map shows, stratified by label over the whole dataset. */
  displayCount: number;
  /** Also re-draws the latent map every N batches within an epoch (0: only after each epoch). */
  mapEveryBatches: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  latentDim: number;
  seed: number;
}

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
