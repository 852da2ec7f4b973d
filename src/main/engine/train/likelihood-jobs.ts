/**
 * `run:evaluate` in the engine: the IWAE log-likelihood of a run's newest checkpoint on its
 * held-out images (capped as its held-out metrics are), as a cancellable job with progress
 * events. Each job loads its own copy of the model, so opening another run or training on
 * meanwhile never disposes weights under it. One job at a time: K = 5,000 keeps a CPU busy.
 */
import type { Events } from '../../../shared/contract';
import type { LikelihoodEstimate } from '../../../shared/likelihood-types';
import { fail, ok, type Result } from '../../../shared/result';
import type { LoadedDataset } from '../data/loaded-dataset';
import { stratifiedSample, type ImageSubset } from '../data/image-set';
import { createModel } from '../model/create-model';
import { CheckpointCorruptError, restoreModel, type LoadedCheckpoint } from './checkpoint';
import { estimateLogLikelihood } from './iwae';
import { RunConfigError, RunStore, type RunConfig } from './run-store';

type LikelihoodEvent = 'run:did-evaluate-progress' | 'run:did-evaluate';

export interface LikelihoodJobsDeps {
  runsRoot: string;
  dataset: (datasetId: string) => Promise<LoadedDataset | null>;
  /** The newest checkpoint of a run that loads, the error of a damaged one, or null for none. */
  checkpoint: (run: RunStore) => Promise<LoadedCheckpoint | CheckpointCorruptError | null>;
  emit: <E extends LikelihoodEvent>(name: E, payload: Events[E]) => void;
  /** An unexpected error in the words the window may show. */
  errorMessage: (error: unknown) => string;
}

/** The held-out images, capped as the run's held-out metrics are (a class-balanced subset). */
function heldOutImages(test: ImageSubset, limit: number): ImageSubset {
  return test.indices.length <= limit ? test : { set: test.set, indices: stratifiedSample(test, limit) };
}

/** Progress events at most this often (and once at the end). */
const PROGRESS_INTERVAL_MS = 250;

export class LikelihoodJobs {
  private readonly running = new Map<string, AbortController>();
  private readonly finished = new Set<Promise<void>>();

  constructor(private readonly deps: LikelihoodJobsDeps) {}

  async start({
    jobId,
    runId,
    samples,
  }: {
    jobId: string;
    runId: string;
    samples: number;
  }): Promise<Result<{ jobId: string }>> {
    if (this.running.size > 0) {
      return fail('BUSY', 'A likelihood estimate is already being computed; cancel it first.');
    }
    const run = RunStore.open(this.deps.runsRoot, runId);
    let config: RunConfig;
    try {
      config = await run.readConfig();
    } catch (error) {
      if (!(error instanceof RunConfigError)) throw error;
      return fail(
        'NOT_FOUND',
        error.missing ? 'That run no longer exists or cannot be read.' : error.message,
      );
    }
    const dataset = await this.deps.dataset(config.datasetId);
    if (!dataset) {
      return fail(
        'NOT_FOUND',
        `Open the dataset "${config.datasetName}" again to estimate this run's likelihood.`,
      );
    }
    const checkpoint = await this.deps.checkpoint(run);
    if (checkpoint === null) return fail('NOT_FOUND', 'This run has no checkpoint yet.');
    if (checkpoint instanceof CheckpointCorruptError) return fail('CHECKPOINT_CORRUPT', checkpoint.message);
    const model = createModel(config.settings, dataset.set.size, dataset.set.channels);
    try {
      restoreModel(model, checkpoint);
    } catch (error) {
      model.dispose();
      if (error instanceof CheckpointCorruptError) {
        return fail('NOT_FOUND', 'The open dataset no longer matches this run’s model.');
      }
      throw error;
    }
    if (this.running.size > 0) {
      model.dispose();
      return fail('BUSY', 'A likelihood estimate is already being computed; cancel it first.');
    }
    const controller = new AbortController();
    this.running.set(jobId, controller);
    const epoch = checkpoint.manifest.epoch;
    const heldOut = heldOutImages(dataset.split.test, config.settings.testLimit);
    const base = { jobId, runId, samples, epoch };
    let lastProgress = 0;
    // Next turn, so the reply with the job id goes out before any of the job's events.
    const done = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() =>
        estimateLogLikelihood(model, heldOut, {
          samples,
          likelihood: config.settings.likelihood,
          signal: controller.signal,
          onProgress: ({ imagesDone, images }) => {
            const now = performance.now();
            if (imagesDone < images && now - lastProgress < PROGRESS_INTERVAL_MS) return;
            lastProgress = now;
            this.deps.emit('run:did-evaluate-progress', { jobId, runId, samples, imagesDone, images });
          },
        }),
      )
      .then(
        (estimate: LikelihoodEstimate) =>
          this.deps.emit('run:did-evaluate', { ...base, outcome: 'completed', estimate, error: null }),
        (error: unknown) => {
          const cancelled = (error as Error).name === 'AbortError';
          this.deps.emit('run:did-evaluate', {
            ...base,
            outcome: cancelled ? 'cancelled' : 'failed',
            estimate: null,
            error: cancelled ? null : this.deps.errorMessage(error),
          });
        },
      )
      .finally(() => {
        model.dispose();
        this.running.delete(jobId);
        this.finished.delete(done);
      });
    this.finished.add(done);
    return ok({ jobId });
  }

  /** Whether a job had that id (it stops within one chunk and reports `cancelled`). */
  cancel(jobId: string): boolean {
    const controller = this.running.get(jobId);
    controller?.abort();
    return controller !== undefined;
  }

  /** Stops every job and resolves once each has reported. */
  async stopAll(): Promise<void> {
    for (const controller of this.running.values()) controller.abort();
    await Promise.all(this.finished);
  }
}
