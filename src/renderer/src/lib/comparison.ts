/**
 * Runs compared side by side: which per-epoch figures can be overlaid, each run's curve of one of
 * them by epoch or by training time, and the ranges to draw them in. Pure: the comparison view
 * and its CSV draw on these.
 */
import { reportsBitsPerDim } from '../../../shared/likelihood-info';
import type { RunHistory } from '../../../shared/run-types';
import type { EpochMetrics } from '../../../shared/types';
import { likelihoodOf } from './metric-definitions';
import { categoricalColour, CATEGORICAL_PALETTE } from './point-colours';
import { runLabel } from './run-label';

export type ComparisonAxis = 'epoch' | 'wall';

export interface ComparisonMetric {
  /** Also the `metric` column of the CSV. */
  id: string;
  label: string;
  /** The y axis' unit. */
  unit: string;
  /** The figure for one epoch of a run, or null where the line has none (or none worth showing). */
  pick: (metrics: EpochMetrics, history: RunHistory) => number | null;
}

const finite = (value: number | null | undefined): number | null =>
  typeof value === 'number' && Number.isFinite(value) ? value : null;

/** Bits/dim only under a likelihood that is a probability of the pixels (never a Gaussian density's). */
function bitsOf(value: number | null, metrics: EpochMetrics, history: RunHistory): number | null {
  const fallback = history.summary.unreadable ? undefined : history.summary.settings.likelihood;
  const likelihood = likelihoodOf(metrics, fallback);
  return likelihood && !reportsBitsPerDim(likelihood) ? null : finite(value);
}

export const COMPARISON_METRICS: readonly ComparisonMetric[] = [
  { id: 'train_neg_elbo', label: 'Train −ELBO', unit: 'nats / image', pick: (m) => finite(m.trainLoss) },
  {
    id: 'validation_neg_elbo',
    label: 'Validation −ELBO',
    unit: 'nats / image',
    pick: (m) => finite(m.validationLoss),
  },
  { id: 'test_neg_elbo', label: 'Test −ELBO', unit: 'nats / image', pick: (m) => finite(m.testLoss) },
  { id: 'test_kl', label: 'KL (test)', unit: 'nats / image', pick: (m) => finite(m.testKl) },
  {
    id: 'test_reconstruction',
    label: 'Reconstruction (test)',
    unit: 'nats / image',
    pick: (m) => finite(m.testReconstruction),
  },
  {
    id: 'train_bits_per_dim',
    label: 'Bits/dim (train)',
    unit: 'bits / dim',
    pick: (m, h) => bitsOf(m.trainBitsPerDim, m, h),
  },
  {
    id: 'test_bits_per_dim',
    label: 'Bits/dim (test)',
    unit: 'bits / dim',
    pick: (m, h) => bitsOf(m.testBitsPerDim, m, h),
  },
  { id: 'active_units', label: 'Active units', unit: 'dimensions', pick: (m) => finite(m.activeUnits) },
];

export function comparisonMetric(id: string): ComparisonMetric {
  return COMPARISON_METRICS.find((m) => m.id === id) ?? COMPARISON_METRICS[0]!;
}

/** The metrics at least one of the runs has a figure for: the others are not offered. */
export function availableMetrics(histories: readonly RunHistory[]): ComparisonMetric[] {
  return COMPARISON_METRICS.filter((metric) =>
    histories.some((h) => h.metrics.some((m) => metric.pick(m, h) !== null)),
  );
}

/**
 * Seconds of training up to the end of each epoch. `wallSeconds` counts from the start of each
 * training session (a continued or resumed run's clock starts again), so where it goes back a new
 * session began and the previous session's time is added to it. The time between sessions is not
 * stored anywhere and is not counted; a session that restarts with a longer first epoch than the
 * previous session's last cannot be told apart and continues its clock (a small undercount).
 */
export function trainingSeconds(metrics: readonly EpochMetrics[]): number[] {
  const seconds: number[] = [];
  let offset = 0;
  let previousRaw = -Infinity;
  for (const m of metrics) {
    if (m.wallSeconds < previousRaw) offset = seconds.at(-1) ?? 0;
    seconds.push(offset + m.wallSeconds);
    previousRaw = m.wallSeconds;
  }
  return seconds;
}

export interface SeriesPoint {
  epoch: number;
  /** Training seconds at the end of the epoch (see `trainingSeconds`). */
  wall: number;
  value: number;
}

export interface RunSeries {
  runId: string;
  label: string;
  colour: string;
  /** Past the palette's colours the lines repeat them dashed, so twelve runs stay apart. */
  dashed: boolean;
  points: SeriesPoint[];
}

/** Run i's colour and dash: the same in the legend, the chart, the table and the PNG. */
export function runStyle(index: number): { colour: string; dashed: boolean } {
  return { colour: categoricalColour(index), dashed: index >= CATEGORICAL_PALETTE.length };
}

/**
 * One curve per run, in the order given, of the epochs that have the figure; on a log scale the
 * figures at or below zero (a KL that collapsed to 0) are left out, as they cannot be drawn.
 */
export function comparisonSeries(
  histories: readonly RunHistory[],
  metric: ComparisonMetric,
  logScale = false,
): RunSeries[] {
  return histories.map((history, index) => {
    const wall = trainingSeconds(history.metrics);
    const points: SeriesPoint[] = [];
    history.metrics.forEach((m, i) => {
      const value = metric.pick(m, history);
      if (value !== null && (!logScale || value > 0)) points.push({ epoch: m.epoch, wall: wall[i]!, value });
    });
    return { runId: history.summary.runId, label: runLabel(history.summary), ...runStyle(index), points };
  });
}

export function xOf(point: SeriesPoint, axis: ComparisonAxis): number {
  return axis === 'epoch' ? point.epoch : point.wall;
}

/**
 * By training time, [0, the furthest x]: every curve starts at the run's start, so the runs line up
 * there. By epoch, [the first epoch shown, the last]: there is no epoch 0 to draw.
 */
export function xDomain(series: readonly RunSeries[], axis: ComparisonAxis): [number, number] {
  let low = Infinity;
  let high = 0;
  for (const s of series)
    for (const p of s.points) {
      low = Math.min(low, xOf(p, axis));
      high = Math.max(high, xOf(p, axis));
    }
  const start = axis === 'epoch' && low !== Infinity ? low : 0;
  return [start, high > start ? high : start + 1];
}

/** The figures' range, padded a little; null when no run has one. */
export function yDomain(series: readonly RunSeries[], logScale: boolean): [number, number] | null {
  let low = Infinity;
  let high = -Infinity;
  for (const s of series)
    for (const p of s.points) {
      low = Math.min(low, p.value);
      high = Math.max(high, p.value);
    }
  if (low === Infinity) return null;
  if (logScale) return low === high ? [low / 1.5, high * 1.5] : [low / 1.05, high * 1.05];
  const pad = Math.max((high - low) * 0.06, Math.abs(high) * 0.01, 1e-6);
  return [low - pad, high + pad];
}
