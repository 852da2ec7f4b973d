/** Domain types shared by every layer. Pure TypeScript: no electron, node or DOM imports. */
import type { BuiltinDatasetId, MetadataField } from './dataset-types';

export const BACKEND_NAMES = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] as const;
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
/**
 * p(x | z): Bernoulli (binary cross-entropy; for near-binary images such as digits and sprites),
 * or Gaussian with a fixed unit-free variance (σ = 0.1, a scaled MSE) or a learned per-image log-variance.
 */
export type Likelihood = 'bernoulli' | 'gaussian-fixed' | 'gaussian-learned';

/** Training settings as the user chose them; defaults live in `train-defaults.ts`. */
export interface TrainSettings {
  /** MLP (fully connected) or convolutional (stride-2 conv encoder, transposed-conv decoder). */
  model: ModelKind;
  likelihood: Likelihood;
  /** Weight of the KL term (β-VAE); 1 is the plain VAE. */
  beta: number;
  /** Epochs over which β ramps linearly from 0 to its value (0: no warm-up). */
  klWarmupEpochs: number;
  /** MLP: hidden units per layer. Conv: channels of the first conv layer (doubling per layer). */
  width: number;
  /** MLP: hidden layers in encoder and decoder. Conv: stride-2 downsamplings. */
  depth: number;
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
  learningRate: number;
  /** Train negative ELBO in bits per pixel channel (nats / (D · ln 2)). */
  trainBitsPerDim: number;
  testBitsPerDim: number;
  /** Held-out KL per latent dimension, nats per image. */
  klPerDimension: number[];
  /** Latent dimensions with KL above 0.01 nats: the ones the model actually uses. */
  activeUnits: number;
  /** Mean negative ELBO per training image (nats). */
  trainLoss: number;
  /** Negative ELBO per held-out image (nats). */
  testLoss: number;
  /** Held-out reconstruction term (nats per image). */
  testReconstruction: number;
  /** Held-out KL term (nats per image). */
  testKl: number;
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
