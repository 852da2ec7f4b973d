/** Training runs as stored on disk and listed in the Runs panel. */
import type { EpochMetrics, TrainSettings, TrainState } from './types';

/** `YYYYMMDD-HHMMSS-xxxx`: sortable by time, safe as a folder name. */
export const RUN_ID_PATTERN = /^\d{8}-\d{6}-[a-z0-9]{4}$/;

/** A run's state on disk; 'interrupted' is a run that was training when the app stopped. */
export type RunState = TrainState | 'interrupted';

export interface RunSummary {
  runId: string;
  createdAt: string;
  datasetId: string;
  datasetName: string;
  settings: TrainSettings;
  state: RunState;
  error: string | null;
  epochsDone: number;
  lastMetrics: EpochMetrics | null;
  bestTestLoss: number | null;
  /** Epochs with a complete checkpoint, oldest first. */
  checkpointEpochs: number[];
}

export interface RunDetails {
  summary: RunSummary;
  /** Every finished epoch's metrics, in order. */
  metrics: EpochMetrics[];
}
