// Over 300 lines: one benchmark (equal-time quality vs a PyTorch σ-VAE) read top to bottom; its shared pieces live in bench/support.
/**
 * `npm run bench -- quality`: reconstruction quality and likelihood at equal wall-clock time,
 * ours against a plain PyTorch σ-VAE (bench/reference/torch_sigma_vae.py, Rybkin et al. 2021, the
 * "optimal σ" variant), on a generated colour folder (64 px RGB coloured shapes in class folders,
 * bench/support/quality-folder.ts): what a user with a small folder of their own pictures gets.
 *   Ours: `latent-studio train --data <folder> --budget <S>s --epochs E` as a user runs it (the app's
 *   preset for the folder, nothing else set but the epochs, see --epochs), then `reconstruct`.
 *   Reference: the same S seconds of training on exactly the run's training files (read from its
 *   split.json; our validation files are left out of the reference's training, as they are out of
 *   ours), measured on exactly its test files.
 * Each side, one after the other (never at once): held-out PSNR (mean over the test images of each
 * image's PSNR, decoder mean at z = μ(x), 8-bit), test bits/dim (one-sample −ELBO of the discrete
 * likelihood over D ln 2; ours from the last epoch's metrics, the weights `reconstruct` used),
 * training img/s (training steps only; ours also spends its budget on per-epoch evaluation and
 * checkpoints, the reference on nothing else), epochs and steps. The target is ours ≥ +1 dB.
 *   --seconds S    training seconds per side (default 300)
 *   --images N     generated images (default 600; 10 % test, 10 % validation by the app's split)
 *   --seed S       training seed of both sides (default 1); --seeds 1,2,3 repeats, mean ± sd
 *   --epochs E     ours: preset (default): no --epochs, the app's own choice (a step target), cut
 *                  by the budget (the warm-up + cosine schedule follows the budget's clock); or a
 *                  number
 *   --ours="ARGS"  more `train` options for ours, for ablations: --ours="--start random" is our
 *                  conv VAE without the PCA start (default: none, the app's defaults)
 *   --backend B    ours (default wasm: one thread in Node, as Debian's torch runs one)
 *   --reference-batch B  the σ-VAE's batch (default 64; ours is the preset's, 32 below 2,000 images)
 *   --out DIR      where the folder, runs, grids and logs go (default: a new temp dir)
 * PYTHON (default /usr/bin/python3) must have torch, numpy and PIL (Debian python3-torch, -pil).
 */
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { readSplitRecord, type SplitRecord } from '../src/main/engine/data/split-record';
import { checkpointDirName } from '../src/main/engine/train/checkpoint';
import { RunStore } from '../src/main/engine/train/run-store';
import type { EpochMetrics, TrainSettings } from '../src/shared/types';
import { QUALITY_SIZE, writeQualityFolder } from './support/quality-folder';
import { benchOptions } from './support/options';

const values = benchOptions({
  seconds: '300',
  images: '600',
  seed: '1',
  seeds: undefined,
  epochs: 'preset',
  ours: '',
  backend: 'wasm',
  'reference-batch': '64',
  out: undefined,
});
const SECONDS = Number(values.seconds);
const IMAGES = Number(values.images);
const SEEDS = (values.seeds ?? values.seed).split(',').map(Number);
const PYTHON = process.env['PYTHON'] ?? '/usr/bin/python3';
const CLI_SOURCE = path.resolve(__dirname, '../src/cli/main.ts');
const REFERENCE = path.resolve(__dirname, 'reference/torch_sigma_vae.py');
/** The pictures, whatever the training seed: every seed trains on the same folder. */
const FOLDER_SEED = 1;
/** `reconstruct --grid` at most; below it every test image is in both grids, in the same order. */
const GRID_MAX = 400;
const TARGET_DB = 1;

/** What one side reached. */
interface Outcome {
  psnr: number;
  bitsPerDim: number;
  imagesPerSecond: number;
  epochs: number;
  steps: number;
  /** Wall-clock seconds from the first step to the last (ours: with its evaluations). */
  seconds: number;
  parameters: number;
  grid: string;
}

interface OurOutcome extends Outcome {
  settings: TrainSettings;
  backend: string;
  stoppedAtBudget: boolean;
  /** The test files in the order `reconstruct` went through them (its errors.csv). */
  testOrder: string[];
}

interface ReferenceOutcome extends Outcome {
  threads: number;
  torch: string;
  sigma: number;
}

const referenceSchema = z.object({
  threads: z.int(),
  torch: z.string(),
  parameters: z.int(),
  steps: z.int(),
  epochs: z.int(),
  trainSeconds: z.number(),
  trainImagesPerSecond: z.number(),
  sigma: z.number(),
  psnrDb: z.number(),
  bitsPerDim: z.number(),
});
const reconstructSummarySchema = z.object({ meanPsnrDb: z.number(), epoch: z.int(), images: z.int() });
const manifestSchema = z.object({
  tensors: z.array(z.object({ group: z.string(), shape: z.array(z.int()) })),
});

/**
 * Runs a program to the end, its stderr going to `logFile` (the CLI's progress, a traceback);
 * resolves with its stdout, rejects with the end of the log when it fails.
 */
function runLogged(name: string, command: string, args: string[], logFile: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const log = createWriteStream(logFile);
    log.on('error', reject);
    const child = spawn(command, args, {
      cwd: path.resolve(__dirname, '..'),
      env: { ...process.env, LATENT_STUDIO_BACKEND: '' },
    });
    let stdout = '';
    let tail = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      log.write(chunk);
      tail = (tail + chunk.toString()).slice(-2000);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      log.end();
      if (code === 0) resolve(stdout);
      else reject(new Error(`${name} exited with ${code} (log: ${logFile}):\n${tail}`));
    });
  });
}

/** `latent-studio …args` on the TypeScript sources, as the tests run it. */
function cli(args: string[], logFile: string): Promise<string> {
  const name = `latent-studio ${args[0]}`;
  return runLogged(name, process.execPath, ['--import', 'tsx', CLI_SOURCE, ...args], logFile);
}

/** The folder's pixel cache lives in the out dir, so a user's own cache is never touched. */
const dataArgs = (folder: string, cache: string) => ['--data', folder, '--cache', cache];

/** Training images over the seconds the epochs' steps took: their harmonic mean img/s. */
function overallImagesPerSecond(metrics: EpochMetrics[], trainCount: number): number {
  const seconds = metrics.reduce((total, m) => total + trainCount / m.imagesPerSecond, 0);
  return (metrics.length * trainCount) / seconds;
}

/** The first column of errors.csv (RFC 4180 as csv.ts writes it: quoted text, CRLF rows). */
function fileColumn(csv: string): string[] {
  return csv
    .split('\r\n')
    .slice(1)
    .filter((line) => line.length > 0)
    .map((line) => {
      const match = /^"((?:[^"]|"")*)"/.exec(line);
      if (!match) throw new Error(`errors.csv: no file name in "${line}"`);
      return match[1]!.replaceAll('""', '"');
    });
}

async function parametersAt(runDir: string, epoch: number): Promise<number> {
  const file = path.join(runDir, 'checkpoints', checkpointDirName(epoch), 'manifest.json');
  const manifest = manifestSchema.parse(JSON.parse(await readFile(file, 'utf8')));
  return manifest.tensors
    .filter((t) => t.group === 'model')
    .reduce((total, t) => total + t.shape.reduce((a, b) => a * b, 1), 0);
}

async function ours(
  folder: string,
  cache: string,
  out: string,
  seed: number,
  epochs: number | 'preset',
): Promise<OurOutcome> {
  const runDir = path.join(out, 'run');
  const log = path.join(out, 'cli.log');
  await mkdir(out, { recursive: true });
  const common = [...dataArgs(folder, cache), '--backend', values.backend];
  const epochArgs = epochs === 'preset' ? [] : ['--epochs', String(epochs)];
  const budget = ['--budget', `${SECONDS}s`, ...epochArgs, '--seed', String(seed)];
  const extra = values.ours.split(/\s+/).filter((word) => word.length > 0);
  await cli(['train', ...common, '--out', runDir, ...budget, ...extra], log);
  const record = await readSplitRecord(runDir);
  if (!record) throw new Error(`${runDir} has no split.json`);
  const grid = String(Math.min(GRID_MAX, record.counts.test));
  await cli(['reconstruct', ...common, '--run', runDir, '--out', out, '--grid', grid], `${log}.reconstruct`);
  const store = RunStore.openAt(runDir);
  const [config, status, metrics] = await Promise.all([
    store.readConfig(),
    store.readStatus(),
    store.readMetrics(),
  ]);
  const summary = reconstructSummarySchema.parse(
    JSON.parse(await readFile(path.join(out, 'summary.json'), 'utf8')),
  );
  const last = metrics.at(-1);
  // reconstruct uses the newest checkpoint, the last epoch's: the same weights as its bits/dim.
  if (!last || last.epoch !== summary.epoch || last.testBitsPerDim === null) {
    throw new Error(`${runDir}: the metrics do not match the reconstructed epoch ${summary.epoch}`);
  }
  const { batchSize } = config.settings;
  return {
    psnr: summary.meanPsnrDb,
    bitsPerDim: last.testBitsPerDim,
    imagesPerSecond: overallImagesPerSecond(metrics, record.counts.train),
    epochs: last.epoch,
    steps: last.epoch * Math.ceil(record.counts.train / batchSize),
    seconds: last.wallSeconds,
    parameters: await parametersAt(runDir, last.epoch),
    grid: path.join(out, 'reconstructions.png'),
    settings: config.settings,
    backend: /^backend: (.*)$/m.exec(await readFile(log, 'utf8'))?.[1] ?? values.backend,
    stoppedAtBudget: status?.stoppedAtBudget !== undefined,
    testOrder: fileColumn(await readFile(path.join(out, 'errors.csv'), 'utf8')),
  };
}

/** The reference's files: the run's training part, and its test part in `reconstruct`'s order. */
async function writeReferenceSplit(
  file: string,
  folder: string,
  record: SplitRecord,
  testOrder: string[],
): Promise<void> {
  const files = record.files;
  if (!files) throw new Error('split.json lists no files');
  const expected = new Set(files.test);
  if (testOrder.length !== expected.size || !testOrder.every((name) => expected.has(name))) {
    throw new Error("reconstruct's images are not the run's test split");
  }
  const inFolder = (names: string[]) => names.map((name) => path.join(folder, name));
  await writeFile(file, JSON.stringify({ train: inFolder(files.train), test: inFolder(testOrder) }));
}

async function reference(
  folder: string,
  out: string,
  seed: number,
  runDir: string,
  testOrder: string[],
): Promise<ReferenceOutcome> {
  const record = await readSplitRecord(runDir);
  if (!record) throw new Error(`${runDir} has no split.json`);
  await mkdir(out, { recursive: true });
  const splitFile = path.join(out, 'split-files.json');
  await writeReferenceSplit(splitFile, folder, record, testOrder);
  const grid = path.join(out, 'reconstructions.png');
  const args = [REFERENCE, splitFile, '--seconds', String(SECONDS), '--seed', String(seed), '--grid', grid];
  args.push('--grid-count', String(Math.min(GRID_MAX, testOrder.length)));
  args.push('--batch', values['reference-batch']);
  const stdout = await runLogged('torch_sigma_vae.py', PYTHON, args, path.join(out, 'python.log'));
  const result = referenceSchema.parse(JSON.parse(stdout.trim().split('\n').pop() ?? '{}'));
  return {
    psnr: result.psnrDb,
    bitsPerDim: result.bitsPerDim,
    imagesPerSecond: result.trainImagesPerSecond,
    epochs: result.epochs,
    steps: result.steps,
    seconds: result.trainSeconds,
    parameters: result.parameters,
    grid,
    threads: result.threads,
    torch: result.torch,
    sigma: result.sigma,
  };
}

/** Mean and sample standard deviation. */
function meanSd(list: number[]): { mean: number; sd: number } {
  const mean = list.reduce((a, b) => a + b, 0) / list.length;
  const variance = list.length > 1 ? list.reduce((a, b) => a + (b - mean) ** 2, 0) / (list.length - 1) : 0;
  return { mean, sd: Math.sqrt(variance) };
}

/** One figure over the seeds: the value alone for one seed, mean ± sd for more. */
function figure(list: number[], digits: number): string {
  const { mean, sd } = meanSd(list);
  return list.length > 1 ? `${mean.toFixed(digits)} ± ${sd.toFixed(digits)}` : mean.toFixed(digits);
}

function row(name: string, outcomes: Outcome[]): string {
  const pick = (key: keyof Omit<Outcome, 'grid'>, digits: number) =>
    figure(
      outcomes.map((o) => o[key]),
      digits,
    );
  return (
    name.padEnd(26) +
    `${(outcomes[0]!.parameters / 1e6).toFixed(2)}M`.padStart(7) +
    pick('psnr', 2).padStart(18) +
    pick('bitsPerDim', 3).padStart(16) +
    pick('imagesPerSecond', 0).padStart(13) +
    pick('epochs', 0).padStart(9) +
    pick('steps', 0).padStart(9) +
    pick('seconds', 0).padStart(11)
  );
}

function describeOurs(o: OurOutcome): string {
  const s = o.settings;
  const schedule = s.learningRateSchedule === 'warmup-cosine' ? 'warm-up + cosine' : 'constant';
  return (
    `ours: latent-studio train, the app's preset for the folder: ${s.model} VAE width ${s.width} depth ` +
    `${s.depth}, latent ${s.latentDim}, ${s.likelihood}, batch ${s.batchSize}, Adam ${s.learningRate} ` +
    `${schedule} over ${s.epochs} epochs${s.augmentFlip ? ', left-right flips' : ''}; ${o.backend}` +
    // tfjs-backend-wasm reports no multithread support in Node: one thread, like Debian's torch.
    (values.backend === 'wasm' ? ', 1 thread' : '')
  );
}

function describeReference(r: ReferenceOutcome): string {
  return (
    `reference: PyTorch ${r.torch} σ-VAE (optimal σ), 4 stride-2 convs 32–256, latent 32, Gaussian ` +
    `decoder, Adam 1e-3 constant, batch ${values['reference-batch']}, no flips; torch threads ${r.threads}`
  );
}

function verdict(our: Outcome[], theirs: Outcome[]): string[] {
  const dB = meanSd(our.map((o) => o.psnr)).mean - meanSd(theirs.map((o) => o.psnr)).mean;
  const bits = meanSd(our.map((o) => o.bitsPerDim)).mean - meanSd(theirs.map((o) => o.bitsPerDim)).mean;
  const sign = (v: number) => (v >= 0 ? '+' : '');
  return [
    `ours − reference: ${sign(dB)}${dB.toFixed(2)} dB held-out PSNR ` +
      `(target ≥ +${TARGET_DB} dB: ${dB >= TARGET_DB ? 'met' : 'NOT met'})`,
    `                  ${sign(bits)}${bits.toFixed(3)} bits/dim ` +
      `(${bits < 0 ? 'ours better' : bits > 0 ? 'reference better' : 'equal'}; lower is better)`,
  ];
}

/** `--epochs`: a number, or `preset` (the app's own choice: no --epochs). */
function epochsOption(): number | 'preset' {
  if (values.epochs === 'preset') return 'preset';
  const epochs = Number(values.epochs);
  if (!Number.isInteger(epochs) || epochs < 1) throw new Error(`--epochs: preset or a number`);
  return epochs;
}

async function main(): Promise<void> {
  const out = values.out
    ? path.resolve(values.out)
    : await mkdtemp(path.join(os.tmpdir(), 'latent-studio-quality-'));
  const folder = path.join(out, 'folder');
  const written = await writeQualityFolder(folder, IMAGES, FOLDER_SEED);
  console.log(`${IMAGES} generated ${QUALITY_SIZE} px RGB images in ${folder}: ${JSON.stringify(written)}`);
  const cache = path.join(out, 'cache');
  const epochs = epochsOption();

  const mine: OurOutcome[] = [];
  const theirs: ReferenceOutcome[] = [];
  for (const seed of SEEDS) {
    const seedDir = path.join(out, `seed-${seed}`);
    console.log(`seed ${seed}: ours (${SECONDS} s)…`);
    const our = await ours(folder, cache, path.join(seedDir, 'ours'), seed, epochs);
    mine.push(our);
    console.log(`seed ${seed}: reference (${SECONDS} s)…`);
    const runDir = path.join(seedDir, 'ours', 'run');
    theirs.push(await reference(folder, path.join(seedDir, 'reference'), seed, runDir, our.testOrder));
  }

  const record = (await readSplitRecord(path.join(out, `seed-${SEEDS[0]}`, 'ours', 'run')))!;
  const { train, validation, test } = record.counts;
  console.log(
    `\nHeld-out quality after ${SECONDS} s of training each, seeds ${SEEDS.join(', ')}: ` +
      `${train} train / ${validation} validation (ours only) / ${test} test images`,
  );
  console.log(describeOurs(mine[0]!));
  console.log(describeReference(theirs[0]!));
  const stopped = mine.filter((o) => o.stoppedAtBudget).length;
  console.log(`ours stopped at the budget in ${stopped} of ${mine.length} runs (else after its epochs)\n`);
  console.log(
    'implementation             params  held-out PSNR dB   test bits/dim  train img/s   epochs    steps  trained s',
  );
  console.log(row(`latent-studio (${values.backend})`, mine));
  console.log(row('PyTorch σ-VAE (reference)', theirs));
  console.log('');
  for (const line of verdict(mine, theirs)) console.log(line);
  if (SEEDS.length > 1) {
    for (const [i, seed] of SEEDS.entries()) {
      const [o, r] = [mine[i]!, theirs[i]!];
      console.log(
        `  seed ${seed}: PSNR ${o.psnr.toFixed(2)} vs ${r.psnr.toFixed(2)} dB, ` +
          `bits/dim ${o.bitsPerDim.toFixed(3)} vs ${r.bitsPerDim.toFixed(3)}`,
      );
    }
  }
  console.log(
    `\nreference σ (fitted on the training images): ${theirs.map((r) => r.sigma.toFixed(4)).join(', ')}`,
  );
  const gridNote =
    test > GRID_MAX ? ` (ours a class-balanced ${GRID_MAX}, the reference the first ${GRID_MAX})` : '';
  console.log(`grids, original | reconstruction, the test images${gridNote}:`);
  for (const [i, seed] of SEEDS.entries()) {
    console.log(`  seed ${seed}: ours      ${mine[i]!.grid}`);
    console.log(`          reference ${theirs[i]!.grid}`);
  }
  console.log(`everything (folder, runs, logs) under ${out}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
