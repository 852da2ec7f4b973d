/**
 * The soak's engine part: the engine's own `EngineHost` in this (plain Node) process, driven with
 * the same commands main sends it — `dataset:open` on the folder (which runs openFolderDataset),
 * then one `train:start` with epochs to spare, cancelled at an epoch boundary once the time budget
 * is spent. In-process, so `tf.memory().numTensors` is the engine's own count; everything the
 * engine does per epoch runs as in the app (checkpoints and pruning, the gallery's per-epoch
 * reconstructions, the latent map's projections on the worker thread, part-way map updates).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { Preprocessing } from '../../src/shared/dataset-types';
import { DEFAULT_TRAIN_SETTINGS } from '../../src/shared/train-defaults';
import type { TrainSettings } from '../../src/shared/types';
import { InProcessEngine } from './in-process-engine';
import { clock, leastSquares, mb, MB } from './soak-stats';

export interface EngineSoakOptions {
  folder: string;
  /** Where the dataset cache lives (kept between runs, so only the first run decodes). */
  cacheRoot: string;
  /** Training time budget; the run stops at the first epoch end that would overrun it. */
  seconds: number;
  displayCount: number;
}

export interface EpochRow {
  epoch: number;
  seconds: number;
  loss: number;
  numTensors: number;
  rss: number;
  heapUsed: number;
}

export interface EngineSoakResult {
  rows: EpochRow[];
  startRss: number;
  peakRss: number;
  endRss: number;
  tensorsFlat: boolean;
  rssBounded: boolean;
  lines: string[];
}

const PREPROCESSING: Preprocessing = { size: 64, channels: 'rgb', fit: 'crop', background: '#000000' };

export async function soakEngine(options: EngineSoakOptions): Promise<EngineSoakResult> {
  const lines: string[] = [];
  const say = (line: string) => {
    console.log(line);
    lines.push(line);
  };
  const runsRoot = await mkdtemp(path.join(os.tmpdir(), 'latent-studio-soak-runs-'));
  const engine = new InProcessEngine({ cacheRoot: options.cacheRoot, runsRoot });
  try {
    say(`backend: ${await engine.start()}`);

    const openStart = performance.now();
    const opened = engine.next('dataset:did-open');
    const failed = engine.next('dataset:did-fail');
    await engine.command('dataset:open', {
      jobId: 'soak-open',
      source: { kind: 'folder', rootId: 'soak', relativePath: '' },
      folder: options.folder,
      preprocessing: PREPROCESSING,
    });
    const outcome = await Promise.race([
      opened,
      failed.then((f) => Promise.reject(new Error(JSON.stringify(f)))),
    ]);
    const { summary } = outcome;
    say(
      `dataset: ${summary.count} images, ${summary.classNames.length} classes, split ` +
        `${summary.split.train}/${summary.split.test}, opened in ${((performance.now() - openStart) / 1000).toFixed(1)} s`,
    );

    const settings: TrainSettings = {
      ...DEFAULT_TRAIN_SETTINGS,
      datasetId: summary.datasetId,
      trainLimit: summary.split.train,
      testLimit: summary.split.test,
      displayCount: options.displayCount,
      // A couple of part-way map updates per epoch, so the engine side of live map redraws is
      // soaked too without dominating: each encodes every display point at 64×64×3.
      mapEveryBatches: 50,
      epochs: 10_000,
    };
    say(
      `model: ${settings.model} ${settings.width}×${settings.depth}, latent ${settings.latentDim}, batch ` +
        `${settings.batchSize}, display ${settings.displayCount} points, map every ${settings.mapEveryBatches} batches`,
    );

    // Peak RSS is sampled twice a second, not only at epoch ends.
    let peakRss = process.memoryUsage.rss();
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 500);
    const startRss = process.memoryUsage.rss();
    say(`RSS before training: ${mb(startRss)} MB (tensors: ${tf.memory().numTensors})`);
    say('epoch   time      s/epoch   train loss   numTensors   RSS MB   JS heap MB');

    const rows: EpochRow[] = [];
    const trainStart = performance.now();
    let lastEnd = trainStart;
    let jobId = '';
    let stopping = false;
    const finished = new Promise<string>((resolve) => {
      const previous = engine.onEvent;
      engine.onEvent = (event) => {
        previous(event);
        if (event.name === 'train:did-end-epoch') {
          // Synchronously in the job's onEpochEnd, the same point tests/unit/vae.test.ts counts at.
          const numTensors = tf.memory().numTensors;
          const { rss, heapUsed } = process.memoryUsage();
          const now = performance.now();
          const row: EpochRow = {
            epoch: event.payload.epoch,
            seconds: (now - lastEnd) / 1000,
            loss: event.payload.metrics.trainLoss,
            numTensors,
            rss,
            heapUsed,
          };
          lastEnd = now;
          rows.push(row);
          say(
            `${String(row.epoch).padStart(5)}   ${clock((now - trainStart) / 1000).padStart(5)}   ` +
              `${row.seconds.toFixed(1).padStart(7)}   ${row.loss.toFixed(1).padStart(10)}   ` +
              `${String(numTensors).padStart(10)}   ${mb(rss).padStart(6)}   ${mb(heapUsed).padStart(10)}`,
          );
          const elapsed = (now - trainStart) / 1000;
          if (!stopping && elapsed + row.seconds > options.seconds) {
            stopping = true;
            void engine.command('job:cancel', { jobId });
          }
        } else if (event.name === 'train:did-change-state') {
          const { state, error } = event.payload;
          if (state !== 'loading' && state !== 'running' && state !== 'paused') {
            resolve(error ? `${state}: ${error}` : state);
          }
        }
      };
    });
    ({ jobId } = await engine.command('train:start', { jobId: 'soak-train', settings }));
    const endState = await finished;
    // Let the projector's last layout and the checkpoint writes settle before the end figure.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    clearInterval(sampler);
    const endRss = process.memoryUsage.rss();
    peakRss = Math.max(peakRss, endRss);
    const trainSeconds = (performance.now() - trainStart) / 1000;

    // The optimiser's slots and the map's buffers appear during epoch 1; after it the count must
    // be the same at every epoch end.
    const settledTensors = rows.slice(1).map((r) => r.numTensors);
    const tensorsFlat = settledTensors.length > 0 && settledTensors.every((n) => n === settledTensors[0]);
    // RSS "bounded": the last third of the epochs peaks no higher than the first third (after
    // epoch 1) plus max(32 MB, 5 %): allocator and wasm-memory plateaus, not a climb.
    const settled = rows.slice(1);
    const third = Math.max(1, Math.floor(settled.length / 3));
    const early = Math.max(...settled.slice(0, third).map((r) => r.rss));
    const late = Math.max(...settled.slice(-third).map((r) => r.rss));
    const allowance = Math.max(32 * MB, 0.05 * early);
    const judged = settled.length >= 2;
    const rssBounded = judged && late - early <= allowance;
    const fit = leastSquares(
      settled.map((r) => r.epoch),
      settled.map((r) => r.rss / MB),
    );

    say('');
    say(`engine: ${rows.length} epochs in ${clock(trainSeconds)} (ended ${endState})`);
    say(`  RSS start / peak / end: ${mb(startRss)} / ${mb(peakRss)} / ${mb(endRss)} MB`);
    say(
      `  RSS at epoch ends after epoch 1: first third max ${mb(early)} MB, last third max ${mb(late)} MB ` +
        `(+${mb(late - early)} MB, allowed ${mb(allowance)}); slope ${fit.slope.toFixed(2)} ± ` +
        `${fit.slopeError.toFixed(2)} MB/epoch → ${judged ? (rssBounded ? 'bounded' : 'NOT bounded') : 'too few epochs to judge'}`,
    );
    const counts = [...new Set(rows.map((r) => r.numTensors))];
    const series = rows.map((r) => r.numTensors).join(' ');
    say(`  numTensors at epoch ends: ${series.length > 160 ? `${series.slice(0, 160)} …` : series}`);
    say(
      tensorsFlat
        ? `  → flat: ${settledTensors[0]} at every epoch end after epoch 1 (epoch 1: ${rows[0]!.numTensors})`
        : `  → NOT flat (values: ${counts.join(', ')})`,
    );
    await engine.command('app:prepare-quit', {});
    return { rows, startRss, peakRss, endRss, tensorsFlat, rssBounded, lines };
  } finally {
    await rm(runsRoot, { recursive: true, force: true });
  }
}
