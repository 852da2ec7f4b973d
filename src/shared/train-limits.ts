/**
 * The accepted range of every training setting: main's schema enforces them and the renderer's
 * form shows them, from this one table.
 */
import type { TrainSettings } from './train-settings';

/** The numeric settings (the ones with a range). */
export type TrainSettingField = Exclude<
  keyof TrainSettings,
  'datasetId' | 'model' | 'likelihood' | 'augmentFlip' | 'learningRateSchedule' | 'pcaStart'
>;

export interface SettingLimit {
  min: number;
  max: number;
  /** Whole numbers only. */
  integer: boolean;
  /** True when `min` itself is refused (a learning rate must be > 0). */
  minExclusive?: boolean;
}

export const TRAIN_LIMITS: Record<TrainSettingField, SettingLimit> = {
  // Caps on a split, so a small folder (a few images per class) must still pass.
  trainLimit: { min: 1, max: 1_000_000, integer: true },
  testLimit: { min: 1, max: 1_000_000, integer: true },
  displayCount: { min: 1, max: 100_000, integer: true },
  mapEveryBatches: { min: 0, max: 100_000, integer: true },
  epochs: { min: 1, max: 10_000, integer: true },
  batchSize: { min: 1, max: 4_096, integer: true },
  learningRate: { min: 0, max: 1, integer: false, minExclusive: true },
  latentDim: { min: 2, max: 256, integer: true },
  seed: { min: 0, max: 2 ** 31 - 1, integer: true },
  beta: { min: 0, max: 100, integer: false },
  klWarmupEpochs: { min: 0, max: 1_000, integer: true },
  earlyStopPatience: { min: 0, max: 1_000, integer: true },
  // A week: longer than anyone should leave a laptop training unattended.
  timeBudgetMinutes: { min: 0, max: 10_080, integer: false },
  width: { min: 8, max: 2_048, integer: true },
  depth: { min: 1, max: 4, integer: true },
};
