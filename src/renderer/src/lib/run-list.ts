/**
 * The Runs table's sort and filter: pure, so the order and the matches are tested without a page.
 * Text matches every word given (any case) in the run's name, dataset, tags, note or id.
 */
import type { RunState, RunSummary } from '../../../shared/run-types';
import { runLabel } from './run-label';

export const RUN_SORT_KEYS = ['date', 'name', 'best', 'epochs'] as const;
export type RunSortKey = (typeof RUN_SORT_KEYS)[number];

export const RUN_SORT_LABELS: Record<RunSortKey, string> = {
  date: 'Date',
  name: 'Name',
  best: 'Best val. −ELBO',
  epochs: 'Epochs',
};

export interface RunListView {
  text: string;
  state: RunState | 'all';
  sort: RunSortKey;
  descending: boolean;
}

export const DEFAULT_RUN_LIST_VIEW: RunListView = { text: '', state: 'all', sort: 'date', descending: true };

function matches(run: RunSummary, words: readonly string[]): boolean {
  const haystack = [run.name ?? '', run.datasetName, run.note, run.runId, ...run.tags]
    .join('\n')
    .toLowerCase();
  return words.every((word) => haystack.includes(word));
}

/** Ascending order of two runs by `key`; ties go by date so the order is stable. */
function compare(a: RunSummary, b: RunSummary, key: RunSortKey): number {
  switch (key) {
    case 'name':
      return runLabel(a).localeCompare(runLabel(b), undefined, { sensitivity: 'base', numeric: true });
    case 'best':
      return (a.bestValidationLoss ?? 0) - (b.bestValidationLoss ?? 0);
    case 'epochs':
      return a.epochsDone - b.epochsDone;
    case 'date':
      return 0;
  }
}

function byDate(a: RunSummary, b: RunSummary): number {
  return a.createdAt.localeCompare(b.createdAt) || a.runId.localeCompare(b.runId);
}

/**
 * The runs that match, in the chosen order. A run without a best validation −ELBO goes last
 * whichever way the column is sorted: it has no figure to rank.
 */
export function viewRuns(runs: readonly RunSummary[], view: RunListView): RunSummary[] {
  const words = view.text.toLowerCase().split(/\s+/).filter(Boolean);
  const shown = runs.filter(
    (run) => (view.state === 'all' || run.state === view.state) && matches(run, words),
  );
  const sign = view.descending ? -1 : 1;
  return shown.sort((a, b) => {
    if (view.sort === 'best') {
      const missing = Number(a.bestValidationLoss === null) - Number(b.bestValidationLoss === null);
      if (missing !== 0) return missing;
    }
    return sign * (compare(a, b, view.sort) || byDate(a, b));
  });
}
