/**
 * One training run: shuffled mini-batches with Adam, progress several times a second, and after
 * every epoch the held-out metrics, a latent snapshot of the display subset, the metrics file and a
 * checkpoint. Between batches it yields to the event loop, so pause, cancel and pings are handled
 * within one batch. A NaN or infinite loss stops it within that batch ("diverged") and nothing is
 * saved from the bad weights. With a patience set, it stops early ("completed", with a notice) once
 * the validation −ELBO has not improved for that many epochs; the best checkpoint is kept.
 * Flips and the learning rate of every step come from (seed, epoch, batch) alone, so a resumed run
 * trains exactly as an uninterrupted one.
 */
import * as tf from '@tensorflow/tfjs-core';
import { formatSeconds } from '../../../shared/duration';
import type { BudgetStop, EarlyStop, RunEnding } from '../../../shared/run-types';
import type {
  EpochMetrics,
  LatentSnapshot,
  TrainProgress,
  TrainSettings,
  TrainState,
} from '../../../shared/types';
import { flipChoices } from '../data/augment';
import { batchTensor } from '../data/batches';
import { writeFailureMessage } from '../fs/atomic-write';
import { stratifiedSample, takeSample, type ImageSubset } from '../data/image-set';
import { mixSeed } from '../data/stable-hash';
import { reportsBitsPerDim } from '../../../shared/likelihood-info';
import { applyFittedScale, vaeLoss } from '../model/loss';
import { startFromPca } from './pca-start';
import { createModel } from '../model/create-model';
import type { VaeModel } from '../model/vae-model';
import {
  pruneCheckpoints,
  restoreModel,
  restoreOptimizer,
  saveCheckpoint,
  type LoadedCheckpoint,
} from './checkpoint';
import { encodeMeans, evaluate } from './evaluate';
import { globalStep, learningRateFactor } from './lr-schedule';
import { mulberry32, shuffledIndices } from './random';
import type { RunStore } from './run-store';
import { StepReads } from './step-reads';
import { GpuFaultError, gpuFaultMessage, throwIfGpuFault, unlessDeviceLost } from '../webgpu/gpu-faults';

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

/**
 * The epoch of the best checkpoint: lowest validation loss. Never the test loss (choosing on it
 * would make the reported test figure optimistic); epochs without a validation loss (older runs,
 * datasets too small for a validation set) are not candidates, so then only the newest are kept.
 */
export function bestEpoch(history: readonly EpochMetrics[]): number | null {
  let best: EpochMetrics | null = null;
  for (const m of history) {
    if (m.validationLoss !== undefined && (best === null || m.validationLoss < best.validationLoss!))
      best = m;
  }
  return best?.epoch ?? null;
}

/**
 * Where training should stop early: when the newest epoch is `patience` or more epochs past the
 * best validation −ELBO. Null with patience 0, and for a run without a validation split (its newest
 * epoch has no validation loss): the test split never decides (issue 14). The history is the whole
 * run's, so a continued run counts the epochs before it too.
 */
export function earlyStopAt(history: readonly EpochMetrics[], patience: number): EarlyStop | null {
  const newest = history.at(-1);
  if (patience <= 0 || newest?.validationLoss === undefined) return null;
  const best = bestEpoch(history);
  if (best === null || newest.epoch - best < patience) return null;
  return { epoch: newest.epoch, bestEpoch: best, patience };
}

/** The notice that goes out with the final state of a run that stopped early. */
export function earlyStopNotice({ epoch, bestEpoch: best }: EarlyStop): string {
  const waited = epoch - best;
  return (
    `Stopped early after epoch ${epoch}: the validation −ELBO has not improved for ${waited} ` +
    `${waited === 1 ? 'epoch' : 'epochs'} since epoch ${best}, whose checkpoint is kept as the best.`
  );
}

/**
 * Where a time budget ends training: after the epoch once another one, at this session's mean
 * pace (evaluation and map time included), would not fit. So the run stops at a checkpoint within
 * about one epoch of the budget, never far past it (only a first epoch longer than the whole
 * budget goes over). Null without a budget.
 */
export function budgetStopAt(
  epoch: number,
  epochsThisSession: number,
  elapsedSeconds: number,
  budgetSeconds: number,
): BudgetStop | null {
  if (budgetSeconds <= 0 || epochsThisSession <= 0) return null;
  const perEpoch = elapsedSeconds / epochsThisSession;
  return elapsedSeconds + perEpoch > budgetSeconds ? { epoch, budgetSeconds, elapsedSeconds } : null;
}

export function budgetStopNotice({ epoch, budgetSeconds, elapsedSeconds }: BudgetStop): string {
  return (
    `Stopped at the time budget after epoch ${epoch}: ${formatSeconds(elapsedSeconds)} of ` +
    `${formatSeconds(budgetSeconds)}; another epoch would not have fitted. Continue the run for more.`
  );
}

/**
 * Seconds until the run ends: the batches left at this session's pace per batch, plus each epoch's
 * evaluation and map time measured so far, capped by what is left of a time budget.
 */
export function remainingSeconds({
  secondsPerBatch,
  batchesLeft,
  epochsLeft,
  overheadPerEpoch,
  elapsedSeconds,
  budgetSeconds,
}: {
  secondsPerBatch: number;
  batchesLeft: number;
  /** Epochs not finished yet, the current one included. */
  epochsLeft: number;
  overheadPerEpoch: number;
  elapsedSeconds: number;
  budgetSeconds: number;
}): number {
  const planned = secondsPerBatch * batchesLeft + overheadPerEpoch * epochsLeft;
  return budgetSeconds > 0 ? Math.min(planned, Math.max(0, budgetSeconds - elapsedSeconds)) : planned;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Per-epoch shuffle seed: epoch k's order does not depend on how epochs before it ran (resume). */
function shuffleSeed(seed: number, epoch: number): number {
  return (Math.imul(seed, 0x9e3779b1) + epoch * 0x85ebca6b) >>> 0;
}

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
      this.setState('failed', this.failureMessage(error));
    }
    await this.statusWrites;
  }

  /** Plain words for a full or read-only data folder, with where the run can continue from. */
  private failureMessage(error: unknown): string {
    if (error instanceof GpuFaultError) {
      return gpuFaultMessage(error.fault, this.settings.batchSize, this.lastCheckpointEpoch);
    }
    const diskProblem = writeFailureMessage(error);
    if (diskProblem === null) return error instanceof Error ? error.message : String(error);
    const resume =
      this.lastCheckpointEpoch === null
        ? 'Training stopped before its first checkpoint.'
        : `Training stopped; it can continue from the checkpoint of epoch ${this.lastCheckpointEpoch}.`;
    return `${diskProblem} ${resume}`;
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

  private divergedMessage(epoch: number, batch: number | null): string {
    const where =
      batch === null ? `in the evaluation after epoch ${epoch}` : `at epoch ${epoch}, batch ${batch}`;
    const resume =
      this.lastCheckpointEpoch === null
        ? 'No checkpoint was saved before it; try a lower learning rate.'
        : `The last good checkpoint is epoch ${this.lastCheckpointEpoch}: continue from it, perhaps with a lower learning rate.`;
    return `Training diverged: the loss became NaN or infinite ${where}. Nothing was saved from these weights. ${resume}`;
  }

  private async train(train: ImageSubset, test: ImageSubset, validation: ImageSubset | null): Promise<void> {
    const { epochs, batchSize, learningRate, latentDim, seed, likelihood, beta } = this.settings;
    const { klWarmupEpochs, earlyStopPatience, augmentFlip, learningRateSchedule } = this.settings;
    const budgetSeconds = (this.settings.timeBudgetMinutes ?? 0) * 60;
    const { set } = train;
    const model = createModel(this.settings, set.size, set.channels);
    this.model = model;
    const pixels = set.size * set.size * set.channels;
    /** The base rate: the setting, or the last one set during training. The schedule scales it. */
    let baseLearningRate = learningRate;
    /** β ramps linearly over the warm-up epochs, batch by batch. */
    const betaAt = (progress: number) =>
      klWarmupEpochs > 0 ? beta * Math.min(1, progress / klWarmupEpochs) : beta;
    const optimizer = tf.train.adam(learningRate, 0.9, 0.999, 1e-8);
    const resumeFrom = this.options.resumeFrom;
    const history: EpochMetrics[] = [...(this.options.previousMetrics ?? [])];
    if (resumeFrom) {
      restoreModel(model, resumeFrom);
      await restoreOptimizer(optimizer, model, resumeFrom);
      history.splice(0, history.length, ...history.filter((m) => m.epoch <= resumeFrom.manifest.epoch));
    } else if (this.settings.pcaStart) {
      // A fresh run with the PCA start begins there (a resumed one has its weights already).
      await startFromPca(model, train, seed);
    }
    const firstEpoch = (resumeFrom?.manifest.epoch ?? 0) + 1;
    const display = this.options.display ?? stratifiedSample(test, this.settings.displayCount);
    const displayLabels = Uint8Array.from(display, (i) => test.set.labels[i]!);
    const displayMetadata = test.set.metadata.map(({ field, values }) => ({
      field,
      values: Float32Array.from(display, (i) => values[i]!),
    }));
    const trainCount = train.indices.length;
    const batchesPerEpoch = Math.ceil(trainCount / batchSize);
    const plannedSteps = epochs * batchesPerEpoch;
    const runStart = performance.now();
    const rateAt = (epoch: number, batch: number) =>
      baseLearningRate *
      learningRateFactor(
        learningRateSchedule,
        globalStep(epoch, batch, batchesPerEpoch),
        plannedSteps,
        budgetSeconds > 0 ? (performance.now() - runStart) / 1000 / budgetSeconds : 0,
      );
    const adam = optimizer as tf.AdamOptimizer & { learningRate: number };
    let trainingSeconds = 0;
    let batchesDone = 0;
    const steps = new StepReads();

    try {
      this.setState('running');
      for (let epoch = firstEpoch; epoch <= epochs; epoch++) {
        if (this.pendingLearningRate !== null) {
          baseLearningRate = this.pendingLearningRate;
          this.pendingLearningRate = null;
        }
        const shuffled = shuffledIndices(trainCount, mulberry32(shuffleSeed(seed, epoch)));
        const order = Uint32Array.from(shuffled, (k) => train.indices[k]!);
        const epochStart = performance.now();
        steps.restartClock();
        let lastProgress = 0;
        let lossSum = 0;
        let imagesSeen = 0;
        for (let batch = 0; batch < batchesPerEpoch; batch++) {
          if (!(await this.betweenBatches())) return this.setState('cancelled');
          throwIfGpuFault();
          const stepStart = performance.now();
          const start = batch * batchSize;
          const end = Math.min(start + batchSize, trainCount);
          // Set before every step, from the step's place in the run: resuming needs no saved rate.
          adam.learningRate = rateAt(epoch, batch);
          const mirror = augmentFlip ? flipChoices(seed, epoch, batch, end - start) : undefined;
          const x = batchTensor(set, order, start, end, mirror);
          // Hashed, so no two (epoch, batch) pairs share noise by arithmetic accident (issue 14, item 6).
          const noiseSeed = mixSeed(seed, epoch, batch);
          const noise = tf.randomNormal<tf.Rank.R2>([end - start, latentDim], 0, 1, 'float32', noiseSeed);
          const lossOptions = {
            likelihood,
            beta: betaAt(epoch - 1 + batch / batchesPerEpoch),
            fitScale: true,
          };
          // The objective (β-weighted) is minimised; the plain negative ELBO is what gets reported.
          let elbo: tf.Scalar | null = null;
          let fittedScale: tf.Tensor | null = null;
          const cost = optimizer.minimize(
            () => {
              const terms = vaeLoss(model, x, noise, lossOptions);
              elbo = tf.keep(terms.loss);
              if (terms.fittedScale) fittedScale = tf.keep(terms.fittedScale);
              return terms.objective;
            },
            true,
            model.variables,
          );
          // A learned scale follows its maximum-likelihood fit rather than Adam's slow steps
          // (`fitScaleToResiduals`); the variable stays in the optimizer's list, so checkpoints and
          // resumed runs keep one Adam slot per weight, whatever the likelihood.
          if (fittedScale) applyFittedScale(model, fittedScale);
          tf.dispose([x, noise, ...(fittedScale ? [fittedScale as tf.Tensor] : [])]);
          steps.add(batch + 1, end - start, cost, elbo);
          const lastBatch = batch === batchesPerEpoch - 1;
          const mapEvery = this.settings.mapEveryBatches ?? 0;
          const mapDue = mapEvery > 0 && (batch + 1) % mapEvery === 0 && !lastBatch;
          const progressDue = performance.now() - lastProgress >= this.progressIntervalMs;
          if (lastBatch || mapDue || progressDue || steps.size >= steps.limit(this.progressIntervalMs)) {
            // Losses are read a few times a second, not per step: a GPU keeps working meanwhile.
            for (const step of await steps.read()) {
              if (!Number.isFinite(step.objective) || !Number.isFinite(step.loss))
                return this.setState('diverged', this.divergedMessage(epoch, step.batch));
              lossSum += step.loss * step.images;
              imagesSeen += step.images;
            }
          }
          trainingSeconds += (performance.now() - stepStart) / 1000;
          batchesDone++;
          if (mapDue) {
            const means = await unlessDeviceLost(encodeMeans(model, test.set, display));
            this.listener.onMapUpdate?.({ epoch: epoch - 1 + (batch + 1) / batchesPerEpoch, means });
          }
          const now = performance.now();
          if (steps.size === 0 && (now - lastProgress >= this.progressIntervalMs || lastBatch)) {
            lastProgress = now;
            const secondsPerBatch = trainingSeconds / batchesDone;
            this.listener.onProgress({
              jobId: this.jobId,
              epoch,
              epochs,
              batch: batch + 1,
              batchesPerEpoch,
              loss: lossSum / imagesSeen,
              imagesPerSecond: imagesSeen / ((now - epochStart) / 1000),
              etaSeconds: remainingSeconds({
                secondsPerBatch,
                batchesLeft: (epochs - epoch + 1) * batchesPerEpoch - (batch + 1),
                epochsLeft: epochs - epoch + 1,
                // Evaluation, map updates and checkpoints: whatever time the steps did not take.
                overheadPerEpoch:
                  epoch > firstEpoch ? ((now - runStart) / 1000 - trainingSeconds) / (epoch - firstEpoch) : 0,
                elapsedSeconds: (now - runStart) / 1000,
                budgetSeconds,
              }),
              elapsedSeconds: (now - runStart) / 1000,
            });
          }
        }
        const epochSeconds = (performance.now() - epochStart) / 1000;
        // Validation chooses the best checkpoint; the test figures below are only reported.
        const validationLoss = validation
          ? (await unlessDeviceLost(evaluate(model, validation, seed + 2, likelihood))).loss
          : null;
        if (validationLoss !== null && !Number.isFinite(validationLoss))
          return this.setState('diverged', this.divergedMessage(epoch, null));
        const evaluation = await unlessDeviceLost(evaluate(model, test, seed + 1, likelihood));
        if (!Number.isFinite(evaluation.loss))
          return this.setState('diverged', this.divergedMessage(epoch, null));
        // Bits/dim only where the likelihood is a probability of the pixels (not a Gaussian density).
        const bitsPerDim = (nats: number) =>
          reportsBitsPerDim(likelihood) ? nats / (pixels * Math.LN2) : null;
        const metrics: EpochMetrics = {
          epoch,
          beta: betaAt(epoch),
          learningRate: rateAt(epoch, batchesPerEpoch - 1),
          ...(learningRateSchedule === 'warmup-cosine' ? { baseLearningRate } : {}),
          trainBitsPerDim: bitsPerDim(lossSum / imagesSeen),
          testBitsPerDim: bitsPerDim(evaluation.loss),
          klPerDimension: evaluation.klPerDimension,
          activeUnits: evaluation.activeUnits,
          likelihood,
          latentMeanVariance: evaluation.latentMeanVariance,
          // JSON has no NaN: a failed estimate is left out rather than written as null.
          ...(Number.isFinite(evaluation.mutualInformation)
            ? { mutualInformation: evaluation.mutualInformation }
            : {}),
          trainLoss: lossSum / imagesSeen,
          testLoss: evaluation.loss,
          testReconstruction: evaluation.reconstruction,
          testKl: evaluation.kl,
          ...(validationLoss === null ? {} : { validationLoss }),
          imagesPerSecond: imagesSeen / epochSeconds,
          wallSeconds: (performance.now() - runStart) / 1000,
        };
        history.push(metrics);
        // A checkpoint is written only from weights read in full (atomic write): a device lost
        // while reading leaves the previous checkpoints as they were.
        await unlessDeviceLost(this.persist(epoch, metrics, history, model, optimizer));
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
          latentDim,
          means,
          labels: displayLabels,
          classNames: test.set.classNames,
          metadata: displayMetadata,
        });
        // After the last epoch the run completes anyway: stopping "early" there would be no news.
        const stop = epoch < epochs ? earlyStopAt(history, earlyStopPatience) : null;
        if (stop) {
          this.stoppedEarly = stop;
          return this.setState('completed', null, { stoppedEarly: stop });
        }
        const overBudget =
          epoch < epochs
            ? budgetStopAt(
                epoch,
                epoch - firstEpoch + 1,
                (performance.now() - runStart) / 1000,
                budgetSeconds,
              )
            : null;
        if (overBudget) {
          this.stoppedAtBudget = overBudget;
          return this.setState('completed', null, { stoppedAtBudget: overBudget });
        }
      }
      this.setState('completed');
    } finally {
      steps.dispose();
      optimizer.dispose();
    }
  }

  /** Metrics file, then the checkpoint (atomic), then pruning to the last few and the best. */
  private async persist(
    epoch: number,
    metrics: EpochMetrics,
    history: EpochMetrics[],
    model: VaeModel,
    optimizer: tf.Optimizer,
  ): Promise<void> {
    const run = this.options.run;
    if (!run) return;
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
