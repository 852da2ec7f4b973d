/**
 * (Over 300 lines: the job's states and the loop that drives them read best in one place.)
 * One training run: shuffled mini-batches with Adam, progress several times a second, and after
 * every epoch the held-out metrics, a latent snapshot of the display subset, the metrics file and a
 * checkpoint. Between batches it yields to the event loop, so pause, cancel and pings are handled
 * within one batch. A NaN or infinite loss stops it within that batch ("diverged") and nothing is
 * saved from the bad weights. With a patience set, it stops early ("completed", with a notice) once
 * the validation −ELBO has not improved for that many epochs; the best checkpoint is kept.
 * What a step computes lives in `TrainingSession`; this class decides when, and who hears of it.
 */
import type { BudgetStop, EarlyStop, RunEnding } from '../../../shared/run-types';
import type {
  EpochMetrics,
  LatentSnapshot,
  TrainProgress,
  TrainState,
} from '../../../shared/training-events';
import type { TrainSettings } from '../../../shared/train-settings';
import { takeSample, type ImageSubset } from '../data/image-set';
import { mixSeed } from '../data/stable-hash';
import { createModel } from '../model/create-model';
import type { VaeModel } from '../model/vae-model';
import { throwIfGpuFault, unlessDeviceLost } from '../webgpu/gpu-faults';
import { pruneCheckpoints, saveCheckpoint, type LoadedCheckpoint } from './checkpoint';
import { encodeMeans, evaluate } from './evaluate';
import { divergedMessage, failureMessage } from './run-messages';
import type { RunStore } from './run-store';
import { bestEpoch, budgetStopAt, budgetStopNotice, earlyStopAt, earlyStopNotice } from './run-stops';
import { TrainingSession, type EpochTally } from './training-session';

export interface TrainingData {
  train: ImageSubset;
  /** Reported only: never chooses a checkpoint (issue 14). */
  test: ImageSubset;
  /** What chooses the best checkpoint; without it (or empty) the newest is kept instead. */
  validation?: ImageSubset;
}

/** Seeds of the capped subsets, one per part, so capping one never changes another. */
export const CAP_SEEDS = { train: 1, validation: 2, test: 3 } as const;

export interface TrainingListener {
  /**
   * `lastCheckpointEpoch` is the newest complete checkpoint when the state changed. `notice` comes
   * with a final 'completed' that stopped early: why, in plain words.
   */
  onState(state: TrainState, error: string | null, lastCheckpointEpoch: number | null, notice?: string): void;
  onProgress(progress: TrainProgress): void;
  onEpochEnd(snapshot: LatentSnapshot): void;
  /**
   * Before `onEpochEnd`, with the model as that epoch left it; training waits for it, so keep it
   * cheap (the gallery reconstructs a few dozen images here).
   */
  afterEpoch?(epoch: number, model: VaeModel): Promise<void>;
  /** Latent means of the display points part-way through an epoch (`mapEveryBatches`). */
  onMapUpdate?(update: { epoch: number; means: Float32Array }): void;
  onCheckpoint?(epoch: number): void;
}

export interface TrainingJobOptions {
  /** Minimum milliseconds between progress events. Default 250 (4 Hz). */
  progressIntervalMs?: number;
  /** Where metrics and checkpoints go; without it nothing is written (tests, benchmarks). */
  run?: RunStore;
  /** Continue from this checkpoint: weights and optimizer state restored, next epoch onwards. */
  resumeFrom?: LoadedCheckpoint;
  /** Metrics of the epochs before `resumeFrom`, kept in the run's metrics file. */
  previousMetrics?: EpochMetrics[];
  /** Checkpoints kept besides the best one. Default 3. */
  keepCheckpoints?: number;
  /**
   * The images the latent map shows (indices into the dataset's set). Default: `displayCount`
   * held-out images, stratified by label.
   */
  display?: Uint32Array;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export class TrainingJob {
  private state: TrainState = 'loading';
  private cancelRequested = false;
  /** Stopped because the app is quitting: the run is left "interrupted", to continue next launch. */
  private interruptRequested = false;
  private resumeWaiters: (() => void)[] = [];
  private pauseRequested = false;
  private pendingLearningRate: number | null = null;
  /** Status writes in order, so the file never ends on an older state than the last one. */
  private statusWrites: Promise<void> = Promise.resolve();
  private readonly progressIntervalMs: number;
  /** The newest complete checkpoint, offered after a stop or divergence. */
  lastCheckpointEpoch: number | null;
  /** Set when the run ended early on the validation split. */
  stoppedEarly: EarlyStop | null = null;
  /** Set when the run ended at its time budget. */
  stoppedAtBudget: BudgetStop | null = null;
  /** The model is kept after the run so later requests (encode, sample) can use it. */
  model: VaeModel | null = null;

  constructor(
    readonly jobId: string,
    readonly settings: TrainSettings,
    private readonly listener: TrainingListener,
    private readonly options: TrainingJobOptions = {},
  ) {
    this.progressIntervalMs = options.progressIntervalMs ?? 250;
    this.lastCheckpointEpoch = options.resumeFrom?.manifest.epoch ?? null;
  }

  get runId(): string | null {
    return this.options.run?.runId ?? null;
  }

  get currentState(): TrainState {
    return this.state;
  }

  get isActive(): boolean {
    return this.state === 'loading' || this.state === 'running' || this.state === 'paused';
  }

  pause(): TrainState {
    if (this.state === 'running' || this.state === 'loading') this.pauseRequested = true;
    return this.state;
  }

  resume(): TrainState {
    this.pauseRequested = false;
    this.wake();
    return this.state;
  }

  cancel(): TrainState {
    if (this.isActive) this.cancelRequested = true;
    this.wake();
    return this.state;
  }

  /**
   * Stops within one batch, like cancel, but marks the run "interrupted" on disk rather than
   * "cancelled": the app is quitting, and the next launch offers to continue it.
   */
  interrupt(): TrainState {
    if (this.isActive) this.interruptRequested = true;
    return this.cancel();
  }

  /**
   * Takes effect at the start of the next epoch. Under a schedule it is the new base rate, which
   * the schedule goes on scaling.
   */
  setLearningRate(learningRate: number): void {
    this.pendingLearningRate = learningRate;
  }

  private wake(): void {
    for (const waiter of this.resumeWaiters.splice(0)) waiter();
  }

  /**
   * Status writes stay in order. An active state is announced at once, so it never trails the
   * progress events that follow it; a final state is announced only once it is on disk, so whoever
   * reacts to it (the Runs panel, a test) finds the same state there. `ending` goes with a final
   * 'completed' only.
   */
  private setState(state: TrainState, error: string | null = null, ending: RunEnding = {}): void {
    this.state = state;
    const run = this.options.run;
    const checkpointEpoch = this.lastCheckpointEpoch;
    const onDisk = state === 'cancelled' && this.interruptRequested ? 'interrupted' : state;
    const written = this.statusWrites
      .then(() => run?.writeStatus(onDisk, error, ending))
      .catch(() => undefined);
    if (this.isActive) {
      this.statusWrites = written;
      this.listener.onState(state, error, checkpointEpoch);
    } else {
      const notice = ending.stoppedEarly
        ? earlyStopNotice(ending.stoppedEarly)
        : ending.stoppedAtBudget
          ? budgetStopNotice(ending.stoppedAtBudget)
          : undefined;
      this.statusWrites = written.then(() => this.listener.onState(state, error, checkpointEpoch, notice));
    }
  }

  /** Runs to the end (completed, cancelled, diverged or failed); never throws. */
  async run(loadData: () => Promise<TrainingData>): Promise<void> {
    try {
      this.setState('loading');
      const data = await loadData();
      // Capped parts are seeded random samples, stratified by label: the splits list files in
      // sorted order, so their first N would be a few classes only (issue 14, item 6).
      const { seed, trainLimit, testLimit } = this.settings;
      const validation = data.validation
        ? takeSample(data.validation, testLimit, mixSeed(seed, CAP_SEEDS.validation))
        : null;
      await this.train(
        takeSample(data.train, trainLimit, mixSeed(seed, CAP_SEEDS.train)),
        takeSample(data.test, testLimit, mixSeed(seed, CAP_SEEDS.test)),
        validation && validation.indices.length > 0 ? validation : null,
      );
    } catch (error) {
      this.setState('failed', failureMessage(error, this.settings.batchSize, this.lastCheckpointEpoch));
    }
    await this.statusWrites;
  }

  /** Waits while paused; returns false when the run was cancelled. */
  private async betweenBatches(): Promise<boolean> {
    await nextTurn();
    if (this.pauseRequested && !this.cancelRequested) {
      this.setState('paused');
      while (this.pauseRequested && !this.cancelRequested) {
        await new Promise<void>((resolve) => this.resumeWaiters.push(resolve));
      }
      if (!this.cancelRequested) this.setState('running');
    }
    return !this.cancelRequested;
  }

  private async train(train: ImageSubset, test: ImageSubset, validation: ImageSubset | null): Promise<void> {
    const model = createModel(this.settings, train.set.size, train.set.channels);
    this.model = model;
    const session = await TrainingSession.start(
      this.settings,
      model,
      { train, test, validation },
      this.options,
    );
    try {
      this.setState('running');
      for (let epoch = session.firstEpoch; epoch <= this.settings.epochs; epoch++) {
        if (this.pendingLearningRate !== null) {
          session.baseLearningRate = this.pendingLearningRate;
          this.pendingLearningRate = null;
        }
        const tally = session.beginEpoch(epoch);
        for (let batch = 0; batch < session.batchesPerEpoch; batch++) {
          if (!(await this.betweenBatches())) return this.setState('cancelled');
          if (!(await this.step(session, tally, batch))) return;
        }
        if (!(await this.endEpoch(session, tally))) return;
      }
      this.setState('completed');
    } finally {
      session.dispose();
    }
  }

  /**
   * One batch: the optimizer step; a few times a second its losses read back; a part-way map when
   * one is due; progress at most every `progressIntervalMs`. False when the run ended here.
   */
  private async step(session: TrainingSession, tally: EpochTally, batch: number): Promise<boolean> {
    throwIfGpuFault();
    const stepStart = performance.now();
    session.step(tally, batch);
    const { steps, batchesPerEpoch } = session;
    const lastBatch = batch === batchesPerEpoch - 1;
    const mapEvery = this.settings.mapEveryBatches ?? 0;
    const mapDue = mapEvery > 0 && (batch + 1) % mapEvery === 0 && !lastBatch;
    const progressDue = performance.now() - tally.lastProgress >= this.progressIntervalMs;
    // Losses are read a few times a second, not per step: a GPU keeps working meanwhile.
    const readDue = lastBatch || mapDue || progressDue || steps.size >= steps.limit(this.progressIntervalMs);
    if (readDue && !(await this.readLosses(session, tally))) return false;
    session.trainingSeconds += (performance.now() - stepStart) / 1000;
    session.batchesDone++;
    if (mapDue) {
      const means = await unlessDeviceLost(
        encodeMeans(session.model, session.data.test.set, session.display),
      );
      this.listener.onMapUpdate?.({ epoch: tally.epoch - 1 + (batch + 1) / batchesPerEpoch, means });
    }
    const now = performance.now();
    if (steps.size === 0 && (now - tally.lastProgress >= this.progressIntervalMs || lastBatch)) {
      tally.lastProgress = now;
      this.listener.onProgress(session.progress(this.jobId, tally, batch, now));
    }
    return true;
  }

  /** Adds the waiting steps' losses to the tally; a NaN or infinite one ends the run "diverged". */
  private async readLosses(session: TrainingSession, tally: EpochTally): Promise<boolean> {
    for (const step of await session.steps.read()) {
      if (!Number.isFinite(step.objective) || !Number.isFinite(step.loss)) {
        this.setState('diverged', divergedMessage(tally.epoch, step.batch, this.lastCheckpointEpoch));
        return false;
      }
      tally.lossSum += step.loss * step.images;
      tally.imagesSeen += step.images;
    }
    return true;
  }

  /**
   * After an epoch's last batch: the held-out evaluation (a NaN or infinite loss ends the run
   * "diverged"), the epoch saved, announced with its latent snapshot, then early stopping and the
   * time budget. False when the run ended here.
   */
  private async endEpoch(session: TrainingSession, tally: EpochTally): Promise<boolean> {
    const { epoch } = tally;
    const { seed, likelihood } = this.settings;
    const { model, display } = session;
    const { test, validation } = session.data;
    const epochSeconds = (performance.now() - tally.start) / 1000;
    // Validation chooses the best checkpoint; the test figures below are only reported.
    const validationLoss = validation
      ? (await unlessDeviceLost(evaluate(model, validation, seed + 2, likelihood))).loss
      : null;
    if (validationLoss !== null && !Number.isFinite(validationLoss)) {
      this.setState('diverged', divergedMessage(epoch, null, this.lastCheckpointEpoch));
      return false;
    }
    const evaluation = await unlessDeviceLost(evaluate(model, test, seed + 1, likelihood));
    if (!Number.isFinite(evaluation.loss)) {
      this.setState('diverged', divergedMessage(epoch, null, this.lastCheckpointEpoch));
      return false;
    }
    const metrics = session.metrics(tally, epochSeconds, evaluation, validationLoss);
    session.history.push(metrics);
    // A checkpoint is written only from weights read in full (atomic write): a device lost
    // while reading leaves the previous checkpoints as they were.
    await unlessDeviceLost(this.save(session, epoch, metrics));
    // Epoch-level extras (the gallery's reconstructions) are stored before the epoch is
    // announced, so whoever reacts to the announcement finds them.
    await unlessDeviceLost(Promise.resolve(this.listener.afterEpoch?.(epoch, model)));
    const means = await unlessDeviceLost(encodeMeans(model, test.set, display));
    this.listener.onEpochEnd({
      jobId: this.jobId,
      runId: this.runId,
      epoch,
      metrics,
      count: display.length,
      latentDim: this.settings.latentDim,
      means,
      labels: session.displayLabels,
      classNames: test.set.classNames,
      metadata: session.displayMetadata,
    });
    return !this.stopsAfter(session, epoch);
  }

  /** Ends the run "completed" after `epoch` when it stops early or at its time budget. */
  private stopsAfter(session: TrainingSession, epoch: number): boolean {
    const { epochs, earlyStopPatience } = this.settings;
    // After the last epoch the run completes anyway: stopping "early" there would be no news.
    const stop = epoch < epochs ? earlyStopAt(session.history, earlyStopPatience) : null;
    if (stop) {
      this.stoppedEarly = stop;
      this.setState('completed', null, { stoppedEarly: stop });
      return true;
    }
    const overBudget =
      epoch < epochs
        ? budgetStopAt(epoch, epoch - session.firstEpoch + 1, session.elapsedSeconds(), session.budgetSeconds)
        : null;
    if (overBudget) {
      this.stoppedAtBudget = overBudget;
      this.setState('completed', null, { stoppedAtBudget: overBudget });
      return true;
    }
    return false;
  }

  /** Metrics file, then the checkpoint (atomic), then pruning to the last few and the best. */
  private async save(session: TrainingSession, epoch: number, metrics: EpochMetrics): Promise<void> {
    const run = this.options.run;
    if (!run) return;
    const { history, model, optimizer } = session;
    await run.writeMetrics(history);
    await saveCheckpoint(
      run.checkpointsDir,
      { epoch, runId: run.runId, testLoss: metrics.testLoss, validationLoss: metrics.validationLoss ?? null },
      model,
      optimizer,
    );
    this.lastCheckpointEpoch = epoch;
    const best = bestEpoch(history);
    await pruneCheckpoints(
      run.checkpointsDir,
      this.options.keepCheckpoints ?? 3,
      best === null ? [] : [best],
    );
    this.listener.onCheckpoint?.(epoch);
  }
}
