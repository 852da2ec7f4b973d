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

/** Training settings as the user chose them; defaults live in `train-defaults.ts`. */
export interface TrainSettings {
  /** A built-in dataset id, or the `datasetId` of a dataset opened with `dataset:open`. */
  datasetId: string;
  /** Train on at most N images of the dataset's training split. */
  trainLimit: number;
  /** Evaluate on at most N images of its held-out split. */
  testLimit: number;
  /** How many test images the latent map shows. */
  displayCount: number;
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
  epoch: number;
  metrics: EpochMetrics;
  count: number;
  latentDim: number;
  /** Encoder means, row-major count × latentDim. */
  means: Float32Array;
  /** 2-D layout (PCA of the means), row-major count × 2, sign-aligned with the previous epoch. */
  layout: Float32Array;
  labels: Uint8Array;
  classNames: string[];
  /** Per-point values of the dataset's metadata fields (e.g. sprite factors), for colouring. */
  metadata: { field: MetadataField; values: Float32Array }[];
}
