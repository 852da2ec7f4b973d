/**
 * The comparison's two tables: each run's outcome in figures (with the best of each column
 * marked), and its settings side by side (with the rows where runs differ marked). Pure.
 */
import type { RunHistory, RunSummary } from '../../../shared/run-types';
import type { Likelihood, TrainSettings } from '../../../shared/types';
import { likelihoodOf } from './metric-definitions';
import { comparisonMetric, runStyle, trainingSeconds } from './comparison';
import { runLabel } from './run-label';
import { flipLabel, likelihoodLabel, modelLabel, scheduleLabel, startLabel } from './settings-choices';

export interface ComparisonRow {
  runId: string;
  label: string;
  colour: string;
  dashed: boolean;
  datasetName: string;
  state: string;
  /** What every loss of the run is under; null for an old run that never recorded it. */
  likelihood: Likelihood | null;
  bestValidation: { value: number; epoch: number } | null;
  lastTest: number | null;
  /** The last epoch's test bits/dim, where the likelihood gives one. */
  bitsPerDim: number | null;
  epochsDone: number;
  /** Training seconds up to the last epoch (see `trainingSeconds`). */
  trainingSeconds: number | null;
  /** The median of the epochs' training speeds: one slow first epoch (warm-up) does not sway it. */
  imagesPerSecond: number | null;
  /** What to know before trusting the row: unreadable settings, damaged metric lines left out. */
  warning: string | null;
}

function warningOf(summary: RunSummary): string | null {
  if (summary.unreadable) return 'settings unreadable';
  const skipped = summary.skippedMetricLines ?? 0;
  if (skipped > 0) return `${skipped} damaged metric ${skipped === 1 ? 'line' : 'lines'} left out`;
  return null;
}

function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function comparisonRows(histories: readonly RunHistory[]): ComparisonRow[] {
  const bits = comparisonMetric('test_bits_per_dim');
  return histories.map((history, index) => {
    const { summary, metrics } = history;
    const last = metrics.at(-1) ?? null;
    let bestValidation: ComparisonRow['bestValidation'] = null;
    for (const m of metrics) {
      const value = m.validationLoss;
      if (
        typeof value === 'number' &&
        Number.isFinite(value) &&
        (!bestValidation || value < bestValidation.value)
      )
        bestValidation = { value, epoch: m.epoch };
    }
    const speeds = metrics.map((m) => m.imagesPerSecond).filter((v) => Number.isFinite(v) && v > 0);
    return {
      runId: summary.runId,
      label: runLabel(summary),
      ...runStyle(index),
      datasetName: summary.datasetName,
      state: summary.state,
      likelihood: likelihoodOf(last, summary.unreadable ? undefined : summary.settings.likelihood),
      bestValidation,
      lastTest: last && Number.isFinite(last.testLoss) ? last.testLoss : null,
      bitsPerDim: last ? bits.pick(last, history) : null,
      epochsDone: summary.epochsDone,
      trainingSeconds: trainingSeconds(metrics).at(-1) ?? null,
      imagesPerSecond: median(speeds),
      warning: warningOf(summary),
    };
  });
}

export type RankedColumn = 'bestValidation' | 'lastTest' | 'bitsPerDim' | 'imagesPerSecond';

const LOSS_COLUMNS: readonly RankedColumn[] = ['bestValidation', 'lastTest'];

function columnValue(row: ComparisonRow, column: RankedColumn): number | null {
  return column === 'bestValidation' ? (row.bestValidation?.value ?? null) : row[column];
}

/**
 * The runs holding each column's best figure (lowest loss, highest speed; ties share it, and a
 * column where every run has the same figure marks none). Losses
 * under different likelihoods measure different things, so their columns rank nothing then.
 */
export function bestPerColumn(rows: readonly ComparisonRow[]): Record<RankedColumn, Set<string>> {
  const likelihoods = new Set(rows.map((r) => r.likelihood));
  const best = (column: RankedColumn, higherIsBetter: boolean): Set<string> => {
    if (LOSS_COLUMNS.includes(column) && likelihoods.size > 1) return new Set();
    const values = rows.flatMap((r) => {
      const v = columnValue(r, column);
      return v === null ? [] : [{ runId: r.runId, v }];
    });
    if (values.length < 2) return new Set();
    const target = higherIsBetter ? Math.max(...values.map((x) => x.v)) : Math.min(...values.map((x) => x.v));
    const winners = values.filter((x) => x.v === target);
    // When every run has the same figure, none is better.
    return winners.length === values.length ? new Set() : new Set(winners.map((x) => x.runId));
  };
  return {
    bestValidation: best('bestValidation', false),
    lastTest: best('lastTest', false),
    bitsPerDim: best('bitsPerDim', false),
    imagesPerSecond: best('imagesPerSecond', true),
  };
}

/** True when the runs' losses are under different likelihoods, so the −ELBOs do not compare. */
export function mixedLikelihoods(rows: readonly ComparisonRow[]): boolean {
  return new Set(rows.map((r) => r.likelihood)).size > 1;
}

interface SettingSpec {
  label: string;
  /** Exact enough that two settings that differ never read alike. */
  show: (settings: TrainSettings) => string;
}

/** Every training setting, in the order the sidebar asks for them; the Record keeps it complete. */
const SETTING_SPECS: Record<keyof TrainSettings, SettingSpec> = {
  datasetId: { label: 'Dataset id', show: (s) => s.datasetId },
  model: { label: 'Architecture', show: (s) => modelLabel(s.model) },
  likelihood: { label: 'Likelihood', show: (s) => likelihoodLabel(s.likelihood) },
  latentDim: { label: 'Latent dimension', show: (s) => String(s.latentDim) },
  beta: { label: 'β', show: (s) => String(s.beta) },
  klWarmupEpochs: { label: 'KL warm-up (epochs)', show: (s) => String(s.klWarmupEpochs) },
  width: { label: 'Width', show: (s) => String(s.width) },
  depth: { label: 'Depth', show: (s) => String(s.depth) },
  epochs: { label: 'Epochs planned', show: (s) => String(s.epochs) },
  batchSize: { label: 'Batch size', show: (s) => String(s.batchSize) },
  learningRate: { label: 'Learning rate', show: (s) => String(s.learningRate) },
  learningRateSchedule: {
    label: 'Learning-rate schedule',
    show: (s) => scheduleLabel(s.learningRateSchedule),
  },
  earlyStopPatience: { label: 'Early-stop patience', show: (s) => String(s.earlyStopPatience) },
  timeBudgetMinutes: { label: 'Time budget (min)', show: (s) => String(s.timeBudgetMinutes) },
  augmentFlip: { label: 'Flip augmentation', show: (s) => flipLabel(s.augmentFlip) },
  pcaStart: { label: 'Start', show: (s) => startLabel(s.pcaStart) },
  trainLimit: { label: 'Train images (at most)', show: (s) => String(s.trainLimit) },
  testLimit: { label: 'Held-out images (at most)', show: (s) => String(s.testLimit) },
  displayCount: { label: 'Map points', show: (s) => String(s.displayCount) },
  mapEveryBatches: { label: 'Map every N batches', show: (s) => String(s.mapEveryBatches) },
  seed: { label: 'Seed', show: (s) => String(s.seed) },
};

export interface SettingsDiffRow {
  label: string;
  /** One per run, in the runs' order. */
  values: string[];
  differs: boolean;
}

/** Shown for a run whose config.json cannot be used: its settings are placeholders, not what it trained with. */
export const UNREADABLE_SETTING = 'unreadable';

/** The dataset and every setting, one row each, marking the rows where the runs differ. */
export function settingsDiff(histories: readonly RunHistory[]): SettingsDiffRow[] {
  const rows: { label: string; read: (summary: RunSummary) => string }[] = [
    { label: 'Dataset', read: (summary) => summary.datasetName },
    ...Object.values(SETTING_SPECS).map((spec) => ({
      label: spec.label,
      read: (summary: RunSummary) => spec.show(summary.settings),
    })),
  ];
  return rows.map(({ label, read }) => {
    const values = histories.map(({ summary }) => (summary.unreadable ? UNREADABLE_SETTING : read(summary)));
    return { label, values, differs: new Set(values).size > 1 };
  });
}
