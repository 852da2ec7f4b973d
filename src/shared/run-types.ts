/** Training runs as stored on disk and listed in the Runs panel. */
import type { SavedLikelihood } from './likelihood-types';
import type { EpochMetrics, TrainState } from './training-events';
import type { TrainSettings } from './train-settings';

/** `YYYYMMDD-HHMMSS-xxxx`: sortable by time, safe as a folder name. */
export const RUN_ID_PATTERN = /^\d{8}-\d{6}-[a-z0-9]{4}$/;

/** A run's state on disk; 'interrupted' is a run that was training when the app stopped. */
export type RunState = TrainState | 'interrupted';

export interface RunSummary {
  runId: string;
  createdAt: string;
  /** The user's name for the run (run-meta.json); null: shown by its default label. */
  name: string | null;
  /** The user's note about the run; '' when none. */
  note: string;
  /** The user's tags, in the order given, unique ignoring case. */
  tags: string[];
  datasetId: string;
  datasetName: string;
  settings: TrainSettings;
  state: RunState;
  error: string | null;
  epochsDone: number;
  lastMetrics: EpochMetrics | null;
  /** Lowest test loss over the epochs: reported only, never what chooses a checkpoint. */
  bestTestLoss: number | null;
  /** Lowest validation loss: the epoch the best checkpoint is. Null for runs without validation. */
  bestValidationLoss: number | null;
  /** Epochs with a complete checkpoint, oldest first. */
  checkpointEpochs: number[];
  /**
   * Set when the run cannot be used (its config.json is missing, unreadable or holds settings
   * outside the accepted ranges): why, in plain words. The run is then listed as failed with this
   * as its error, placeholder settings and no checkpoints; opening or continuing it is refused.
   */
  unreadable?: string;
  /** Damaged lines of metrics.jsonl that were skipped; absent when there were none. */
  skippedMetricLines?: number;
  /**
   * Set when training ended early because the validation −ELBO stopped improving: the last epoch
   * trained, the best epoch (whose checkpoint is kept) and the patience that stopped it.
   */
  stoppedEarly?: EarlyStop;
  /** Set when training ended because another epoch would not fit its time budget. */
  stoppedAtBudget?: BudgetStop;
}

export interface BudgetStop {
  /** The last epoch trained (its checkpoint is the newest). */
  epoch: number;
  budgetSeconds: number;
  /** Seconds the session had run when it stopped. */
  elapsedSeconds: number;
}

/** How a run that completed before its last epoch ended; written to status.json with the final state. */
export interface RunEnding {
  stoppedEarly?: EarlyStop;
  stoppedAtBudget?: BudgetStop;
}

export interface EarlyStop {
  epoch: number;
  bestEpoch: number;
  patience: number;
}

/** How many runs one comparison may hold: beyond a dozen, curves and colours stop being told apart. */
export const COMPARE_LIMITS = { runs: 12 } as const;

/** A run as compared with others: what it is and every finished epoch's metrics, in order. */
export interface RunHistory {
  summary: RunSummary;
  metrics: EpochMetrics[];
}

/** Where `runs:delete` put a run's folder: the system trash, or `.trash` inside the runs folder. */
export type RunTrash = 'system' | 'host-trash';

export interface RunDetails {
  summary: RunSummary;
  /** Every finished epoch's metrics, in order. */
  metrics: EpochMetrics[];
  /** Completed log-likelihood estimates kept in the run folder (likelihood.json), oldest first. */
  likelihoods: SavedLikelihood[];
}
