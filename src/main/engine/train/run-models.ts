/**
 * Which model answers for a run: the training job's, else the run's newest checkpoint opened for
 * exploration (`runs:open`), kept in a model of its own apart from the job's.
 */
import { fail, ok } from '../../../shared/result';
import type { DatasetRegistry } from '../data/dataset-registry';
import { formatOfWeights } from '../model-io/weights-format';
import type { CurrentModel } from '../latent/scoring-requests';
import { createModel } from '../model/create-model';
import type { VaeModel } from '../model/vae-model';
import type { EngineArgs } from '../protocol';
import { CheckpointCorruptError, restoreModel } from './checkpoint';
import { readLikelihoods } from './likelihood-store';
import { latestCheckpoint, readRun } from './run-reads';
import { RunStore } from './run-store';
import type { RunsService } from './runs-service';

export interface RunModelsDeps {
  runsRoot: string;
  datasets: DatasetRegistry;
  runs: RunsService;
}

export class RunModels {
  /** A run opened for exploration (its newest checkpoint), separate from the training job's model. */
  private explored: { runId: string; model: VaeModel; epoch: number } | null = null;

  constructor(private readonly deps: RunModelsDeps) {}

  /**
   * Loads a run's newest checkpoint into a model of its own for exploration. Everything is
   * checked before the previous explored model is replaced, so a damaged checkpoint changes nothing.
   */
  async open({ runId }: EngineArgs<'runs:open'>) {
    const run = RunStore.open(this.deps.runsRoot, runId);
    const read = await readRun(() => run.summary(this.deps.runs.activeRunId));
    if (!read.ok) return read;
    const summary = read.value;
    const checkpoint = await latestCheckpoint(run);
    if (checkpoint instanceof CheckpointCorruptError) return fail('CHECKPOINT_CORRUPT', checkpoint.message);
    if (checkpoint) {
      const { settings } = summary;
      const dataset = await this.deps.datasets.get(settings.datasetId);
      const format = dataset
        ? { size: dataset.set.size, channels: dataset.set.channels }
        : formatOfWeights(settings.model, checkpoint.values);
      if (!format) return fail('NOT_FOUND', `Open the dataset "${summary.datasetName}" to explore this run.`);
      const model = createModel(settings, format.size, format.channels);
      try {
        restoreModel(model, checkpoint);
      } catch (error) {
        model.dispose();
        if (error instanceof CheckpointCorruptError) return fail('CHECKPOINT_CORRUPT', error.message);
        throw error;
      }
      this.explored?.model.dispose();
      this.explored = { runId, model, epoch: checkpoint.manifest.epoch };
    }
    const { estimates } = await readLikelihoods(run.directory);
    return ok({ summary, metrics: await run.readMetrics(), likelihoods: estimates });
  }

  /** The model to reconstruct with: the training job's, the explored run's, or its newest checkpoint. */
  async modelFor(runId: string): Promise<VaeModel | null> {
    const trained = this.deps.runs.trainedModel(runId);
    if (trained) return trained.model;
    if (this.explored?.runId !== runId) {
      const opened = await this.open({ runId });
      if (!opened.ok) return null;
    }
    return this.explored?.runId === runId ? this.explored.model : null;
  }

  /**
   * `modelFor`'s model with the checkpoint it holds: exactly that checkpoint for an explored run
   * or a completed job; a job that trains on, or stopped part-way, has moved past its newest one.
   */
  async currentModel(runId: string): Promise<CurrentModel | null> {
    const model = await this.modelFor(runId);
    if (!model) return null;
    const trained = this.deps.runs.trainedModel(runId);
    if (trained?.model === model) return trained;
    const explored = this.explored;
    return explored?.runId === runId && explored.model === model
      ? { model, epoch: explored.epoch, exact: true }
      : null;
  }

  /** Lets go of the explored model of a run that is being deleted. */
  forget(runId: string): void {
    if (this.explored?.runId === runId) {
      this.explored.model.dispose();
      this.explored = null;
    }
  }
}
