/**
 * The run lifecycle: one training run at a time, started fresh or continued from a checkpoint,
 * paused, resumed, re-rated, cancelled, or interrupted when the app quits. Its model stays loaded
 * after the run for later inference, until another run starts or the run is deleted.
 */
import { randomUUID } from 'node:crypto';
import { fail, ok, type Result } from '../../../shared/result';
import type { TrainState } from '../../../shared/training-events';
import type { DatasetRegistry } from '../data/dataset-registry';
import type { LoadedDataset } from '../data/loaded-dataset';
import type { CurrentModel } from '../latent/scoring-requests';
import type { EngineArgs } from '../protocol';
import { refuseWhileTraining } from '../training-busy';
import type { LikelihoodJobs } from './likelihood-jobs';
import { runListener, type RunEventSinks } from './run-listener';
import { checkContinuation, createRun, prepareContinuation } from './run-setup';
import { TrainingJob, type TrainingData } from './training-job';

export interface RunsServiceDeps {
  runsRoot: string;
  datasets: DatasetRegistry;
  likelihoods: LikelihoodJobs;
  sinks: RunEventSinks;
}

export class RunsService {
  private job: TrainingJob | null = null;
  /** The training job's `run()`, to wait for when the app quits. */
  private jobRun: Promise<void> = Promise.resolve();
  /** Set when the app prepares to quit: a run completing meanwhile starts no estimate the quit would cut. */
  private quittingNow = false;

  constructor(private readonly deps: RunsServiceDeps) {}

  /** A run is loading, running or paused. */
  get isTraining(): boolean {
    return this.job?.isActive === true;
  }

  get activeRunId(): string | null {
    return this.job?.isActive ? this.job.runId : null;
  }

  get quitting(): boolean {
    return this.quittingNow;
  }

  async start({ jobId, settings }: EngineArgs<'train:start'>): Promise<Result<{ jobId: string }>> {
    const busy = refuseWhileTraining(this.isTraining, 'train');
    if (busy) return busy;
    const dataset = await this.deps.datasets.get(settings.datasetId);
    if (!dataset) return fail('NOT_FOUND', 'That dataset is no longer open; open it again.');
    // An automatic estimate of the last run would compete with this one for the CPU.
    this.deps.likelihoods.cancelAutomatic();
    const { run, display } = await createRun(this.deps.runsRoot, dataset, settings);
    this.launch(
      new TrainingJob(jobId, settings, this.listenerFor(jobId, dataset), { run, display }),
      dataset.split,
    );
    return ok({ jobId });
  }

  async continue(args: EngineArgs<'train:continue'>) {
    const busy = refuseWhileTraining(this.isTraining, 'train');
    if (busy) return busy;
    const checked = await checkContinuation(this.deps.runsRoot, this.deps.datasets, args);
    if (!checked.ok) return checked;
    const continuation = checked.value;
    const { run, dataset, checkpoint, previousMetrics, settings } = continuation;
    this.deps.likelihoods.cancelAutomatic();
    const { split, notice, display } = await prepareContinuation(continuation);
    const { jobId } = args;
    const job = new TrainingJob(jobId, settings, this.listenerFor(jobId, dataset, notice), {
      run,
      resumeFrom: checkpoint,
      previousMetrics,
      display,
    });
    this.launch(job, split);
    return ok({ jobId, ...(notice === null ? {} : { notice }) });
  }

  pause({ jobId }: EngineArgs<'train:pause'>) {
    return this.withJob(jobId, (job) => job.pause());
  }

  resume({ jobId }: EngineArgs<'train:resume'>) {
    return this.withJob(jobId, (job) => job.resume());
  }

  /** Cancels the training job with that id; the host tries scans, projections and estimates first. */
  cancel(jobId: string) {
    return this.withJob(jobId, (job) => job.cancel());
  }

  setLearningRate({ jobId, learningRate }: EngineArgs<'train:set-learning-rate'>) {
    if (!this.job || this.job.jobId !== jobId || !this.job.isActive) {
      return fail('JOB_NOT_FOUND', 'No training run with that id is in progress.');
    }
    this.job.setLearningRate(learningRate);
    return ok({ learningRate });
  }

  /**
   * The app is quitting: a run in progress stops within one batch, left "interrupted". Answers
   * that run and the job's end, which leaves everything of it on disk.
   */
  interrupt(): { interruptedRunId: string | null; ended: Promise<void> } {
    const job = this.job;
    const interruptedRunId = job?.isActive ? job.runId : null;
    this.quittingNow = true;
    if (job?.isActive) job.interrupt();
    return { interruptedRunId, ended: this.jobRun };
  }

  /** The job's model if it trained `runId`, with the checkpoint it holds (exact once completed). */
  trainedModel(runId: string): CurrentModel | null {
    const job = this.job;
    if (job?.runId !== runId || !job.model) return null;
    const epoch = job.lastCheckpointEpoch;
    const exact = epoch !== null && !job.isActive && job.currentState === 'completed';
    return { model: job.model, epoch: epoch ?? 0, exact };
  }

  /** A finished job's model answers for its run until another starts: not for a run that is gone. */
  forget(runId: string): void {
    if (this.job?.runId === runId) {
      this.job.model?.dispose();
      this.job = null;
    }
  }

  private withJob(jobId: string, act: (job: TrainingJob) => TrainState): Result<{ state: TrainState }> {
    if (!this.job || this.job.jobId !== jobId) return fail('JOB_NOT_FOUND', 'No training run with that id.');
    return ok({ state: act(this.job) });
  }

  private listenerFor(jobId: string, dataset: LoadedDataset, notice: string | null = null) {
    return runListener(jobId, dataset, notice, {
      ...this.deps.sinks,
      currentRunId: () => this.job?.runId ?? null,
      onCompleted: (runId) => this.estimateAtEnd(runId),
    });
  }

  /**
   * The log-likelihood of a run that just completed (K = 100 on at most 1,000 test images), unless
   * an estimate is already being computed. It is a nicety: a refusal or failure only goes unshown.
   */
  private estimateAtEnd(runId: string): void {
    if (this.quittingNow) return;
    void this.deps.likelihoods.startAutomatic({ jobId: randomUUID(), runId }).catch(() => undefined);
  }

  private launch(job: TrainingJob, split: TrainingData): void {
    this.job?.model?.dispose();
    this.job = job;
    // Next turn, so the reply with the job id goes out before any of the job's events.
    this.jobRun = new Promise((resolve) => setImmediate(() => void job.run(async () => split).then(resolve)));
  }
}
