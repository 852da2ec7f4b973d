/**
 * What one session of a training run computes with: the model and its Adam state (restored when
 * continuing), the schedules of β and the learning rate, the points the map shows, and the
 * optimizer step itself. The job around it decides when steps run and who hears of them.
 * Flips and the learning rate of every step come from (seed, epoch, batch) alone, so a resumed
 * run trains exactly as an uninterrupted one.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { EpochMetrics, LatentSnapshot, TrainProgress } from '../../../shared/training-events';
import type { TrainSettings } from '../../../shared/train-settings';
import { flipChoices } from '../data/augment';
import { batchTensor } from '../data/batches';
import { stratifiedSample, type ImageSubset } from '../data/image-set';
import { mixSeed } from '../data/stable-hash';
import { reportsBitsPerDim } from '../../../shared/likelihood-info';
import { applyFittedScale, vaeLoss } from '../model/loss';
import type { VaeModel } from '../model/vae-model';
import { restoreModel, restoreOptimizer, type LoadedCheckpoint } from './checkpoint';
import type { Evaluation } from './evaluate';
import { globalStep, learningRateFactor } from './lr-schedule';
import { startFromPca } from './pca-start';
import { mulberry32, shuffledIndices } from '../random';
import { remainingSeconds } from './run-stops';
import { StepReads } from './step-reads';

/** The parts of a run's data one session trains and reports on (capped already). */
export interface SessionData {
  train: ImageSubset;
  test: ImageSubset;
  validation: ImageSubset | null;
}

export interface SessionStart {
  resumeFrom?: LoadedCheckpoint;
  previousMetrics?: EpochMetrics[];
  display?: Uint32Array;
}

/** One epoch as it goes: its batch order and what its steps have added up to. */
export interface EpochTally {
  epoch: number;
  order: Uint32Array;
  start: number;
  lastProgress: number;
  lossSum: number;
  imagesSeen: number;
}

/** Per-epoch shuffle seed: epoch k's order does not depend on how epochs before it ran (resume). */
function shuffleSeed(seed: number, epoch: number): number {
  return (Math.imul(seed, 0x9e3779b1) + epoch * 0x85ebca6b) >>> 0;
}

export class TrainingSession {
  /** The base rate: the setting, or the last one set during training. The schedule scales it. */
  baseLearningRate: number;
  /** Seconds spent in steps (reading their losses included), for the ETA. */
  trainingSeconds = 0;
  batchesDone = 0;
  readonly steps = new StepReads();
  readonly firstEpoch: number;
  readonly history: EpochMetrics[];
  readonly display: Uint32Array;
  readonly displayLabels: Uint8Array;
  readonly displayMetadata: LatentSnapshot['metadata'];
  readonly trainCount: number;
  readonly batchesPerEpoch: number;
  readonly budgetSeconds: number;
  readonly pixels: number;
  readonly runStart: number;
  private readonly plannedSteps: number;
  private readonly adam: tf.AdamOptimizer & { learningRate: number };

  private constructor(
    readonly settings: TrainSettings,
    readonly model: VaeModel,
    readonly optimizer: tf.Optimizer,
    readonly data: SessionData,
    start: SessionStart,
    history: EpochMetrics[],
  ) {
    const { train, test } = data;
    this.baseLearningRate = settings.learningRate;
    this.budgetSeconds = (settings.timeBudgetMinutes ?? 0) * 60;
    this.pixels = train.set.size * train.set.size * train.set.channels;
    this.history = history;
    this.firstEpoch = (start.resumeFrom?.manifest.epoch ?? 0) + 1;
    this.display = start.display ?? stratifiedSample(test, settings.displayCount);
    this.displayLabels = Uint8Array.from(this.display, (i) => test.set.labels[i]!);
    this.displayMetadata = test.set.metadata.map(({ field, values }) => ({
      field,
      values: Float32Array.from(this.display, (i) => values[i]!),
    }));
    this.trainCount = train.indices.length;
    this.batchesPerEpoch = Math.ceil(this.trainCount / settings.batchSize);
    this.plannedSteps = settings.epochs * this.batchesPerEpoch;
    this.runStart = performance.now();
    this.adam = optimizer as tf.AdamOptimizer & { learningRate: number };
  }

  /** The model's weights and Adam state restored when continuing, else a fresh (or PCA) start. */
  static async start(
    settings: TrainSettings,
    model: VaeModel,
    data: SessionData,
    start: SessionStart,
  ): Promise<TrainingSession> {
    const optimizer = tf.train.adam(settings.learningRate, 0.9, 0.999, 1e-8);
    const resumeFrom = start.resumeFrom;
    const history: EpochMetrics[] = [...(start.previousMetrics ?? [])];
    if (resumeFrom) {
      restoreModel(model, resumeFrom);
      await restoreOptimizer(optimizer, model, resumeFrom);
      history.splice(0, history.length, ...history.filter((m) => m.epoch <= resumeFrom.manifest.epoch));
    } else if (settings.pcaStart) {
      // A fresh run with the PCA start begins there (a resumed one has its weights already).
      await startFromPca(model, data.train, settings.seed);
    }
    return new TrainingSession(settings, model, optimizer, data, start, history);
  }

  /** β ramps linearly over the warm-up epochs, batch by batch. */
  betaAt(progress: number): number {
    const { klWarmupEpochs, beta } = this.settings;
    return klWarmupEpochs > 0 ? beta * Math.min(1, progress / klWarmupEpochs) : beta;
  }

  rateAt(epoch: number, batch: number): number {
    const { budgetSeconds } = this;
    return (
      this.baseLearningRate *
      learningRateFactor(
        this.settings.learningRateSchedule,
        globalStep(epoch, batch, this.batchesPerEpoch),
        this.plannedSteps,
        budgetSeconds > 0 ? (performance.now() - this.runStart) / 1000 / budgetSeconds : 0,
      )
    );
  }

  beginEpoch(epoch: number): EpochTally {
    const shuffled = shuffledIndices(this.trainCount, mulberry32(shuffleSeed(this.settings.seed, epoch)));
    const order = Uint32Array.from(shuffled, (k) => this.data.train.indices[k]!);
    const start = performance.now();
    this.steps.restartClock();
    return { epoch, order, start, lastProgress: 0, lossSum: 0, imagesSeen: 0 };
  }

  /** One Adam step on a batch of the epoch; its losses wait in `steps`, to be read in bulk. */
  step({ epoch, order }: EpochTally, batch: number): void {
    const { seed, batchSize, latentDim, likelihood, augmentFlip } = this.settings;
    const { model, optimizer, batchesPerEpoch } = this;
    const { set } = this.data.train;
    const start = batch * batchSize;
    const end = Math.min(start + batchSize, this.trainCount);
    // Set before every step, from the step's place in the run: resuming needs no saved rate.
    this.adam.learningRate = this.rateAt(epoch, batch);
    const mirror = augmentFlip ? flipChoices(seed, epoch, batch, end - start) : undefined;
    const x = batchTensor(set, order, start, end, mirror);
    // Hashed, so no two (epoch, batch) pairs share noise by arithmetic accident (issue 14, item 6).
    const noiseSeed = mixSeed(seed, epoch, batch);
    const noise = tf.randomNormal<tf.Rank.R2>([end - start, latentDim], 0, 1, 'float32', noiseSeed);
    const lossOptions = {
      likelihood,
      beta: this.betaAt(epoch - 1 + batch / batchesPerEpoch),
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
    this.steps.add(batch + 1, end - start, cost, elbo);
  }

  /** An epoch's line in the metrics file, from its steps and its held-out evaluation. */
  metrics(
    { epoch, lossSum, imagesSeen }: EpochTally,
    epochSeconds: number,
    evaluation: Evaluation,
    validationLoss: number | null,
  ): EpochMetrics {
    const { likelihood, learningRateSchedule } = this.settings;
    const { baseLearningRate, pixels } = this;
    // Bits/dim only where the likelihood is a probability of the pixels (not a Gaussian density).
    const bitsPerDim = (nats: number) => (reportsBitsPerDim(likelihood) ? nats / (pixels * Math.LN2) : null);
    return {
      epoch,
      beta: this.betaAt(epoch),
      learningRate: this.rateAt(epoch, this.batchesPerEpoch - 1),
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
      wallSeconds: this.elapsedSeconds(),
    };
  }

  /** The progress event after `batch` (0-based) of the tally's epoch. */
  progress(jobId: string, tally: EpochTally, batch: number, now: number): TrainProgress {
    const { epochs } = this.settings;
    const { epoch } = tally;
    const { batchesPerEpoch, firstEpoch, trainingSeconds } = this;
    const elapsedSeconds = this.elapsedSeconds(now);
    return {
      jobId,
      epoch,
      epochs,
      batch: batch + 1,
      batchesPerEpoch,
      loss: tally.lossSum / tally.imagesSeen,
      imagesPerSecond: tally.imagesSeen / ((now - tally.start) / 1000),
      etaSeconds: remainingSeconds({
        secondsPerBatch: trainingSeconds / this.batchesDone,
        batchesLeft: (epochs - epoch + 1) * batchesPerEpoch - (batch + 1),
        epochsLeft: epochs - epoch + 1,
        // Evaluation, map updates and checkpoints: whatever time the steps did not take.
        overheadPerEpoch: epoch > firstEpoch ? (elapsedSeconds - trainingSeconds) / (epoch - firstEpoch) : 0,
        elapsedSeconds,
        budgetSeconds: this.budgetSeconds,
      }),
      elapsedSeconds,
    };
  }

  /** Seconds since the session started. */
  elapsedSeconds(now = performance.now()): number {
    return (now - this.runStart) / 1000;
  }

  dispose(): void {
    this.steps.dispose();
    this.optimizer.dispose();
  }
}
