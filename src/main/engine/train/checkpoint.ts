/**
 * Checkpoints: a model's weights and its Adam state at the end of an epoch, in
 * `checkpoints/epoch-NNNN/` as one binary of float32 tensors plus a manifest (names, shapes,
 * byte ranges, SHA-256). A checkpoint is written to a `.partial-*` folder and renamed into place,
 * so a process killed mid-save leaves the previous checkpoint as the latest; partial folders are
 * ignored and cleaned up (at once when a save fails, e.g. on a full disk). Reading verifies size, hash, names and shapes before anything is
 * assigned, so a truncated or mismatched checkpoint fails with CHECKPOINT_CORRUPT and the model in
 * use stays as it was.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { uniqueSuffix, whileWriting } from '../fs/atomic-write';
import type { VaeModel } from '../model/vae-model';

const FORMAT = 'latent-studio-checkpoint';
const DIR_PATTERN = /^epoch-(\d{4,})$/;

const manifestSchema = z.object({
  format: z.literal(FORMAT),
  version: z.literal(1),
  epoch: z.number().int().positive(),
  runId: z.string(),
  testLoss: z.number().nullable(),
  /** What chooses the best checkpoint; absent in checkpoints from before validation sets. */
  validationLoss: z.number().nullable().optional(),
  savedAt: z.string(),
  byteLength: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  tensors: z.array(
    z.object({
      name: z.string(),
      group: z.enum(['model', 'optimizer']),
      shape: z.array(z.number().int().nonnegative()),
      byteOffset: z.number().int().nonnegative(),
    }),
  ),
});
export type CheckpointManifest = z.infer<typeof manifestSchema>;

export class CheckpointCorruptError extends Error {
  override name = 'CheckpointCorruptError';
  readonly code = 'CHECKPOINT_CORRUPT';
}

export interface LoadedCheckpoint {
  manifest: CheckpointManifest;
  directory: string;
  /** Tensor values by name, model weights and optimizer slots alike. */
  values: Map<string, { group: 'model' | 'optimizer'; shape: number[]; data: Float32Array }>;
}

export function checkpointDirName(epoch: number): string {
  return `epoch-${String(epoch).padStart(4, '0')}`;
}

/**
 * Saves weights and optimizer state (none for an imported model, which starts a fresh Adam when
 * continued). Adam's slots are stored by position (iterations, then the
 * first and second moments in the model's variable order), under the model's logical names, which
 * is how tfjs's Adam matches them to variables on restore.
 */
export async function saveCheckpoint(
  checkpointsDir: string,
  info: { epoch: number; runId: string; testLoss: number | null; validationLoss?: number | null },
  model: VaeModel,
  optimizer?: tf.Optimizer,
): Promise<string> {
  const named = model.namedVariables;
  const slots = optimizer ? await optimizer.getWeights() : [];
  const entries: { name: string; group: 'model' | 'optimizer'; tensor: tf.Tensor }[] = named.map(
    ({ name, variable }) => ({
      name,
      group: 'model',
      tensor: variable,
    }),
  );
  const [iterations, ...moments] = slots;
  if (iterations)
    entries.push({ name: 'optimizer/iterations', group: 'optimizer', tensor: iterations.tensor });
  moments.forEach((slot, i) => {
    const variable = named[i % named.length];
    const kind = i < named.length ? 'm' : 'v';
    entries.push({
      name: `optimizer/${variable?.name ?? i}/${kind}`,
      group: 'optimizer',
      tensor: slot.tensor,
    });
  });

  const arrays = await Promise.all(entries.map(async (e) => Float32Array.from(await e.tensor.data())));
  // getWeights() makes a new tensor for the iteration count (the moments are the optimizer's own).
  iterations?.tensor.dispose();
  const byteLength = arrays.reduce((n, a) => n + a.byteLength, 0);
  const body = new Uint8Array(byteLength);
  let offset = 0;
  const tensors = entries.map((entry, i) => {
    const bytes = new Uint8Array(arrays[i]!.buffer);
    body.set(bytes, offset);
    const record = { name: entry.name, group: entry.group, shape: entry.tensor.shape, byteOffset: offset };
    offset += bytes.byteLength;
    return record;
  });
  const manifest: CheckpointManifest = {
    format: FORMAT,
    version: 1,
    epoch: info.epoch,
    runId: info.runId,
    testLoss: info.testLoss,
    validationLoss: info.validationLoss ?? null,
    savedAt: new Date().toISOString(),
    byteLength,
    sha256: createHash('sha256').update(body).digest('hex'),
    tensors,
  };
  const finalDir = path.join(checkpointsDir, checkpointDirName(info.epoch));
  const partial = path.join(checkpointsDir, `.partial-${checkpointDirName(info.epoch)}-${uniqueSuffix()}`);
  try {
    await whileWriting(async () => {
      await mkdir(partial, { recursive: true });
      await writeFile(path.join(partial, 'tensors.bin'), body);
      await writeFile(path.join(partial, 'manifest.json'), JSON.stringify(manifest));
      // A checkpoint of the same epoch (a run continued from an older one) is moved aside first.
      await removeCheckpointDir(checkpointsDir, finalDir);
      await rename(partial, finalDir);
    });
  } catch (error) {
    // A full disk must not also fill up with half checkpoints, one per failed epoch.
    await rm(partial, { recursive: true, force: true }).catch(() => undefined);
    throw error;
  }
  return finalDir;
}

/**
 * Deletes a checkpoint folder by renaming it to a `.partial-*` name first: a process killed while
 * the files go never leaves a listed checkpoint with half of them (pruning removes the rest later).
 */
async function removeCheckpointDir(checkpointsDir: string, directory: string): Promise<void> {
  const doomed = path.join(checkpointsDir, `.partial-removed-${path.basename(directory)}-${uniqueSuffix()}`);
  try {
    await rename(directory, doomed);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  await rm(doomed, { recursive: true, force: true });
}

/** Complete checkpoints, oldest first. Partial folders are not listed. */
export async function listCheckpoints(
  checkpointsDir: string,
): Promise<{ epoch: number; directory: string }[]> {
  let names: string[];
  try {
    names = await readdir(checkpointsDir);
  } catch {
    return [];
  }
  return names
    .map((name) => ({ name, match: DIR_PATTERN.exec(name) }))
    .filter((e): e is { name: string; match: RegExpExecArray } => e.match !== null)
    .map((e) => ({ epoch: Number(e.match[1]), directory: path.join(checkpointsDir, e.name) }))
    .sort((a, b) => a.epoch - b.epoch);
}

/** Removes leftovers of interrupted saves, and all but the last `keepLast` and the `keep` epochs. */
export async function pruneCheckpoints(
  checkpointsDir: string,
  keepLast: number,
  keep: number[] = [],
): Promise<void> {
  for (const name of await readdir(checkpointsDir).catch(() => [] as string[])) {
    if (name.startsWith('.partial-'))
      await rm(path.join(checkpointsDir, name), { recursive: true, force: true });
  }
  const all = await listCheckpoints(checkpointsDir);
  const kept = new Set([...all.slice(-keepLast).map((c) => c.epoch), ...keep]);
  for (const checkpoint of all) {
    if (!kept.has(checkpoint.epoch)) await removeCheckpointDir(checkpointsDir, checkpoint.directory);
  }
}

export async function readCheckpoint(directory: string): Promise<LoadedCheckpoint> {
  let manifest: CheckpointManifest;
  let body: Buffer;
  try {
    const parsed = manifestSchema.safeParse(
      JSON.parse(await readFile(path.join(directory, 'manifest.json'), 'utf8')),
    );
    if (!parsed.success) throw new CheckpointCorruptError('The checkpoint manifest is not valid.');
    manifest = parsed.data;
    body = await readFile(path.join(directory, 'tensors.bin'));
  } catch (error) {
    if (error instanceof CheckpointCorruptError) throw error;
    throw new CheckpointCorruptError(
      `The checkpoint cannot be read (${(error as Error).message.split('\n')[0]}).`,
    );
  }
  if (body.byteLength !== manifest.byteLength) {
    throw new CheckpointCorruptError(
      `The checkpoint is truncated: ${body.byteLength} of ${manifest.byteLength} bytes are there.`,
    );
  }
  if (createHash('sha256').update(body).digest('hex') !== manifest.sha256) {
    throw new CheckpointCorruptError('The checkpoint data does not match its checksum.');
  }
  const values: LoadedCheckpoint['values'] = new Map();
  const aligned = new Uint8Array(body).buffer;
  for (const record of manifest.tensors) {
    const count = record.shape.reduce((a, b) => a * b, 1);
    if (record.byteOffset + count * 4 > body.byteLength) {
      throw new CheckpointCorruptError(`Tensor ${record.name} lies outside the checkpoint data.`);
    }
    values.set(record.name, {
      group: record.group,
      shape: record.shape,
      data: new Float32Array(aligned, record.byteOffset, count),
    });
  }
  return { manifest, directory, values };
}

/**
 * Assigns a checkpoint's weights to a model. Every name and shape is checked first, so a
 * mismatched checkpoint (another architecture or latent size) changes nothing.
 */
export function restoreModel(model: VaeModel, checkpoint: LoadedCheckpoint): void {
  const named = model.namedVariables;
  for (const { name, variable } of named) {
    const stored = checkpoint.values.get(name);
    if (!stored || stored.group !== 'model') {
      throw new CheckpointCorruptError(
        `The checkpoint has no weights for ${name}: it belongs to another model.`,
      );
    }
    if (stored.shape.join('×') !== variable.shape.join('×')) {
      throw new CheckpointCorruptError(
        `The checkpoint's ${name} is ${stored.shape.join('×')}, the model's is ${variable.shape.join('×')}.`,
      );
    }
  }
  const modelTensors = [...checkpoint.values.values()].filter((v) => v.group === 'model').length;
  if (modelTensors !== named.length)
    throw new CheckpointCorruptError('The checkpoint holds a different set of weights.');
  for (const { name, variable } of named) {
    const stored = checkpoint.values.get(name)!;
    tf.tidy(() => variable.assign(tf.tensor(stored.data, stored.shape)));
  }
}

/**
 * Restores Adam's iteration count and moments saved by `saveCheckpoint`. A checkpoint without any
 * optimizer state (an imported model) leaves the optimizer fresh.
 */
export async function restoreOptimizer(
  optimizer: tf.Optimizer,
  model: VaeModel,
  checkpoint: LoadedCheckpoint,
): Promise<void> {
  if (![...checkpoint.values.values()].some((v) => v.group === 'optimizer')) return;
  const iterations = checkpoint.values.get('optimizer/iterations');
  if (!iterations) throw new CheckpointCorruptError('The checkpoint has no optimizer state.');
  const slots: { name: string; tensor: tf.Tensor }[] = [
    { name: 'iter', tensor: tf.scalar(iterations.data[0] ?? 0, 'int32') },
  ];
  for (const kind of ['m', 'v']) {
    for (const { name, variable } of model.namedVariables) {
      const stored = checkpoint.values.get(`optimizer/${name}/${kind}`);
      if (!stored || stored.shape.join('×') !== variable.shape.join('×')) {
        throw new CheckpointCorruptError(
          `The checkpoint's optimizer state for ${name} is missing or mismatched.`,
        );
      }
      slots.push({ name: `${variable.name}/${kind}`, tensor: tf.tensor(stored.data, stored.shape) });
    }
  }
  await optimizer.setWeights(slots);
  tf.dispose(slots.map((s) => s.tensor));
}
