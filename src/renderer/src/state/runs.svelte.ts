/**
 * The runs on disk (`runs:list`) and the one opened for exploration (`runs:open`). The list is
 * fetched again whenever a run changes state, when the Runs tab comes to the front, and after each
 * checkpoint while the tab is in front; only the latest answer counts.
 */
import type { Api } from '../../../shared/contract';
import type { RequestArgs } from '../../../shared/contract';
import type { RunDetails, RunSummary, RunTrash } from '../../../shared/run-types';
import { EngineFetch } from './engine-fetch.svelte';
import type { NoticesState } from './notices.svelte';
import { RunsViewState } from './runs-view.svelte';

export class RunsState extends EngineFetch {
  /** Newest first; null until the host first answers (`loading` and `error` are the list's). */
  list = $state.raw<RunSummary[] | null>(null);
  /** The run opened for exploration: its model is loaded in the engine. */
  explored = $state.raw<RunDetails | null>(null);
  /** The run being opened. */
  opening = $state<string | null>(null);
  /** The run whose name, note or tags are being saved, or which is being deleted. */
  changing = $state<string | null>(null);
  /** How the Runs table is sorted and filtered: kept while the tab is away. */
  readonly view = new RunsViewState(() => this.list);
  /** The run deleted last and where it went, for the Runs tab to say. */
  deleted = $state.raw<{ run: RunSummary; trashed: RunTrash } | null>(null);

  readonly #notices: NoticesState;
  readonly #isVisible: () => boolean;
  readonly #unsubscribes: (() => void)[];

  /** `isVisible` tells whether the Runs tab is in front, where per-epoch updates are worth fetching. */
  constructor(api: Api, notices: NoticesState, isVisible: () => boolean) {
    super(api);
    this.#notices = notices;
    this.#isVisible = isVisible;
    this.#unsubscribes = [
      api.on('train:did-change-state', () => void this.refresh()),
      api.on('train:did-save-checkpoint', () => {
        if (this.#isVisible()) void this.refresh();
      }),
    ];
  }

  find(runId: string | null): RunSummary | null {
    if (runId === null) return null;
    return this.list?.find((r) => r.runId === runId) ?? null;
  }

  async refresh(): Promise<void> {
    await this.load(
      () => this.api.invoke('runs:list', {}),
      (list) => {
        this.list = list;
        // Keep the explored run's summary (state, epochs) in step with the disk.
        const explored = this.explored;
        const fresh = explored ? list.find((r) => r.runId === explored.summary.runId) : undefined;
        if (explored && fresh) this.explored = { ...explored, summary: fresh };
      },
    );
  }

  /**
   * Loads a run for exploration; true once it is the explored run. `quiet`: a failure is not shown
   * (the launch reopening the last run falls back to an empty map without a word).
   */
  async open(runId: string, { quiet = false } = {}): Promise<boolean> {
    if (this.opening !== null) return false;
    this.opening = runId;
    try {
      const result = await this.api.invoke('runs:open', { runId });
      if (!result.ok) {
        // CHECKPOINT_CORRUPT leaves the engine's explored model as it was: so does this state.
        if (!quiet) this.#notices.showFailure(result, 'Could not open the run');
        return false;
      }
      this.explored = result.value;
      const summary = result.value.summary;
      if (this.list) this.list = this.list.map((r) => (r.runId === summary.runId ? summary : r));
      return true;
    } finally {
      this.opening = null;
    }
  }

  /** Saves a run's name, note or tags; the list and the opened run show them at once. True once saved. */
  async update(change: RequestArgs<'runs:update'>): Promise<boolean> {
    this.changing = change.runId;
    try {
      const result = await this.api.invoke('runs:update', change);
      if (!result.ok) {
        this.#notices.showFailure(result, 'Could not save the run’s details');
        return false;
      }
      this.#replace(result.value);
      return true;
    } finally {
      this.changing = null;
    }
  }

  /** Deletes a run (to a trash, never for good); where it went, or null when refused. */
  async delete(runId: string): Promise<RunTrash | null> {
    this.changing = runId;
    try {
      const result = await this.api.invoke('runs:delete', { runId });
      if (!result.ok) {
        this.#notices.showFailure(result, 'Could not delete the run');
        return null;
      }
      const run = this.find(runId);
      if (run) this.deleted = { run, trashed: result.value.trashed };
      if (this.list) this.list = this.list.filter((r) => r.runId !== runId);
      if (this.explored?.summary.runId === runId) this.explored = null;
      return result.value.trashed;
    } finally {
      this.changing = null;
    }
  }

  #replace(summary: RunSummary): void {
    if (this.list) this.list = this.list.map((r) => (r.runId === summary.runId ? summary : r));
    const explored = this.explored;
    if (explored?.summary.runId === summary.runId) this.explored = { ...explored, summary };
  }

  /** Stops showing the explored run (the engine keeps its model until another is opened). */
  close(): void {
    this.explored = null;
  }

  dispose(): void {
    for (const unsubscribe of this.#unsubscribes) unsubscribe();
  }
}
