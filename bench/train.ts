// Over 300 lines: one benchmark (ours vs PyTorch per backend and model) read top to bottom; its shared pieces live in bench/support.
/**
 * `npm run bench -- train`: VAE training and encoding throughput per tfjs backend, against PyTorch
 * (Debian python3-torch, bench/reference/torch_vae.py: the same architectures, data and batch size)
 * in the same run, plus held-out negative ELBO after the same number of epochs (wasm only, MNIST
 * models), as mean ± sd over seeds 1…S on each side: one seed's figure moves by about as much as the
 * two implementations differ, so a single pair proves nothing.
 *
 * Models: `mlp` and `conv`, the MNIST VAEs (batch 128, Bernoulli); `conv64`, the app's 64 px colour
 * conv preset (`presetFor(64, 3)` for a folder under 2,000 images: its width, depth, latent size,
 * PCA-start linear path, discretized logistic likelihood and batch of 32) on random 8-bit 64×64×3
 * pixels, throughput only. PyTorch runs with `--device auto` (cuda when torch has one) and its row
 * says which device ran.
 *
 * Timing: the steps are queued and one loss is read (awaited) every SYNC_EVERY steps and at the end
 * of the timed window, on every backend alike; a read per step would stall a GPU's queue, and
 * `dataSync` does not work on webgpu in Node at all. Encoding is timed the same way. The loss of
 * the first (untimed) step is printed: every backend starts from the same weights, data and noise,
 * so it should agree across backends to a few digits — the correctness check for a software adapter.
 *
 *   --backends B  comma-separated, from BACKEND_NAMES (default: every one that loads here). A
 *                 backend that does not load is listed with the reason under the table.
 *   --batches N   batches timed per backend (default 100; the cpu backend times N/5, or 2 for the
 *                 conv models; a software WebGPU adapter (SwiftShader) at most 2, after one warm-up
 *                 step, and encodes a few hundred images: it is timed for correctness, not speed)
 *   --epochs E    full epochs for the quality comparison (default 1; 0 skips it)
 *   --seeds S     seeds per side for the quality comparison (default 3)
 *   --models M    comma-separated: mlp,conv,conv64 (default all three)
 *
 * A GPU-less machine has WebGPU only as SwiftShader, Chromium's software Vulkan, and only when
 * VK_ICD_FILENAMES points at its ICD file (e.g. /usr/lib/chromium/vk_swiftshader_icd.json). The bench
 * never sets that itself: it would hide a real GPU's driver.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../src/main/engine/backend';
import { batchTensor } from '../src/main/engine/data/batches';
import { wholeSet, type ImageSet } from '../src/main/engine/data/image-set';
import { loadMnist, mnistDirectory } from '../src/main/engine/data/mnist';
import { createModel } from '../src/main/engine/model/create-model';
import { vaeLoss } from '../src/main/engine/model/loss';
import { usableDepth } from '../src/main/engine/model/vae-conv';
import { TrainingJob } from '../src/main/engine/train/training-job';
import { presetFor, SMALL_FOLDER_IMAGES } from '../src/shared/model-presets';
import { DEFAULT_TRAIN_SETTINGS } from '../src/shared/train-defaults';
import { BACKEND_NAMES, type BackendName, type TrainSettings } from '../src/shared/types';
import { randomSet } from '../tests/support/toy-images';
import { benchOptions } from './support/options';

const MODEL_NAMES = ['mlp', 'conv', 'conv64'] as const;
type BenchModel = (typeof MODEL_NAMES)[number];

const values = benchOptions({
  backends: BACKEND_NAMES.join(','),
  batches: '100',
  epochs: '1',
  seeds: '3',
  models: MODEL_NAMES.join(','),
});

function listOption<T extends string>(option: string, given: string, allowed: readonly T[]): T[] {
  const names = given
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  const unknown = names.filter((n) => !(allowed as readonly string[]).includes(n));
  if (unknown.length > 0 || names.length === 0) {
    console.error(`--${option}: ${unknown.join(', ') || 'none given'}; choose from ${allowed.join(', ')}`);
    process.exit(2);
  }
  return allowed.filter((n) => names.includes(n));
}

const BACKENDS = listOption('backends', values.backends, BACKEND_NAMES);
const BATCHES = Number(values.batches);
const EPOCHS = Number(values.epochs);
/** Seeds 1…S, the same numbers on both sides (each side seeds its own generators with them). */
const SEEDS = Array.from({ length: Math.max(1, Number(values.seeds)) }, (_, i) => i + 1);
const MODELS = listOption('models', values.models, MODEL_NAMES);
const PYTHON = process.env['PYTHON'] ?? '/usr/bin/python3';
/** Steps (or encode chunks) queued between two awaited reads. */
const SYNC_EVERY = 10;
/** A software adapter's timed steps at most: a conv step takes about a minute on SwiftShader. */
const SOFTWARE_BATCHES = 2;
const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

/** What one model row set times, and how. */
interface Spec {
  title: string;
  settings: TrainSettings;
  size: number;
  channels: 1 | 3;
  data: 'MNIST' | 'random';
  /** Images encoded for the encode timing, and per call; `few` for a software adapter. */
  encode: { images: number; chunk: number };
  few: { images: number; chunk: number };
  /** torch_vae.py's arguments past the data directory, but for --batches/--epochs/--seeds. */
  torchArgs: string[];
  /** Whether the −ELBO comparison runs (MNIST models only). */
  quality: boolean;
}

function mnistSpec(kind: 'mlp' | 'conv'): Spec {
  const architecture = kind === 'mlp' ? { width: 400, depth: 1 } : { width: 32, depth: 2 };
  const settings: TrainSettings = {
    ...DEFAULT_TRAIN_SETTINGS,
    model: kind,
    ...architecture,
    likelihood: 'bernoulli',
    latentDim: 20,
    batchSize: 128,
    seed: 1,
  };
  return {
    title: `${kind.toUpperCase()} VAE on MNIST, batch ${settings.batchSize}`,
    settings,
    size: 28,
    channels: 1,
    data: 'MNIST',
    encode: { images: 10_000, chunk: 1000 },
    few: { images: 500, chunk: 250 },
    torchArgs: ['--model', kind],
    quality: true,
  };
}

/** The preset a folder of 64 px colour pictures gets (under 2,000 of them: batch 32). */
function colourSpec(): Spec {
  const preset = presetFor(64, 3, { trainImages: SMALL_FOLDER_IMAGES - 1 });
  const settings: TrainSettings = { ...DEFAULT_TRAIN_SETTINGS, ...preset, seed: 1 };
  const depth = usableDepth(64, settings.depth);
  if (settings.likelihood !== 'discretized-logistic' && settings.likelihood !== 'bernoulli') {
    throw new Error(`torch_vae.py has no ${settings.likelihood} likelihood`);
  }
  const encode = { images: 2048, chunk: 256 };
  return {
    title:
      `64 px colour conv preset (width ${settings.width}, depth ${depth}, latent ${settings.latentDim}, ` +
      `${settings.likelihood}${settings.pcaStart ? ', PCA-start linear path' : ''}), batch ${settings.batchSize}, ` +
      'on random 8-bit 64×64×3 pixels',
    settings,
    size: 64,
    channels: 3,
    data: 'random',
    encode,
    few: { images: 256, chunk: 128 },
    torchArgs: [
      '--model',
      'conv',
      '--size',
      '64',
      '--channels',
      '3',
      '--width',
      String(settings.width),
      '--depth',
      String(depth),
      '--latent',
      String(settings.latentDim),
      '--batch',
      String(settings.batchSize),
      '--likelihood',
      settings.likelihood,
      ...(settings.pcaStart ? ['--linear-path'] : []),
      '--encode-images',
      String(encode.images),
      '--encode-chunk',
      String(encode.chunk),
    ],
    quality: false,
  };
}

const specFor = (kind: BenchModel): Spec => (kind === 'conv64' ? colourSpec() : mnistSpec(kind));

async function dataFor(spec: Spec): Promise<{ train: ImageSet; test: ImageSet }> {
  if (spec.data === 'MNIST') return loadMnist();
  const set = randomSet(
    Math.max(16 * spec.settings.batchSize, spec.encode.images),
    spec.size,
    spec.channels,
    1,
    'random',
  );
  return { train: set, test: set };
}

interface Row {
  name: string;
  /** The backend's own words: an adapter's name, a device. */
  label: string;
  software?: boolean;
  steps?: number;
  train: number | string;
  encode: number | string;
  /** The objective of the first (untimed) step: the same weights, data and noise on every backend. */
  firstLoss?: number;
  /** Held-out −ELBO after EPOCHS epochs, one per seed. */
  testLosses?: number[];
}

interface Unavailable {
  name: BackendName;
  reason: string;
}

/** Awaits the last of `pending` (the queue runs in order, so the others are done too), then frees them. */
async function settle(pending: tf.Tensor[]): Promise<number> {
  const last = pending[pending.length - 1];
  const value = last ? ((await last.data())[0] ?? NaN) : NaN;
  tf.dispose(pending);
  pending.length = 0;
  return value;
}

async function measure(spec: Spec, backend: BackendName, batches: number): Promise<Row | Unavailable> {
  let label: string;
  let software = false;
  try {
    const report = await selectBackend(backend);
    if (report.name !== backend) {
      const skipped =
        report.skipped.find((s) => s.name === backend)?.reason ?? `${report.name} loaded instead`;
      return { name: backend, reason: skipped.replace(/^forced, but /, '') };
    }
    label = report.label;
    software = report.adapter?.software ?? false;
  } catch (error) {
    return { name: backend, reason: (error as Error).message.split('\n')[0]! };
  }
  const { settings } = spec;
  const batch = settings.batchSize;
  if (software) batches = Math.min(batches, SOFTWARE_BATCHES);
  const warmup = software ? 1 : 3;
  const encodePlan = software || (backend === 'cpu' && spec.data === 'random') ? spec.few : spec.encode;
  const { train, test } = await dataFor(spec);
  const model = createModel(settings, spec.size, spec.channels);
  const optimizer = tf.train.adam(1e-3, 0.9, 0.999, 1e-8);
  const order = Uint32Array.from({ length: train.count }, (_, i) => i);
  const step = (b: number): tf.Scalar | null => {
    const start = (b * batch) % (train.count - batch);
    const x = batchTensor(train, order, start, start + batch);
    // Seeded from 1: tfjs takes a seed of 0 for "none" and would draw step 0's noise at random.
    const noise = tf.randomNormal<tf.Rank.R2>([batch, settings.latentDim], 0, 1, 'float32', b + 1);
    const cost = optimizer.minimize(
      () => vaeLoss(model, x, noise, { likelihood: settings.likelihood }).objective,
      true,
      model.variables,
    );
    tf.dispose([x, noise]);
    return cost;
  };
  /** Steps `from`…`from + count − 1`, queued, with a read every SYNC_EVERY; the last loss read. */
  const steps = async (from: number, count: number): Promise<number> => {
    const pending: tf.Tensor[] = [];
    let loss = NaN;
    for (let b = from; b < from + count; b++) {
      const cost = step(b);
      if (cost) pending.push(cost);
      if (pending.length >= SYNC_EVERY || b === from + count - 1) loss = await settle(pending);
    }
    return loss;
  };
  const name = `tfjs ${backend}`;
  try {
    const firstLoss = await steps(0, 1);
    await steps(1, warmup - 1);
    let t0 = performance.now();
    const lastLoss = await steps(warmup, batches);
    const trainIps = (batches * batch) / ((performance.now() - t0) / 1000);
    if (!Number.isFinite(lastLoss))
      throw new Error(`the loss is ${lastLoss} after ${warmup + batches} steps`);
    const images = Math.min(encodePlan.images, test.count);
    const all = Uint32Array.from({ length: test.count }, (_, i) => i);
    const encodeChunk = (s: number) =>
      tf.tidy(() => model.encode(batchTensor(test, all, s, Math.min(s + encodePlan.chunk, images))).mean);
    await settle([encodeChunk(0)]);
    t0 = performance.now();
    const pending: tf.Tensor[] = [];
    for (let s = 0; s < images; s += encodePlan.chunk) {
      pending.push(encodeChunk(s));
      if (pending.length >= SYNC_EVERY) await settle(pending);
    }
    await settle(pending);
    const encodeIps = images / ((performance.now() - t0) / 1000);
    return { name, label, software, steps: batches, train: trainIps, encode: encodeIps, firstLoss };
  } catch (error) {
    const reason = `fails: ${(error as Error).message.split('\n')[0]!.slice(0, 60)}`;
    return { name, label, software, train: reason, encode: '' };
  } finally {
    optimizer.dispose();
    model.dispose();
  }
}

async function quality(spec: Spec, seed: number): Promise<number | null> {
  await selectBackend('wasm');
  let finalLoss: number | null = null;
  const job = new TrainingJob(
    'bench',
    { ...spec.settings, epochs: EPOCHS, displayCount: 16, seed },
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

function torchRow(spec: Spec): Row | null {
  try {
    const script = path.join(__dirname, 'reference/torch_vae.py');
    const args = [
      script,
      mnistDirectory(),
      ...spec.torchArgs,
      '--device',
      'auto',
      '--batches',
      String(BATCHES * 2),
      '--epochs',
      String(spec.quality ? EPOCHS : 0),
      '--seeds',
      SEEDS.join(','),
    ];
    const out = execFileSync(PYTHON, args, { encoding: 'utf8' });
    const parsed = JSON.parse(out.trim().split('\n').pop() ?? '{}') as {
      device: string;
      deviceName?: string | null;
      threads: number;
      trainImagesPerSecond: number;
      encodeImagesPerSecond: number;
      testLosses?: number[];
    };
    return {
      name: `PyTorch (${parsed.device})`,
      label:
        parsed.device === 'cuda'
          ? `CUDA · ${parsed.deviceName ?? 'unnamed GPU'}`
          : `${parsed.threads} intra-op thread${parsed.threads === 1 ? '' : 's'}`,
      steps: BATCHES * 2,
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

/** Timed batches: the cpu backend trains the conv VAEs at a few images per second. */
function batchesFor(kind: BenchModel, backend: BackendName): number {
  if (backend !== 'cpu') return BATCHES;
  return kind === 'mlp' ? Math.max(3, Math.round(BATCHES / 5)) : 2;
}

/** What to do about a webgpu that did not load; never done for the user (it would hide a GPU). */
function webGpuHint(): string {
  const set = process.env['VK_ICD_FILENAMES'];
  if (set) return `VK_ICD_FILENAMES is set (${set}), and still no adapter loaded`;
  const icd = existsSync(SWIFTSHADER_ICD) ? SWIFTSHADER_ICD : '<path to vk_swiftshader_icd.json>';
  return (
    `without a GPU, a software WebGPU (SwiftShader; correctness only, not speed) loads with ` +
    `VK_ICD_FILENAMES=${icd}`
  );
}

const cell = (v: number | string) => (typeof v !== 'number' ? v : v >= 10 ? v.toFixed(0) : v.toPrecision(2));
const ratio = (v: number | string, ref: number | string | undefined) =>
  typeof v === 'number' && typeof ref === 'number' ? `${(v / ref).toFixed(2)}×` : '';
const isRow = (r: Row | Unavailable): r is Row => 'train' in r;

async function main(): Promise<void> {
  /** Backends that did not load, found once: later tables just repeat the reason. */
  const unavailable = new Map<BackendName, string>();
  for (const kind of MODELS) {
    const spec = specFor(kind);
    process.stderr.write(`timing PyTorch on ${kind}…\n`);
    const torch = torchRow(spec);
    const rows: Row[] = [];
    for (const backend of BACKENDS) {
      if (unavailable.has(backend)) continue;
      // tfjs-node-gpu and tfjs-node both register the backend "tensorflow": one binding a process.
      if (backend === 'tensorflow' && rows.some((r) => r.name === 'tfjs tensorflow-gpu')) {
        unavailable.set(
          backend,
          'not timed: tensorflow-gpu already loaded the native binding (run it alone)',
        );
        continue;
      }
      // On stderr, so the tables stay clean: a software adapter takes minutes per model.
      process.stderr.write(`timing tfjs ${backend} on ${kind}…\n`);
      const result = await measure(spec, backend, batchesFor(kind, backend));
      if (isRow(result)) rows.push(result);
      else unavailable.set(backend, result.reason);
    }
    const wasm = rows.find((r) => r.name === 'tfjs wasm');
    if (spec.quality && wasm && typeof wasm.train === 'number' && EPOCHS > 0) {
      wasm.testLosses = [];
      for (const seed of SEEDS) {
        const loss = await quality(spec, seed);
        if (loss !== null) wasm.testLosses.push(loss);
      }
    }
    const few = rows.some((r) => r.software || (r.name === 'tfjs cpu' && r.steps !== BATCHES));
    console.log(
      `\n${spec.title} (${BATCHES} batches timed${few ? ', fewer where the steps column says' : ''}; ` +
        (!spec.quality
          ? 'throughput only: no −ELBO on random data)'
          : EPOCHS > 0
            ? `−ELBO after ${EPOCHS} epoch(s), mean ± sd over seeds ${SEEDS.join(', ')})`
            : 'no −ELBO: --epochs 0)'),
    );
    console.log(
      'implementation        steps  train img/s  vs torch   encode img/s  vs torch   loss, step 1' +
        '   test −ELBO (mean ± sd)  vs torch   backend',
    );
    const torchLoss = torch?.testLosses?.length ? meanSd(torch.testLosses) : null;
    for (const r of torch ? [torch, ...rows] : rows) {
      const loss = r.testLosses?.length ? meanSd(r.testLosses) : null;
      const lossRatio =
        loss !== null && torchLoss ? `${((loss.mean / torchLoss.mean - 1) * 100).toFixed(1)}%` : '';
      const lossCell = loss === null ? '' : `${loss.mean.toFixed(2)} ± ${loss.sd.toFixed(2)}`;
      const first = r.firstLoss === undefined ? '' : r.firstLoss.toFixed(2);
      const label = r.software ? `${r.label} — software adapter: correctness only, not speed` : r.label;
      console.log(
        `${r.name.padEnd(20)}${String(r.steps ?? '').padStart(7)}` +
          `${cell(r.train).padStart(13)}  ${ratio(r.train, torch?.train).padStart(8)}` +
          `${cell(r.encode).padStart(15)}  ${ratio(r.encode, torch?.encode).padStart(8)}` +
          `${first.padStart(15)}${lossCell.padStart(25)}  ${lossRatio.padStart(8)}   ${label}`,
      );
    }
    for (const [name, reason] of unavailable) {
      console.log(`  not timed: ${name}: ${reason}`);
      if (name === 'webgpu') console.log(`    hint: ${webGpuHint()}`);
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

// Dawn's device keeps the event loop alive once webgpu has been loaded: leave when done.
void main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
