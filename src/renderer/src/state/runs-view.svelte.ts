/**
 * How the Runs table is sorted and filtered, as the user set it; the rows shown are derived from
 * the runs on disk, so a refreshed list keeps its order and filter.
 */
import type { RunState, RunSummary } from '../../../shared/run-types';
import { DEFAULT_RUN_LIST_VIEW, viewRuns, type RunSortKey } from '../lib/run-list';

export class RunsViewState {
  text = $state(DEFAULT_RUN_LIST_VIEW.text);
  state = $state<RunState | 'all'>(DEFAULT_RUN_LIST_VIEW.state);
  sort = $state<RunSortKey>(DEFAULT_RUN_LIST_VIEW.sort);
  descending = $state(DEFAULT_RUN_LIST_VIEW.descending);

  readonly #runs: () => readonly RunSummary[] | null;

  constructor(runs: () => readonly RunSummary[] | null) {
    this.#runs = runs;
  }

  shown = $derived.by(() => {
    const runs = this.#runs();
    if (!runs) return [];
    return viewRuns(runs, {
      text: this.text,
      state: this.state,
      sort: this.sort,
      descending: this.descending,
    });
  });

  /** Whether anything hides runs (so an empty table says why). */
  filtering = $derived(this.text.trim() !== '' || this.state !== 'all');

  /** A new key sorts the way people expect it first: newest, A–Z, best (lowest) −ELBO, most epochs. */
  sortBy(key: RunSortKey): void {
    if (key === this.sort) {
      this.descending = !this.descending;
      return;
    }
    this.sort = key;
    this.descending = key === 'date' || key === 'epochs';
  }

  clear(): void {
    this.text = '';
    this.state = 'all';
  }
}
