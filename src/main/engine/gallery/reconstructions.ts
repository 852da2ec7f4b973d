/**
 * Reconstructions of a run's fixed held-out sample, `runs/<runId>/reconstructions/`: `sample.json`
 * (which images, chosen once: stratified by label from the test split, seeded; named by file, so
 * `realignStoredSample` finds them again after the folder changed) with `sample.u8`
 * (their pixels, so the timeline shows without the dataset open), and per epoch
 * `epoch-NNNN.u8` (the reconstructions) and `epoch-NNNN.mse.f32` (each image's error).
 */
import { mkdir, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { batchTensor } from '../data/batches';
import { pixelsPerImage, stratifiedSample, type ImageSet } from '../data/image-set';
import { imageName, resolveNames } from '../data/image-names';
import type { LoadedDataset } from '../data/loaded-dataset';
import { writeFileAtomic } from '../fs/atomic-write';
import type { VaeModel } from '../model/vae-model';
import { mulberry32, shuffledIndices } from '../random';
import { readJsonFile } from '../fs/json-file';

/** Enough to see every MNIST class three times, still cheap to reconstruct after each epoch. */
export const SAMPLE_SIZE = 32;

export interface ReconstructionSample {
  datasetId: string;
  size: number;
  channels: 1 | 3;
  /** Indices into the dataset's image set when the sample was stored (see `names`). */
  datasetIndices: number[];
  labels: number[];
  classNames: string[];
  /** Each image's path in its folder, or `<datasetId> #i`: what identifies it after the folder changes. */
  names: string[];
}

const sampleSchema = z.object({
  datasetId: z.string(),
  size: z.int().min(1),
  channels: z.union([z.literal(1), z.literal(3)]),
  datasetIndices: z.array(z.int().min(0)),
  labels: z.array(z.int().min(0)),
  classNames: z.array(z.string()),
  names: z.array(z.string()),
});

/** Reconstructed pixels and each image's mean squared error (per pixel channel, [0, 1] units). */
export interface Reconstructed {
  pixels: Uint8Array;
  errors: Float32Array;
}

/** Up to SAMPLE_SIZE held-out images, round-robin over the labels in a seeded random order. */
export function chooseSample(dataset: LoadedDataset, seed: number): ReconstructionSample {
  const { set, split } = dataset;
  const test = split.test.indices.length > 0 ? split.test.indices : split.train.indices;
  const order = shuffledIndices(test.length, mulberry32(seed));
  const shuffled = Uint32Array.from(order, (i) => test[i]!);
  const indices = Array.from(stratifiedSample({ set, indices: shuffled }, SAMPLE_SIZE));
  return {
    datasetId: dataset.summary.datasetId,
    size: set.size,
    channels: set.channels,
    datasetIndices: indices,
    labels: indices.map((i) => set.labels[i]!),
    classNames: set.classNames,
    names: indices.map((i) => imageName(dataset, i)),
  };
}

/**
 * Points the stored sample at the same files in the dataset as it is now (its indices are
 * positions in the sorted list, which move when files are added). When one of its files is gone,
 * or a stored sample's names are not the dataset's, a new sample is chosen, as for a new run.
 */
export async function realignStoredSample(
  runDirectory: string,
  dataset: LoadedDataset,
  seed: number,
): Promise<void> {
  const store = new ReconstructionStore(runDirectory);
  const stored = await store.readSample();
  if (!stored || stored.sample.datasetId !== dataset.summary.datasetId) return;
  const resolved = resolveNames(dataset, stored.sample.names);
  const same = resolved?.every((index, k) => index === stored.sample.datasetIndices[k]) ?? false;
  if (same) return;
  if (resolved) {
    await store.writeSample({ ...stored.sample, datasetIndices: resolved }, stored.originals);
    return;
  }
  const sample = chooseSample(dataset, seed);
  await store.writeSample(sample, originalsOf(dataset.set, sample.datasetIndices));
}

/** The images' pixels as stored in the set, concatenated. */
export function originalsOf(set: ImageSet, indices: readonly number[]): Uint8Array {
  const stride = pixelsPerImage(set);
  const out = new Uint8Array(indices.length * stride);
  indices.forEach((index, i) =>
    out.set(set.pixels.subarray(index * stride, (index + 1) * stride), i * stride),
  );
  return out;
}

/** The decoder's mean image of each image's encoder mean, with its error against the original. */
export async function reconstruct(
  model: VaeModel,
  set: ImageSet,
  indices: readonly number[],
): Promise<Reconstructed> {
  const [pixels, errors] = tf.tidy(() => {
    const x = batchTensor(set, indices);
    const mean = tf.sigmoid(model.decodeLogits(model.encode(x).mean));
    return [
      tf.clipByValue(tf.round(tf.mul(mean, 255)), 0, 255),
      tf.mean(tf.squaredDifference(mean, x), 1),
    ] as const;
  });
  const result = {
    pixels: Uint8Array.from(await pixels.data()),
    errors: Float32Array.from(await errors.data()),
  };
  tf.dispose([pixels, errors]);
  return result;
}

const EPOCH_FILE = /^epoch-(\d{4,})\.u8$/;
const epochName = (epoch: number) => `epoch-${String(epoch).padStart(4, '0')}`;

export class ReconstructionStore {
  readonly directory: string;

  constructor(runDirectory: string) {
    this.directory = path.join(runDirectory, 'reconstructions');
  }

  async writeSample(sample: ReconstructionSample, originals: Uint8Array): Promise<void> {
    await mkdir(this.directory, { recursive: true });
    await writeFileAtomic(path.join(this.directory, 'sample.u8'), originals);
    await writeFileAtomic(path.join(this.directory, 'sample.json'), JSON.stringify(sample));
  }

  /** The sample and its pixels, or null when there is none yet or it is damaged. */
  async readSample(): Promise<{ sample: ReconstructionSample; originals: Uint8Array } | null> {
    try {
      const sample = await readJsonFile(path.join(this.directory, 'sample.json'), sampleSchema);
      if (!sample) return null;
      const originals = new Uint8Array(await readFile(path.join(this.directory, 'sample.u8')));
      const count = sample.datasetIndices.length;
      const consistent =
        sample.labels.length === count &&
        sample.names.length === count &&
        originals.length === count * sample.size ** 2 * sample.channels;
      return consistent ? { sample, originals } : null;
    } catch {
      return null;
    }
  }

  async write(epoch: number, reconstructed: Reconstructed): Promise<void> {
    await mkdir(this.directory, { recursive: true });
    const { errors } = reconstructed;
    await writeFileAtomic(
      path.join(this.directory, `${epochName(epoch)}.mse.f32`),
      new Uint8Array(errors.buffer, errors.byteOffset, errors.byteLength),
    );
    // The pixels last: an epoch is listed only once both files are there.
    await writeFileAtomic(path.join(this.directory, `${epochName(epoch)}.u8`), reconstructed.pixels);
  }

  /** One epoch's reconstructions of `count` images of `pixels` values each, or null. */
  async read(epoch: number, count: number, pixels: number): Promise<Reconstructed | null> {
    try {
      const bytes = await readFile(path.join(this.directory, `${epochName(epoch)}.u8`));
      const errorBytes = await readFile(path.join(this.directory, `${epochName(epoch)}.mse.f32`));
      if (bytes.length !== count * pixels || errorBytes.length !== count * 4) return null;
      const errors = new Float32Array(count);
      new Uint8Array(errors.buffer).set(errorBytes);
      return { pixels: new Uint8Array(bytes), errors };
    } catch {
      return null;
    }
  }

  /** Epochs with stored reconstructions, ascending. */
  async epochs(): Promise<number[]> {
    const names = await readdir(this.directory).catch(() => [] as string[]);
    return names
      .map((name) => EPOCH_FILE.exec(name)?.[1])
      .filter((n): n is string => n !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
  }
}
