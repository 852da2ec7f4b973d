/**
 * Model import against hostile folders: a tiny model.json describing a huge model, a manifest that
 * disagrees with its settings, a weights file of the wrong size, symlinks out of the folder and
 * weights paths that climb out. Each must be refused with a ModelFileError, quickly, before any
 * tensor is made and without a run being created; a real export still imports.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, symlink, truncate, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { selectBackend } from '../../src/main/engine/backend';
import { exportModel } from '../../src/main/engine/model-io/export-model';
import { importModel } from '../../src/main/engine/model-io/import-model';
import { MODEL_FORMAT, ModelFileError } from '../../src/main/engine/model-io/model-json';
import { createModel } from '../../src/main/engine/model/create-model';
import { saveCheckpoint } from '../../src/main/engine/train/checkpoint';
import { DEFAULT_TRAIN_SETTINGS } from '../../src/shared/train-defaults';
import type { TrainSettings } from '../../src/shared/types';
import { createMnistRun } from '../support/mnist-run';

const SMALL: TrainSettings = { ...DEFAULT_TRAIN_SETTINGS, width: 16, latentDim: 4, seed: 3 };

let base: string;
/** A real export of a small MNIST-sized model, to copy and damage. */
let goodModelJson: string;
let goodWeights: Buffer;

beforeAll(async () => {
  await selectBackend('cpu');
  base = await mkdtemp(path.join(os.tmpdir(), 'latent-studio-hostile-'));
  const sourceRuns = path.join(base, 'source-runs');
  await mkdir(sourceRuns);
  const run = await createMnistRun(sourceRuns, SMALL);
  const model = createModel(SMALL, 28, 1);
  await saveCheckpoint(run.checkpointsDir, { epoch: 1, runId: run.runId, testLoss: null }, model);
  model.dispose();
  const [jsonFile, weightsFile] = await exportModel(run.directory, path.join(base, 'exported'));
  goodModelJson = await readFile(jsonFile!, 'utf8');
  goodWeights = await readFile(weightsFile!);
});

afterEach(() => {
  vi.restoreAllMocks();
});

let folders = 0;
/** A fresh folder holding the given files, and an empty runs folder to import into. */
async function modelFolder(
  files: Record<string, string | Buffer>,
): Promise<{ folder: string; runs: string }> {
  const folder = path.join(base, `model-${++folders}`);
  const runs = path.join(base, `runs-${folders}`);
  await mkdir(folder);
  await mkdir(runs);
  for (const [name, content] of Object.entries(files)) await writeFile(path.join(folder, name), content);
  return { folder, runs };
}

/** model.json for an architecture, listing whatever weights the caller says. */
function manifest(
  settings: TrainSettings,
  imageSize: number,
  channels: 1 | 3,
  weights: { name: string; shape: number[] }[],
  paths = ['weights.bin'],
): string {
  return JSON.stringify({
    format: MODEL_FORMAT,
    version: 1,
    weightsManifest: [{ paths, weights: weights.map((w) => ({ ...w, dtype: 'float32' })) }],
    latentStudio: { settings, imageSize, channels, epoch: 1, runId: 'r', datasetName: 'd' },
  });
}

/**
 * Imports and expects a refusal, watching every tensor the engine registers meanwhile (a spy that
 * calls through: the engine itself is untouched).
 */
async function refused(folder: string, runs: string) {
  const track = vi.spyOn(tf.engine(), 'trackTensor');
  const memory = tf.memory();
  const started = performance.now();
  const error = await importModel(folder, runs).then(
    () => null,
    (thrown: unknown) => thrown,
  );
  const ms = performance.now() - started;
  expect(error).toBeInstanceOf(ModelFileError);
  expect(track).not.toHaveBeenCalled();
  expect(tf.memory().numTensors).toBe(memory.numTensors);
  expect(tf.memory().numBytes).toBe(memory.numBytes);
  expect(await readdir(runs)).toEqual([]);
  return { error: error as ModelFileError, ms };
}

describe('model import', () => {
  it('imports a real export', async () => {
    const { folder, runs } = await modelFolder({ 'model.json': goodModelJson, 'weights.bin': goodWeights });
    const runId = await importModel(folder, runs);
    expect(await readdir(runs)).toEqual([runId]);
  });

  it('refuses a tiny model.json describing a huge model in milliseconds, allocating nothing', async () => {
    const huge = { ...DEFAULT_TRAIN_SETTINGS, model: 'mlp' as const, width: 2048 };
    const json = manifest(huge, 512, 3, []);
    expect(json.length).toBeLessThan(700);
    const { folder, runs } = await modelFolder({ 'model.json': json, 'weights.bin': Buffer.alloc(0) });
    const { error, ms } = await refused(folder, runs);
    expect(error.code).toBe('INVALID_PAYLOAD');
    expect(error.message).toMatch(/512-pixel/);
    expect(ms).toBeLessThan(500);
  });

  it('refuses a manifest listing no weights for an allowed model before building it', async () => {
    // 128-pixel RGB with 256 hidden units: about 100 MB of weights if the model were built.
    const big = { ...DEFAULT_TRAIN_SETTINGS, width: 256 };
    const { folder, runs } = await modelFolder({
      'model.json': manifest(big, 128, 3, []),
      'weights.bin': Buffer.alloc(0),
    });
    const { error, ms } = await refused(folder, runs);
    expect(error.code).toBe('CHECKPOINT_CORRUPT');
    expect(error.message).toMatch(/settings describe/);
    expect(ms).toBeLessThan(500);
  });

  it('refuses weights whose names or shapes disagree with the settings', async () => {
    const good = JSON.parse(goodModelJson) as {
      weightsManifest: [{ weights: { name: string; shape: number[] }[] }];
    };
    // Same byte count, so only the comparison with the settings can catch it.
    const swapped = good.weightsManifest[0].weights.map((w) =>
      w.name === 'encoder/mean/kernel' ? { ...w, shape: [w.shape[1]!, w.shape[0]!] } : w,
    );
    const renamed = good.weightsManifest[0].weights.map((w) =>
      w.name === 'decoder/output/bias' ? { ...w, name: 'decoder/other/bias' } : w,
    );
    for (const weights of [swapped, renamed]) {
      const { folder, runs } = await modelFolder({
        'model.json': manifest(SMALL, 28, 1, weights),
        'weights.bin': goodWeights,
      });
      const { error } = await refused(folder, runs);
      expect(error.code).toBe('CHECKPOINT_CORRUPT');
      expect(error.message).toMatch(/settings describe/);
    }
  });

  it('checks the size of weights.bin before reading it', async () => {
    const { folder, runs } = await modelFolder({ 'model.json': goodModelJson });
    // Sparse, so it costs no disk; reading it whole would not even fit a Buffer.
    await writeFile(path.join(folder, 'weights.bin'), '');
    await truncate(path.join(folder, 'weights.bin'), 3 * 2 ** 30);
    const { error, ms } = await refused(folder, runs);
    expect(error.code).toBe('CHECKPOINT_CORRUPT');
    expect(error.message).toMatch(/weights\.bin has 3221225472 bytes, but model\.json lists \d+/);
    expect(ms).toBeLessThan(500);
  });
});

describe('model import stays inside the folder', () => {
  let outside: string;
  beforeAll(async () => {
    outside = await mkdtemp(path.join(os.tmpdir(), 'latent-studio-outside-'));
    await writeFile(path.join(outside, 'model.json'), goodModelJson);
    await writeFile(path.join(outside, 'weights.bin'), goodWeights);
  });

  it.each(['model.json', 'weights.bin'] as const)(
    'refuses a %s that links out of the folder',
    async (linked) => {
      const { folder, runs } = await modelFolder(
        linked === 'model.json' ? { 'weights.bin': goodWeights } : { 'model.json': goodModelJson },
      );
      await symlink(path.join(outside, linked), path.join(folder, linked));
      const { error } = await refused(folder, runs);
      expect(error.code).toBe('INVALID_PAYLOAD');
      expect(error.message).toMatch(/outside the chosen folder/);
      expect(error.message).not.toContain(outside);
    },
  );

  it('refuses weights paths that are not a plain file name', async () => {
    const weights = (
      JSON.parse(goodModelJson) as { weightsManifest: [{ weights: { name: string; shape: number[] }[] }] }
    ).weightsManifest[0].weights;
    for (const paths of [
      ['../weights.bin'],
      ['sub/weights.bin'],
      ['..'],
      [path.join(outside, 'weights.bin')],
    ]) {
      const { folder, runs } = await modelFolder({
        'model.json': manifest(SMALL, 28, 1, weights, paths),
        'weights.bin': goodWeights,
      });
      await mkdir(path.join(folder, 'sub'));
      await writeFile(path.join(folder, 'sub', 'weights.bin'), goodWeights);
      const { error } = await refused(folder, runs);
      expect(error.code).toBe('INVALID_PAYLOAD');
      expect(error.message).toMatch(/plain file name/);
      expect(error.message).not.toContain(outside);
    }
  });

  it('refuses a model.json that is not a regular file (a FIFO would block the read)', async () => {
    const { folder, runs } = await modelFolder({ 'weights.bin': goodWeights });
    execFileSync('mkfifo', [path.join(folder, 'model.json')]);
    const { error } = await refused(folder, runs);
    expect(error.code).toBe('INVALID_PAYLOAD');
  });

  it('follows links that stay inside the folder', async () => {
    const { folder, runs } = await modelFolder({ 'weights.bin': goodWeights });
    await mkdir(path.join(folder, 'real'));
    await writeFile(path.join(folder, 'real', 'model.json'), goodModelJson);
    await symlink(path.join('real', 'model.json'), path.join(folder, 'model.json'));
    const runId = await importModel(folder, runs);
    expect(await readdir(runs)).toEqual([runId]);
  });
});
