/**
 * The comparison as CSV: every epoch's figures of every run in tidy long form (one row per run,
 * epoch and metric, as pandas, R and spreadsheets' pivot tables want), and the runs' outcomes.
 */
import type { RunHistory } from '../../../shared/run-types';
import { COMPARISON_METRICS, trainingSeconds } from './comparison';
import type { ComparisonRow } from './comparison-table';
import { runLabel } from './run-label';
import { toCsv } from './csv';

export const CURVES_HEADER = ['run_id', 'run_label', 'epoch', 'wall_seconds', 'metric', 'value'] as const;

/** Every metric the comparison can draw, not just the one on screen: the file is for further work. */
export function curvesCsv(histories: readonly RunHistory[]): string {
  const rows: (string | number)[][] = [[...CURVES_HEADER]];
  for (const history of histories) {
    const label = runLabel(history.summary);
    const wall = trainingSeconds(history.metrics);
    history.metrics.forEach((m, i) => {
      for (const metric of COMPARISON_METRICS) {
        const value = metric.pick(m, history);
        if (value !== null) rows.push([history.summary.runId, label, m.epoch, wall[i]!, metric.id, value]);
      }
    });
  }
  return toCsv(rows);
}

export const SUMMARY_HEADER = [
  'run_id',
  'run_label',
  'dataset',
  'likelihood',
  'state',
  'epochs_done',
  'best_validation_neg_elbo',
  'best_validation_epoch',
  'last_test_neg_elbo',
  'test_bits_per_dim',
  'training_seconds',
  'images_per_second',
] as const;

/** The metrics table; an empty cell is a figure the run does not have. */
export function summaryCsv(rows: readonly ComparisonRow[]): string {
  const cell = (value: number | null): string | number => value ?? '';
  return toCsv([
    [...SUMMARY_HEADER],
    ...rows.map((r) => [
      r.runId,
      r.label,
      r.datasetName,
      r.likelihood ?? '',
      r.state,
      r.epochsDone,
      cell(r.bestValidation?.value ?? null),
      cell(r.bestValidation?.epoch ?? null),
      cell(r.lastTest),
      cell(r.bitsPerDim),
      cell(r.trainingSeconds),
      cell(r.imagesPerSecond),
    ]),
  ]);
}
