/**
 * `npm run bench -- train`: MLP and conv VAE training and encoding throughput on every backend that
 * loads here, against PyTorch (Debian python3-torch, bench/reference/torch_vae.py: the same
 * architectures, data and batch size) in the same run, plus held-out negative ELBO after the same
 * number of epochs (wasm only), as mean ± sd over seeds 1…S on each side: one seed's figure moves
 * by about as much as the two implementations differ, so a single pair proves nothing.
 *   --batches N   batches timed per backend (default 100; the cpu backend times N/5)
 *   --epochs E    full epochs for the quality comparison (default 1; 0 skips it)
 *   --seeds S     seeds per side for the quality comparison (default 3)
 *   --models M    comma-separated: mlp,conv (default both)
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../src/main/engine/backend';
import { batchTensor } from '../src/main/engine/data/batches';
import { wholeSet } from '../src/main/engine/data/image-set';
import { loadMnist, mnistDirectory } from '../src/main/engine/data/mnist';
import { createModel } from '../src/main/engine/model/create-model';
import { vaeLoss } from '../src/main/engine/model/loss';
import { TrainingJob } from '../src/main/engine/train/training-job';
import { DEFAULT_TRAIN_SETTINGS } from '../src/shared/train-defaults';
import type { BackendName, ModelKind, TrainSettings } from '../src/shared/types';

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: {
    batches: { type: 'string', default: '100' },
    epochs: { type: 'string', default: '1' },
    seeds: { type: 'string', default: '3' },
    models: { type: 'string', default: 'mlp,conv' },
  },
});
const BATCHES = Number(values.batches);
const EPOCHS = Number(values.epochs);
/** Seeds 1…S, the same numbers on both sides (each side seeds its own generators with them). */
const SEEDS = Array.from({ length: Math.max(1, Number(values.seeds)) }, (_, i) => i + 1);
const MODELS = values.models.split(',') as ModelKind[];
const BATCH = 128;
const PYTHON = process.env['PYTHON'] ?? '/usr/bin/python3';
/** The architectures of torch_vae.py. */
const ARCHITECTURE: Record<ModelKind, Partial<TrainSettings>> = {
  mlp: { model: 'mlp', width: 400, depth: 1 },
  conv: { model: 'conv', width: 32, depth: 2 },
};

interface Row {
  name: string;
  train: number | string;
  encode: number | string;
  /** Held-out −ELBO after EPOCHS epochs, one per seed. */
  testLosses?: number[];
}

function settingsFor(kind: ModelKind): TrainSettings {
  return { ...DEFAULT_TRAIN_SETTINGS, ...ARCHITECTURE[kind], latentDim: 20, batchSize: BATCH, seed: 1 };
}

async function measure(kind: ModelKind, backend: BackendName, batches: number): Promise<Row | null> {
  try {
    if ((await selectBackend(backend)).name !== backend) return null;
  } catch {
    return null;
  }
  const { train, test } = await loadMnist();
  const model = createModel(settingsFor(kind), 28, 1);
  const optimizer = tf.train.adam(1e-3, 0.9, 0.999, 1e-8);
  const order = Uint32Array.from({ length: train.count }, (_, i) => i);
  const step = (b: number) => {
    const start = (b * BATCH) % (train.count - BATCH);
    const x = batchTensor(train, order, start, start + BATCH);
    const noise = tf.randomNormal<tf.Rank.R2>([BATCH, 20], 0, 1, 'float32', b);
    const cost = optimizer.minimize(() => vaeLoss(model, x, noise).objective, true, model.variables);
    cost?.dataSync();
    tf.dispose(cost ? [x, noise, cost] : [x, noise]);
  };
  const name = `tfjs ${backend}`;
  try {
    for (let b = 0; b < 3; b++) step(b);
    let t0 = performance.now();
    for (let b = 0; b < batches; b++) step(b);
    const trainIps = (batches * BATCH) / ((performance.now() - t0) / 1000);
    const all = Uint32Array.from({ length: test.count }, (_, i) => i);
    t0 = performance.now();
    for (let s = 0; s < test.count; s += 1000) {
      const mean = tf.tidy(() => model.encode(batchTensor(test, all, s, s + 1000)).mean);
      mean.dataSync();
      mean.dispose();
    }
    return { name, train: trainIps, encode: test.count / ((performance.now() - t0) / 1000) };
  } catch (error) {
    const reason = `fails: ${(error as Error).message.split('\n')[0]!.slice(0, 60)}`;
    return { name, train: reason, encode: '' };
  } finally {
    optimizer.dispose();
    model.dispose();
  }
}

async function quality(kind: ModelKind, seed: number): Promise<number | null> {
  await selectBackend('wasm');
  let finalLoss: number | null = null;
  const job = new TrainingJob(
    'bench',
    { ...settingsFor(kind), epochs: EPOCHS, displayCount: 16, seed },
    {
      onState: () => undefined,
      onProgress: () => undefined,
      onEpochEnd: (s) => (finalLoss = s.metrics.testLoss),
    },
  );
  const mnist = await loadMnist();
  await job.run(async () => ({ train: wholeSet(mnist.train), test: wholeSet(mnist.test) }));
  job.model?.dispose();
  return job.currentState === 'completed' ? finalLoss : null;
}

/** Mean and sample standard deviation. */
function meanSd(values: number[]): { mean: number; sd: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance =
    values.length > 1 ? values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1) : 0;
  return { mean, sd: Math.sqrt(variance) };
}

function torchRow(kind: ModelKind): Row | null {
  try {
    const script = path.join(__dirname, 'reference/torch_vae.py');
    const args = [
      script,
      mnistDirectory(),
      '--model',
      kind,
      '--batches',
      String(BATCHES * 2),
      '--epochs',
      String(EPOCHS),
      '--seeds',
      SEEDS.join(','),
    ];
    const out = execFileSync(PYTHON, args, { encoding: 'utf8' });
    const parsed = JSON.parse(out.trim().split('\n').pop() ?? '{}') as {
      trainImagesPerSecond: number;
      encodeImagesPerSecond: number;
      testLosses?: number[];
    };
    return {
      name: 'PyTorch (reference)',
      train: parsed.trainImagesPerSecond,
      encode: parsed.encodeImagesPerSecond,
      testLosses: parsed.testLosses ?? [],
    };
  } catch (error) {
    console.warn(
      `PyTorch reference unavailable (${PYTHON} with torch): ${(error as Error).message.split('\n')[0]}`,
    );
    return null;
  }
}

const cell = (v: number | string) => (typeof v === 'number' ? v.toFixed(0) : v);
const ratio = (v: number | string, ref: number | string | undefined) =>
  typeof v === 'number' && typeof ref === 'number' ? `${(v / ref).toFixed(2)}×` : '';

async function main(): Promise<void> {
  for (const kind of MODELS) {
    const torch = torchRow(kind);
    const rows: Row[] = [];
    for (const backend of ['tensorflow', 'wasm', 'cpu'] as const) {
      // The stock cpu backend trains the conv VAE at a few images per second: time just two batches.
      const batches =
        backend !== 'cpu' ? BATCHES : kind === 'conv' ? 2 : Math.max(3, Math.round(BATCHES / 5));
      const row = await measure(kind, backend, batches);
      if (row) rows.push(row);
    }
    const wasm = rows.find((r) => r.name === 'tfjs wasm');
    if (wasm && typeof wasm.train === 'number' && EPOCHS > 0) {
      wasm.testLosses = [];
      for (const seed of SEEDS) {
        const loss = await quality(kind, seed);
        if (loss !== null) wasm.testLosses.push(loss);
      }
    }
    console.log(
      `\n${kind.toUpperCase()} VAE on MNIST, batch ${BATCH} (${BATCHES} batches timed; ` +
        `−ELBO after ${EPOCHS} epoch(s), mean ± sd over seeds ${SEEDS.join(', ')})`,
    );
    console.log(
      'implementation        train img/s  vs torch   encode img/s  vs torch   test −ELBO (mean ± sd)  vs torch',
    );
    const torchLoss = torch?.testLosses?.length ? meanSd(torch.testLosses) : null;
    for (const r of torch ? [torch, ...rows] : rows) {
      const loss = r.testLosses?.length ? meanSd(r.testLosses) : null;
      const lossRatio =
        loss !== null && torchLoss ? `${((loss.mean / torchLoss.mean - 1) * 100).toFixed(1)}%` : '';
      const lossCell = loss === null ? '' : `${loss.mean.toFixed(2)} ± ${loss.sd.toFixed(2)}`;
      console.log(
        `${r.name.padEnd(22)}${cell(r.train).padStart(12)}  ${ratio(r.train, torch?.train).padStart(8)}` +
          `${cell(r.encode).padStart(15)}  ${ratio(r.encode, torch?.encode).padStart(8)}` +
          `${lossCell.padStart(25)}  ${lossRatio.padStart(8)}`,
      );
    }
    for (const r of torch ? [torch, ...rows] : rows) {
      if (r.testLosses?.length) {
        console.log(`  −ELBO per seed, ${r.name}: ${r.testLosses.map((l) => l.toFixed(2)).join(', ')}`);
      }
    }
    if (wasm?.testLosses?.length && torchLoss) {
      const ours = meanSd(wasm.testLosses);
      // Welch's standard error of the difference of the two means.
      const se = Math.sqrt(
        ours.sd ** 2 / wasm.testLosses.length + torchLoss.sd ** 2 / torch!.testLosses!.length,
      );
      const difference = ours.mean - torchLoss.mean;
      console.log(
        `  wasm − PyTorch: ${difference >= 0 ? '+' : ''}${difference.toFixed(2)} nats` +
          (se > 0 ? ` (${(difference / se).toFixed(1)} standard errors)` : ''),
      );
    }
  }
}

void main();
