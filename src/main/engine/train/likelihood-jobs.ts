/**
 * The IWAE log-likelihood of a run in the engine, as cancellable jobs with progress events: asked
 * for (`run:evaluate`, on the run's capped held-out test images) or automatic (when a run
 * completes: K = 100 on at most 1,000 of them). Each is for the checkpoint the run reports (the
 * best by validation when kept), and a completed one is kept in the run folder. Each job loads its
 * own copy of the model, so opening another run or training on meanwhile never disposes weights
 * under it. One job at a time (K = 5,000 keeps a CPU busy); an automatic one gives way to one
 * asked for and to new training, which would compete with it for the CPU.
 */
import type { Events } from '../../../shared/contract';
import {
  AUTOMATIC_LIKELIHOOD,
  type EvaluatedCheckpoint,
  type LikelihoodEstimate,
  type SavedLikelihood,
} from '../../../shared/likelihood-types';
import { fail, ok, type Result } from '../../../shared/result';
import { takeSample, type ImageSubset } from '../data/image-set';
import type { LoadedDataset } from '../data/loaded-dataset';
import { continuedSplit, readSplitRecord } from '../data/split-record';
import { mixSeed } from '../data/stable-hash';
import { createModel } from '../model/create-model';
import type { VaeModel } from '../model/vae-model';
import { CheckpointCorruptError, restoreModel } from './checkpoint';
import { checkpointToEvaluate } from './evaluated-checkpoint';
import { estimateLogLikelihood } from './iwae';
import { appendLikelihood } from './likelihood-store';
import { RunConfigError, RunStore, type RunConfig } from './run-store';
// The seed training caps the test split with: a capped estimate uses the very images of the run's test −ELBO.
import { CAP_SEEDS } from './training-job';

type LikelihoodEvent = 'run:did-evaluate-progress' | 'run:did-evaluate';

export interface LikelihoodJobsDeps {
  runsRoot: string;
  dataset: (datasetId: string) => Promise<LoadedDataset | null>;
  emit: <E extends LikelihoodEvent>(name: E, payload: Events[E]) => void;
  /** An unexpected error in the words the window may show. */
  errorMessage: (error: unknown) => string;
}

export interface LikelihoodRequest {
  jobId: string;
  runId: string;
  samples: number;
}

/** Progress events at most this often (and once at the start and the end). */
const PROGRESS_INTERVAL_MS = 250;

/** Seed of the importance samples: fixed, so an estimate can be repeated exactly. */
const SAMPLE_SEED = 1;

const BUSY = 'A likelihood estimate is already being computed; cancel it first.';

interface RunningJob {
  runId: string;
  controller: AbortController;
  automatic: boolean;
  /** Settles once the job's last event is out. */
  done: Promise<void>;
}

/** Everything a job needs, checked before it starts. */
interface PreparedJob {
  config: RunConfig;
  model: VaeModel;
  epoch: number;
  which: EvaluatedCheckpoint;
  images: ImageSubset;
  run: RunStore;
}

export class LikelihoodJobs {
  private readonly running = new Map<string, RunningJob>();
  /** Starts one after another, so two never both find the engine free. */
  private starts: Promise<unknown> = Promise.resolve();
  /**
   * Bumped by `stopAll` (every job) and `cancelAutomatic` (automatic ones): a job still being
   * prepared when they were called (reading its checkpoint) is dropped rather than started after.
   */
  private stops = { all: 0, automatic: 0 };

  constructor(private readonly deps: LikelihoodJobsDeps) {}

  /** `run:evaluate`: refused while another asked-for job runs; an automatic one is cancelled first. */
  start(request: LikelihoodRequest): Promise<Result<{ jobId: string }>> {
    const stops = this.stops.all;
    return this.serially(async () => {
      const jobs = [...this.running.values()];
      if (jobs.some((job) => !job.automatic)) return fail('BUSY', BUSY);
      for (const job of jobs) job.controller.abort();
      await Promise.all(jobs.map((job) => job.done));
      const wanted = () => stops === this.stops.all;
      return this.launch(request, false, wanted, (config) => config.settings.testLimit);
    });
  }

  /**
   * The estimate made when a run completes: K = 100 on at most 1,000 test images (never more than
   * the run's test cap). Skipped (BUSY) while any other job runs: that one was asked for.
   */
  startAutomatic({ jobId, runId }: { jobId: string; runId: string }): Promise<Result<{ jobId: string }>> {
    const stops = this.stops.automatic;
    return this.serially(async () => {
      if (this.running.size > 0) return fail('BUSY', BUSY);
      const request = { jobId, runId, samples: AUTOMATIC_LIKELIHOOD.samples };
      const wanted = () => stops === this.stops.automatic;
      return this.launch(request, true, wanted, (config) =>
        Math.min(AUTOMATIC_LIKELIHOOD.images, config.settings.testLimit),
      );
    });
  }

  /** Whether a job had that id (it stops within one chunk and reports `cancelled`). */
  cancel(jobId: string): boolean {
    const job = this.running.get(jobId);
    job?.controller.abort();
    return job !== undefined;
  }

  /** Stops automatic jobs (a new training run wants the CPU); each still reports `cancelled`. */
  cancelAutomatic(): void {
    this.stops.automatic++;
    for (const job of this.running.values()) if (job.automatic) job.controller.abort();
  }

  /** Whether an estimate the user asked for is being computed on that run. */
  isEvaluating(runId: string): boolean {
    return [...this.running.values()].some((job) => job.runId === runId && !job.automatic);
  }

  /** Stops the run's automatic estimate (its folder is about to go) and resolves once it has reported. */
  async stopAutomaticOf(runId: string): Promise<void> {
    const jobs = [...this.running.values()].filter((job) => job.runId === runId && job.automatic);
    for (const job of jobs) job.controller.abort();
    await Promise.all(jobs.map((job) => job.done));
  }

  /** Stops every job and resolves once each has reported. */
  async stopAll(): Promise<void> {
    this.stops = { all: this.stops.all + 1, automatic: this.stops.automatic + 1 };
    for (const job of this.running.values()) job.controller.abort();
    await Promise.all([...this.running.values()].map((job) => job.done));
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const next = this.starts.then(work);
    this.starts = next.catch(() => undefined);
    return next;
  }

  /** `wanted` is asked once the job is prepared: false when it was stopped meanwhile. */
  private async launch(
    request: LikelihoodRequest,
    automatic: boolean,
    wanted: () => boolean,
    imageLimit: (config: RunConfig) => number,
  ): Promise<Result<{ jobId: string }>> {
    const prepared = await this.prepare(request.runId, imageLimit);
    if (!prepared.ok) return prepared;
    if (!wanted()) {
      prepared.value.model.dispose();
      return fail('BUSY', 'The likelihood estimate was stopped before it started.');
    }
    const { jobId } = request;
    const controller = new AbortController();
    const done = this.run(request, automatic, prepared.value, controller.signal).finally(() => {
      prepared.value.model.dispose();
      this.running.delete(jobId);
    });
    this.running.set(jobId, { runId: request.runId, controller, automatic, done });
    return ok({ jobId });
  }

  /** The run's config, its dataset, the checkpoint to evaluate loaded into a model, the images. */
  private async prepare(
    runId: string,
    imageLimit: (config: RunConfig) => number,
  ): Promise<Result<PreparedJob>> {
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
    const chosen = await checkpointToEvaluate(run);
    if (chosen === null) return fail('NOT_FOUND', 'This run has no checkpoint yet.');
    if (chosen instanceof CheckpointCorruptError) return fail('CHECKPOINT_CORRUPT', chosen.message);
    const model = createModel(config.settings, dataset.set.size, dataset.set.channels);
    try {
      restoreModel(model, chosen.checkpoint);
    } catch (error) {
      model.dispose();
      if (error instanceof CheckpointCorruptError) {
        return fail('NOT_FOUND', 'The open dataset no longer matches this run’s model.');
      }
      throw error;
    }
    const test = await testSplitOf(run, dataset);
    const images = takeSample(test, imageLimit(config), mixSeed(config.settings.seed, CAP_SEEDS.test));
    return ok({ config, model, epoch: chosen.checkpoint.manifest.epoch, which: chosen.which, images, run });
  }

  /** Runs a prepared job to its last event; never rejects. */
  private async run(
    { jobId, runId, samples }: LikelihoodRequest,
    automatic: boolean,
    { config, model, epoch, which, images, run }: PreparedJob,
    signal: AbortSignal,
  ): Promise<void> {
    const base = { jobId, runId, samples, automatic, epoch, checkpoint: which };
    const progress = (imagesDone: number) =>
      this.deps.emit('run:did-evaluate-progress', {
        jobId,
        runId,
        samples,
        automatic,
        imagesDone,
        images: images.indices.length,
      });
    // Next turn, so the reply with the job id goes out before any of the job's events.
    await new Promise<void>((resolve) => setImmediate(resolve));
    // At once, so a window learns of an automatic job (and can offer Cancel) before its first chunk.
    progress(0);
    let lastProgress = performance.now();
    let estimate: LikelihoodEstimate;
    try {
      estimate = await estimateLogLikelihood(model, images, {
        samples,
        likelihood: config.settings.likelihood,
        seed: SAMPLE_SEED,
        signal,
        onProgress: ({ imagesDone, images: total }) => {
          const now = performance.now();
          if (imagesDone < total && now - lastProgress < PROGRESS_INTERVAL_MS) return;
          lastProgress = now;
          progress(imagesDone);
        },
      });
    } catch (error) {
      const cancelled = (error as Error).name === 'AbortError';
      this.deps.emit('run:did-evaluate', {
        ...base,
        outcome: cancelled ? 'cancelled' : 'failed',
        estimate: null,
        error: cancelled ? null : this.deps.errorMessage(error),
        saved: null,
      });
      return;
    }
    const saved: SavedLikelihood = {
      epoch,
      checkpoint: which,
      split: 'test',
      seed: SAMPLE_SEED,
      automatic,
      finishedAt: new Date().toISOString(),
      estimate,
    };
    let error: string | null = null;
    try {
      await appendLikelihood(run.directory, saved);
    } catch (failure) {
      // The figures are good; only keeping them failed (a full or read-only data folder).
      error = `The estimate was not saved: ${this.deps.errorMessage(failure)}`;
    }
    this.deps.emit('run:did-evaluate', { ...base, outcome: 'completed', estimate, error, saved });
  }
}

/**
 * The run's test images: its recorded split applied to the dataset as it is now, so a file the
 * run trained on never counts as held out even when the folder has changed since.
 */
async function testSplitOf(run: RunStore, dataset: LoadedDataset): Promise<ImageSubset> {
  const record = await readSplitRecord(run.directory);
  return record ? continuedSplit(dataset, record).split.test : dataset.split.test;
}
