/** The runs folder as the Runs panel sees it: listing, histories, renaming and tagging, deleting. */
import { stat } from 'node:fs/promises';
import { fail, ok } from '../../../shared/result';
import type { Projector } from '../latent/projector';
import type { EngineArgs } from '../protocol';
import type { LikelihoodJobs } from './likelihood-jobs';
import { readRunHistories } from './run-histories';
import type { RunMetaStore } from './run-meta-store';
import type { RunModels } from './run-models';
import { listRuns, RunStore } from './run-store';
import { moveToRunsTrash } from './run-trash';
import type { RunsService } from './runs-service';

export interface RunLibraryDeps {
  runsRoot: string;
  runs: RunsService;
  models: RunModels;
  runMeta: RunMetaStore;
  likelihoods: LikelihoodJobs;
  projector: Projector;
}

export class RunLibrary {
  constructor(private readonly deps: RunLibraryDeps) {}

  async list() {
    return ok(await listRuns(this.deps.runsRoot, this.deps.runs.activeRunId));
  }

  histories({ runIds }: EngineArgs<'runs:get-histories'>) {
    return readRunHistories(this.deps.runsRoot, runIds, this.deps.runs.activeRunId);
  }

  /** Saves the run's name, note or tags, then answers the run as the list shows it. */
  async update(args: EngineArgs<'runs:update'>) {
    const updated = await this.deps.runMeta.update(args);
    if (!updated.ok) return updated;
    const summary = await RunStore.open(this.deps.runsRoot, args.runId).listing(this.deps.runs.activeRunId);
    return summary ? ok(summary) : fail('NOT_FOUND', 'That run no longer exists.');
  }

  /**
   * Lets go of everything the engine holds of a run, then (`host-trash`) moves its folder into the
   * runs folder's `.trash`. The run that trains, or whose asked-for estimate runs, is refused: its
   * files are being written.
   */
  async delete({ runId, mode }: EngineArgs<'runs:delete'>) {
    const { runs, likelihoods } = this.deps;
    if (runs.activeRunId === runId) {
      return fail('BUSY', 'This run is training: stop it before deleting it.');
    }
    if (likelihoods.isEvaluating(runId)) {
      return fail('BUSY', 'This run’s likelihood is being estimated: cancel that before deleting it.');
    }
    const { directory } = RunStore.open(this.deps.runsRoot, runId);
    const folder = await stat(directory).catch(() => null);
    if (!folder?.isDirectory()) return fail('NOT_FOUND', 'That run no longer exists.');
    await likelihoods.stopAutomaticOf(runId);
    this.deps.projector.forget(runId);
    this.deps.models.forget(runId);
    runs.forget(runId);
    if (mode === 'host-trash') await moveToRunsTrash(this.deps.runsRoot, runId);
    return ok({ directory });
  }
}
