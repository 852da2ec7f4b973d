/**
 * One training run of the MLP VAE: shuffled mini-batches with Adam, progress several times a
 * second, and after every epoch the held-out metrics and a latent snapshot of the display subset.
 * Between batches it yields to the event loop, so pause, cancel and pings are handled within one
 * batch.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { LatentSnapshot, TrainProgress, TrainSettings, TrainState } from '../../../shared/types';
import { batchTensor } from '../data/batches';
import { stratifiedSample, takeFirst, type ImageSubset } from '../data/image-set';
import { vaeLoss } from '../model/loss';
import { MlpVae } from '../model/vae-mlp';
import { pca2d } from '../projection/pca';
import { encodeMeans, evaluate } from './evaluate';
import { mulberry32, shuffledIndices } from './random';

export interface TrainingData {
  train: ImageSubset;
  test: ImageSubset;
}

export interface TrainingListener {
  onState(state: TrainState, error: string | null): void;
  onProgress(progress: TrainProgress): void;
  onEpochEnd(snapshot: LatentSnapshot): void;
}

export interface TrainingJobOptions {
  /** Minimum milliseconds between progress events. Default 250 (4 Hz). */
  progressIntervalMs?: number;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export class TrainingJob {
  private state: TrainState = 'loading';
  private cancelRequested = false;
  private resumeWaiters: (() => void)[] = [];
  private pauseRequested = false;
  private readonly progressIntervalMs: number;
  /** The model is kept after the run so later requests (encode, sample) can use it. */
  model: MlpVae | null = null;

  constructor(
    readonly jobId: string,
    readonly settings: TrainSettings,
    private readonly listener: TrainingListener,
    options: TrainingJobOptions = {},
  ) {
    this.progressIntervalMs = options.progressIntervalMs ?? 250;
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

  private wake(): void {
    for (const waiter of this.resumeWaiters.splice(0)) waiter();
  }

  private setState(state: TrainState, error: string | null = null): void {
    this.state = state;
    this.listener.onState(state, error);
  }

  /** Runs to the end (completed, cancelled or failed); never throws. */
  async run(loadData: () => Promise<TrainingData>): Promise<void> {
    try {
      this.setState('loading');
      const data = await loadData();
      await this.train(
        takeFirst(data.train, this.settings.trainLimit),
        takeFirst(data.test, this.settings.testLimit),
      );
    } catch (error) {
      this.setState('failed', error instanceof Error ? error.message : String(error));
    }
  }

  /** Waits while paused; returns false when the run was cancelled. */
  private async checkpointBetweenBatches(): Promise<boolean> {
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

  private async train(train: ImageSubset, test: ImageSubset): Promise<void> {
    const { epochs, batchSize, learningRate, latentDim, seed } = this.settings;
    const { set } = train;
    const model = new MlpVae({ inputSize: set.size * set.size * set.channels, latentDim, seed });
    this.model = model;
    const optimizer = tf.train.adam(learningRate, 0.9, 0.999, 1e-8);
    const random = mulberry32(seed);
    const display = stratifiedSample(test, this.settings.displayCount);
    const displayLabels = Uint8Array.from(display, (i) => test.set.labels[i]!);
    const displayMetadata = test.set.metadata.map(({ field, values }) => ({
      field,
      values: Float32Array.from(display, (i) => values[i]!),
    }));
    const trainCount = train.indices.length;
    const batchesPerEpoch = Math.ceil(trainCount / batchSize);
    const runStart = performance.now();
    let trainingSeconds = 0;
    let batchesDone = 0;
    let previousLayout: Float32Array | undefined;

    try {
      this.setState('running');
      for (let epoch = 1; epoch <= epochs; epoch++) {
        const shuffled = shuffledIndices(trainCount, random);
        const order = Uint32Array.from(shuffled, (k) => train.indices[k]!);
        const epochStart = performance.now();
        let lastProgress = 0;
        let lossSum = 0;
        let imagesSeen = 0;
        for (let batch = 0; batch < batchesPerEpoch; batch++) {
          if (!(await this.checkpointBetweenBatches())) return this.setState('cancelled');
          const stepStart = performance.now();
          const start = batch * batchSize;
          const end = Math.min(start + batchSize, trainCount);
          const x = batchTensor(set, order, start, end);
          const noiseSeed = seed * 7_919 + epoch * 65_537 + batch;
          const noise = tf.randomNormal<tf.Rank.R2>([end - start, latentDim], 0, 1, 'float32', noiseSeed);
          const cost = optimizer.minimize(() => vaeLoss(model, x, noise).loss, true, model.variables);
          tf.dispose([x, noise]);
          const loss = cost ? ((await cost.data())[0] ?? NaN) : NaN;
          cost?.dispose();
          trainingSeconds += (performance.now() - stepStart) / 1000;
          batchesDone++;
          lossSum += loss * (end - start);
          imagesSeen += end - start;
          const now = performance.now();
          if (now - lastProgress >= this.progressIntervalMs || batch === batchesPerEpoch - 1) {
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
              etaSeconds: secondsPerBatch * (epochs * batchesPerEpoch - batchesDone),
              elapsedSeconds: (now - runStart) / 1000,
            });
          }
        }
        const epochSeconds = (performance.now() - epochStart) / 1000;
        const evaluation = await evaluate(model, test, seed + 1);
        const means = await encodeMeans(model, test.set, display);
        const layout = pca2d(means, display.length, latentDim, previousLayout);
        previousLayout = layout;
        this.listener.onEpochEnd({
          jobId: this.jobId,
          epoch,
          metrics: {
            epoch,
            trainLoss: lossSum / imagesSeen,
            testLoss: evaluation.loss,
            testReconstruction: evaluation.reconstruction,
            testKl: evaluation.kl,
            imagesPerSecond: imagesSeen / epochSeconds,
            wallSeconds: (performance.now() - runStart) / 1000,
          },
          count: display.length,
          latentDim,
          means,
          layout,
          labels: displayLabels,
          classNames: test.set.classNames,
          metadata: displayMetadata,
        });
      }
      this.setState('completed');
    } finally {
      optimizer.dispose();
    }
  }
}
