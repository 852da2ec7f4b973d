/**
 * Latent means of the 10,000 MNIST test images under the project's MLP VAE (20-D) after epochs 1
 * and 2, for the projection benchmark. Training takes minutes, so the codes are cached in the temp
 * folder and reruns read them back.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { selectBackend } from '../../src/main/engine/backend';
import { wholeSet } from '../../src/main/engine/data/image-set';
import { loadMnist } from '../../src/main/engine/data/mnist';
import { TrainingJob } from '../../src/main/engine/train/training-job';
import { DEFAULT_TRAIN_SETTINGS } from '../../src/shared/train-defaults';

export const CODES_DIRECTORY = path.join(os.tmpdir(), 'latent-studio-bench');
const LATENT_DIM = 20;
const EPOCHS = 2;

export interface MnistCodes {
  count: number;
  dim: number;
  /** Row-major count × dim encoder means after the last epoch. */
  codes: Float32Array;
  /** The same images' means one epoch earlier (a realistic "previous epoch" for warm starts). */
  previousCodes: Float32Array;
  labels: Uint8Array;
  /** The cache file holding `codes` as raw little-endian float32 (read by the Python reference). */
  codesFile: string;
}

function filesFor(dim: number) {
  return {
    codes: path.join(CODES_DIRECTORY, `mnist-codes-${dim}.f32`),
    previous: path.join(CODES_DIRECTORY, `mnist-codes-${dim}-epoch1.f32`),
    labels: path.join(CODES_DIRECTORY, `mnist-labels.u8`),
  };
}

const asFloat32 = (buffer: Buffer) =>
  new Float32Array(buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength));

async function writeAtomically(file: string, data: Uint8Array | Float32Array): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  await rename(temporary, file);
}

async function readCached(dim: number): Promise<MnistCodes | null> {
  const files = filesFor(dim);
  try {
    const [codes, previous, labels] = await Promise.all([
      readFile(files.codes),
      readFile(files.previous),
      readFile(files.labels),
    ]);
    const count = labels.length;
    if (codes.length !== count * dim * 4 || previous.length !== codes.length) return null;
    return {
      count,
      dim,
      codes: asFloat32(codes),
      previousCodes: asFloat32(previous),
      labels: new Uint8Array(labels),
      codesFile: files.codes,
    };
  } catch {
    return null;
  }
}

async function train(dim: number): Promise<MnistCodes> {
  await selectBackend('wasm');
  const mnist = await loadMnist();
  const meansByEpoch: Float32Array[] = [];
  let labels: Uint8Array = new Uint8Array(0);
  const job = new TrainingJob(
    'bench-projection',
    { ...DEFAULT_TRAIN_SETTINGS, latentDim: dim, epochs: EPOCHS, displayCount: mnist.test.count, seed: 1 },
    {
      onState: () => undefined,
      onProgress: (p) => process.stdout.write(`\r  training the MLP VAE: epoch ${p.epoch}/${p.epochs}`),
      onEpochEnd: (snapshot) => {
        meansByEpoch.push(snapshot.means);
        labels = snapshot.labels;
      },
    },
  );
  await job.run(async () => ({ train: wholeSet(mnist.train), test: wholeSet(mnist.test) }));
  job.model?.dispose();
  process.stdout.write('\n');
  const [previousCodes, codes] = meansByEpoch.slice(-2);
  if (job.currentState !== 'completed' || !codes || !previousCodes)
    throw new Error(`training the codes failed (${job.currentState})`);
  await mkdir(CODES_DIRECTORY, { recursive: true });
  const files = filesFor(dim);
  await writeAtomically(files.codes, codes);
  await writeAtomically(files.previous, previousCodes);
  await writeAtomically(files.labels, labels);
  return { count: labels.length, dim, codes, previousCodes, labels, codesFile: files.codes };
}

/** The cached codes, or trains the VAE for two epochs (a few minutes) and caches them. */
export async function mnistCodes(dim = LATENT_DIM): Promise<MnistCodes> {
  return (await readCached(dim)) ?? (await train(dim));
}
