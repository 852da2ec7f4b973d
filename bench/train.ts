/**
 * `npm run bench -- train`: MLP VAE training and encoding throughput on every backend that loads
 * here, against PyTorch (Debian python3-torch) on the same data in the same run, plus held-out
 * negative ELBO after the same number of epochs.
 *   --batches N   batches timed per backend (default 150; the cpu backend times N/5)
 *   --epochs E    full epochs for the quality comparison (default 1; wasm only)
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../src/main/engine/backend';
import { batchTensor } from '../src/main/engine/data/batches';
import { wholeSet } from '../src/main/engine/data/image-set';
import { loadMnist, mnistDirectory } from '../src/main/engine/data/mnist';
import { vaeLoss } from '../src/main/engine/model/loss';
import { MlpVae } from '../src/main/engine/model/vae-mlp';
import { evaluate } from '../src/main/engine/train/evaluate';
import { TrainingJob } from '../src/main/engine/train/training-job';
import { DEFAULT_TRAIN_SETTINGS } from '../src/shared/train-defaults';
import type { BackendName } from '../src/shared/types';

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: { batches: { type: 'string', default: '150' }, epochs: { type: 'string', default: '1' } },
});
const BATCHES = Number(values.batches);
const EPOCHS = Number(values.epochs);
const BATCH = 128;
const PYTHON = process.env['PYTHON'] ?? '/usr/bin/python3';

interface Row {
  name: string;
  train: number;
  encode: number;
  testLoss?: number;
}

async function measure(backend: BackendName, batches: number): Promise<Row | null> {
  try {
    const report = await selectBackend(backend);
    if (report.name !== backend) return null;
  } catch {
    return null;
  }
  const { train, test } = await loadMnist();
  const model = new MlpVae({ inputSize: 784, latentDim: 20, seed: 1 });
  const optimizer = tf.train.adam(1e-3, 0.9, 0.999, 1e-8);
  const order = Uint32Array.from({ length: train.count }, (_, i) => i);
  const step = (b: number) => {
    const start = (b * BATCH) % (train.count - BATCH);
    const x = batchTensor(train, order, start, start + BATCH);
    const noise = tf.randomNormal<tf.Rank.R2>([BATCH, 20], 0, 1, 'float32', b);
    const cost = optimizer.minimize(() => vaeLoss(model, x, noise).loss, true, model.variables);
    cost?.dataSync();
    tf.dispose(cost ? [x, noise, cost] : [x, noise]);
  };
  for (let b = 0; b < 5; b++) step(b);
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
  const encodeIps = test.count / ((performance.now() - t0) / 1000);
  optimizer.dispose();
  model.dispose();
  return { name: `tfjs ${backend}`, train: trainIps, encode: encodeIps };
}

async function quality(): Promise<number> {
  await selectBackend('wasm');
  let finalLoss = NaN;
  const job = new TrainingJob(
    'bench',
    { ...DEFAULT_TRAIN_SETTINGS, epochs: EPOCHS, displayCount: 16 },
    {
      onState: () => undefined,
      onProgress: () => undefined,
      onEpochEnd: (s) => (finalLoss = s.metrics.testLoss),
    },
  );
  const mnist = await loadMnist();
  const data = { train: wholeSet(mnist.train), test: wholeSet(mnist.test) };
  await job.run(async () => data);
  if (job.model) finalLoss = (await evaluate(job.model, data.test, 1)).loss;
  job.model?.dispose();
  return finalLoss;
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  let torch: Row | null = null;
  try {
    const script = path.join(__dirname, 'reference/torch_mlp_vae.py');
    const out = execFileSync(
      PYTHON,
      [script, mnistDirectory(), '--batches', String(BATCHES * 4), '--epochs', String(EPOCHS)],
      {
        encoding: 'utf8',
      },
    );
    const parsed = JSON.parse(out.trim().split('\n').pop() ?? '{}') as {
      trainImagesPerSecond: number;
      encodeImagesPerSecond: number;
      testLoss: number;
    };
    torch = {
      name: 'PyTorch (reference)',
      train: parsed.trainImagesPerSecond,
      encode: parsed.encodeImagesPerSecond,
      testLoss: parsed.testLoss,
    };
  } catch (error) {
    console.warn(
      `PyTorch reference unavailable (${PYTHON} with torch): ${(error as Error).message.split('\n')[0]}`,
    );
  }
  for (const backend of ['tensorflow', 'wasm', 'cpu'] as const) {
    const row = await measure(backend, backend === 'cpu' ? Math.max(5, Math.round(BATCHES / 5)) : BATCHES);
    if (row) rows.push(row);
  }
  const wasm = rows.find((r) => r.name === 'tfjs wasm');
  if (wasm) wasm.testLoss = await quality();

  const ratio = (v: number, ref?: number) => (ref ? `${(v / ref).toFixed(2)}×` : 'n/a');
  console.log(
    `\nMLP VAE 784-400-20, batch ${BATCH}, MNIST (train ${BATCHES} batches timed; quality after ${EPOCHS} epoch(s))`,
  );
  console.log('implementation        train img/s  vs torch   encode img/s  vs torch   test −ELBO');
  for (const r of torch ? [torch, ...rows] : rows) {
    console.log(
      `${r.name.padEnd(22)}${r.train.toFixed(0).padStart(12)}  ${ratio(r.train, torch?.train).padStart(8)}` +
        `${r.encode.toFixed(0).padStart(15)}  ${ratio(r.encode, torch?.encode).padStart(8)}` +
        `${r.testLoss === undefined ? '' : r.testLoss.toFixed(2).padStart(13)}`,
    );
  }
}

void main();
