/**
 * A trained model as files to keep or share: `model.json` (a TensorFlow.js-style weights manifest
 * plus the run's settings and image format) and `weights.bin` (float32, little-endian, in manifest
 * order). Importing checks everything before anything is written, then becomes a new run with one
 * checkpoint, so the gallery and the map treat it like any other finished run.
 */
import { constants } from 'node:fs';
import { mkdir, open, realpath, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { IMAGE_SIZES } from '../../../shared/dataset-types';
import { recordedTrainSettings } from '../../../shared/schemas';
import type { TrainSettings } from '../../../shared/types';
import { writeFileAtomic } from '../fs/atomic-write';
import { createModel } from '../model/create-model';
import { expectedWeightShapes, weightBytes, type WeightShape } from '../model/weight-shapes';
import {
  CheckpointCorruptError,
  listCheckpoints,
  readCheckpoint,
  restoreModel,
  saveCheckpoint,
  type LoadedCheckpoint,
} from '../train/checkpoint';
import { RunStore } from '../train/run-store';

export const MODEL_FORMAT = 'latent-studio-vae';
const WEIGHTS_FILE = 'weights.bin';
/** A model.json is a few kilobytes (settings and a weight list); anything far larger is not read. */
const MODEL_JSON_MAX_BYTES = 1 << 20;

/** Why an import was refused: the folder is not a model (INVALID_PAYLOAD) or a damaged one. */
export class ModelFileError extends Error {
  override name = 'ModelFileError';
  constructor(
    message: string,
    readonly code: 'INVALID_PAYLOAD' | 'CHECKPOINT_CORRUPT',
  ) {
    super(message);
  }
}

const modelJsonSchema = z.object({
  format: z.string(),
  version: z.literal(1),
  weightsManifest: z
    .array(
      z.object({
        paths: z.array(z.string().min(1).max(255)).length(1),
        // The biggest model the app builds has 23 weights of at most 4 dimensions.
        weights: z
          .array(
            z.object({
              name: z.string().min(1).max(100),
              shape: z.array(z.int().min(0)).max(4),
              dtype: z.literal('float32'),
            }),
          )
          .max(64),
      }),
    )
    .length(1),
  latentStudio: z.object({
    // Models exported before a setting existed lack it; they read as they were trained.
    settings: recordedTrainSettings,
    // Checked against the sizes the app offers after parsing, with a clearer message.
    imageSize: z.int().min(1),
    channels: z.union([z.literal(1), z.literal(3)]),
    epoch: z.int().min(1),
    runId: z.string().max(200),
    datasetName: z.string().max(1_000),
  }),
});
type ModelJson = z.infer<typeof modelJsonSchema>;

/**
 * The image format a checkpoint's weights were trained on: an MLP's first layer reads
 * size² × channels values; a conv model's first filter reads `channels`, and its flattened
 * bottleneck is (size / 2^depth)² × the last layer's channels.
 */
export function formatOfWeights(
  model: string,
  values: LoadedCheckpoint['values'],
): { size: number; channels: 1 | 3 } | null {
  if (model === 'mlp') {
    const inputs = values.get('encoder/hidden/kernel')?.shape[0];
    if (!inputs) return null;
    for (const channels of [1, 3] as const) {
      const size = Math.sqrt(inputs / channels);
      if (Number.isInteger(size)) return { size, channels };
    }
    return null;
  }
  const channels = values.get('encoder/conv1/kernel')?.shape[2];
  const flat = values.get('encoder/mean/kernel')?.shape[0];
  let depth = 0;
  while (values.has(`encoder/conv${depth + 1}/kernel`)) depth++;
  const last = values.get(`encoder/conv${depth}/kernel`)?.shape[3];
  if ((channels !== 1 && channels !== 3) || !flat || !last) return null;
  const bottleneck = Math.sqrt(flat / last);
  return Number.isInteger(bottleneck) ? { size: bottleneck * 2 ** depth, channels } : null;
}

/** The newest checkpoint of a run that reads; a damaged newest falls back to the one before. */
export async function newestCheckpoint(checkpointsDir: string): Promise<LoadedCheckpoint> {
  let failure: Error | null = null;
  for (const { directory } of (await listCheckpoints(checkpointsDir)).reverse()) {
    try {
      return await readCheckpoint(directory);
    } catch (error) {
      failure ??= error as Error;
    }
  }
  throw failure ?? new Error('This run has no checkpoint to export yet.');
}

/**
 * Writes the run's newest checkpoint (weights only) as `model.json` + `weights.bin` into
 * `destination`, returning the paths written.
 */
export async function exportModel(runDirectory: string, destination: string): Promise<string[]> {
  // The folder itself, whatever its name: the CLI's `--out` runs need not be named by run id.
  const run = RunStore.openAt(runDirectory);
  const config = await run.readConfig();
  const checkpoint = await newestCheckpoint(run.checkpointsDir);
  const format = formatOfWeights(config.settings.model, checkpoint.values);
  if (!format) throw new CheckpointCorruptError('The checkpoint’s image format cannot be worked out.');
  const weights = [...checkpoint.values.entries()]
    .filter(([, value]) => value.group === 'model')
    .map(([name, value]) => ({ name, shape: value.shape, data: value.data }));
  const body = new Uint8Array(weights.reduce((n, w) => n + w.data.byteLength, 0));
  const view = new DataView(body.buffer);
  let offset = 0;
  for (const { data } of weights) {
    // Explicitly little-endian, whatever the machine.
    for (const value of data) {
      view.setFloat32(offset, value, true);
      offset += 4;
    }
  }
  const modelJson: ModelJson = {
    format: MODEL_FORMAT,
    version: 1,
    weightsManifest: [
      {
        paths: [WEIGHTS_FILE],
        weights: weights.map(({ name, shape }) => ({ name, shape, dtype: 'float32' as const })),
      },
    ],
    latentStudio: {
      settings: config.settings,
      imageSize: format.size,
      channels: format.channels,
      epoch: checkpoint.manifest.epoch,
      runId: config.runId,
      datasetName: config.datasetName,
    },
  };
  await mkdir(destination, { recursive: true });
  const files = [path.join(destination, 'model.json'), path.join(destination, WEIGHTS_FILE)];
  // Weights first, model.json (what an import looks for) last, each whole or not there.
  await writeFileAtomic(files[1]!, body);
  await writeFileAtomic(files[0]!, JSON.stringify(modelJson, null, 2));
  return files;
}

/** Whether a file's real path lies within the folder's real path (links resolved on both sides). */
function isInside(realFolder: string, realFile: string): boolean {
  const relative = path.relative(realFolder, realFile);
  return relative !== '' && !path.isAbsolute(relative) && relative.split(path.sep)[0] !== '..';
}

/** The folder as it really is on disk, so links inside it are judged against its real path. */
async function realFolderOf(folder: string): Promise<string> {
  try {
    return await realpath(folder);
  } catch {
    throw new ModelFileError('The chosen folder cannot be read.', 'INVALID_PAYLOAD');
  }
}

/**
 * Opens `name` in the folder for reading, or null when there is none. A link may lead elsewhere in
 * the folder but not out of it (the folder is what the user chose to share); the file's type and
 * size come from the opened handle, so what is checked is what is read. Non-blocking, so a FIFO
 * planted as model.json is refused instead of hanging the engine on open.
 */
async function openInside(
  realFolder: string,
  name: string,
): Promise<{ handle: FileHandle; bytes: number } | null> {
  let real: string;
  try {
    real = await realpath(path.join(realFolder, name));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new ModelFileError(`${name} cannot be read.`, 'INVALID_PAYLOAD');
  }
  // Never the target's path: it is outside what the user chose to share.
  if (!isInside(realFolder, real)) {
    throw new ModelFileError(
      `${name} is a link to a file outside the chosen folder: copy the model's files into the folder itself.`,
      'INVALID_PAYLOAD',
    );
  }
  let handle: FileHandle;
  try {
    handle = await open(real, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
  } catch {
    throw new ModelFileError(`${name} cannot be read.`, 'INVALID_PAYLOAD');
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new ModelFileError(`${name} is not a regular file.`, 'INVALID_PAYLOAD');
    return { handle, bytes: info.size };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** A weights path is a file name next to model.json, never a way to another folder. */
function isPlainFileName(name: string): boolean {
  return name !== '.' && name !== '..' && !/[/\\:\0]/.test(name);
}

async function readModelJson(realFolder: string): Promise<ModelJson> {
  const opened = await openInside(realFolder, 'model.json');
  if (!opened) {
    throw new ModelFileError(
      'The folder has no model.json: choose a folder exported by Latent Studio.',
      'INVALID_PAYLOAD',
    );
  }
  let text: string;
  try {
    if (opened.bytes > MODEL_JSON_MAX_BYTES) {
      throw new ModelFileError(
        `model.json has ${opened.bytes} bytes; a Latent Studio model.json is a few kilobytes.`,
        'INVALID_PAYLOAD',
      );
    }
    text = await opened.handle.readFile('utf8');
  } finally {
    await opened.handle.close();
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ModelFileError('model.json is not valid JSON.', 'CHECKPOINT_CORRUPT');
  }
  const format = (json as { format?: unknown } | null)?.format;
  if (format !== MODEL_FORMAT) {
    throw new ModelFileError(
      `model.json is not a Latent Studio model (its format is ${JSON.stringify(format ?? null)}, not "${MODEL_FORMAT}").`,
      'INVALID_PAYLOAD',
    );
  }
  const parsed = modelJsonSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ModelFileError(
      `model.json is incomplete or damaged (${issue?.path.join('.') || 'root'}: ${issue?.message ?? 'invalid'}).`,
      'CHECKPOINT_CORRUPT',
    );
  }
  const { imageSize } = parsed.data.latentStudio;
  if (!(IMAGE_SIZES as readonly number[]).includes(imageSize)) {
    throw new ModelFileError(
      `model.json describes ${imageSize}-pixel images; Latent Studio models are ${IMAGE_SIZES.join(', ')} pixels square.`,
      'INVALID_PAYLOAD',
    );
  }
  if (!isPlainFileName(parsed.data.weightsManifest[0]!.paths[0]!)) {
    throw new ModelFileError(
      'model.json’s weights path must be a plain file name next to model.json.',
      'INVALID_PAYLOAD',
    );
  }
  return parsed.data;
}

const shapeText = (shape: readonly number[]) => (shape.length === 0 ? 'a scalar' : shape.join('×'));

/**
 * The manifest must list exactly the weights the settings imply (any order), so a file cannot
 * make the engine build a model other than the one its weights fill.
 */
function checkManifest(listed: readonly WeightShape[], expected: readonly WeightShape[]): void {
  const mismatch = (detail: string) =>
    new ModelFileError(
      `model.json’s weights do not match the model its settings describe (${detail}).`,
      'CHECKPOINT_CORRUPT',
    );
  const shapes = new Map(listed.map((w) => [w.name, w.shape]));
  if (shapes.size !== listed.length) throw mismatch('a weight is listed twice');
  if (listed.length !== expected.length) {
    throw mismatch(`${listed.length} weights listed, the settings describe ${expected.length}`);
  }
  for (const { name, shape } of expected) {
    const found = shapes.get(name);
    if (!found) throw mismatch(`${name} is missing`);
    if (shapeText(found) !== shapeText(shape)) {
      throw mismatch(`${name} is ${shapeText(found)}, the settings describe ${shapeText(shape)}`);
    }
  }
}

/**
 * The weights as a checkpoint's values. The file's size is checked against `expectedBytes` (from
 * the settings) before a byte is read, so a huge or truncated file costs nothing.
 */
async function readWeights(
  realFolder: string,
  model: ModelJson,
  expectedBytes: number,
): Promise<LoadedCheckpoint['values']> {
  const { paths, weights } = model.weightsManifest[0]!;
  const file = paths[0]!;
  const opened = await openInside(realFolder, file);
  if (!opened) throw new ModelFileError(`The folder has no ${file} next to model.json.`, 'INVALID_PAYLOAD');
  let body: Buffer;
  try {
    if (opened.bytes !== expectedBytes) {
      throw new ModelFileError(
        `${file} has ${opened.bytes} bytes, but model.json lists ${expectedBytes}: the file is truncated or belongs to another model.`,
        'CHECKPOINT_CORRUPT',
      );
    }
    body = await opened.handle.readFile();
  } finally {
    await opened.handle.close();
  }
  if (body.byteLength !== expectedBytes) {
    throw new ModelFileError(`${file} changed while it was read.`, 'CHECKPOINT_CORRUPT');
  }
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const values: LoadedCheckpoint['values'] = new Map();
  let offset = 0;
  for (const { name, shape } of weights) {
    const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
    for (let i = 0; i < data.length; i++, offset += 4) data[i] = view.getFloat32(offset, true);
    if (!data.every(Number.isFinite)) {
      throw new ModelFileError(`The weights of ${name} are not all finite numbers.`, 'CHECKPOINT_CORRUPT');
    }
    values.set(name, { group: 'model', shape, data });
  }
  return values;
}

/**
 * Imports a model folder as a new, completed run of `runsRoot` and returns its id. Nothing is
 * written unless model.json, the weights and the architecture they describe all agree.
 */
export async function importModel(folder: string, runsRoot: string): Promise<string> {
  const realFolder = await realFolderOf(folder);
  const modelJson = await readModelJson(realFolder);
  const { settings, imageSize, channels, epoch, datasetName } = modelJson.latentStudio;
  const trainSettings = settings as TrainSettings;
  // Everything about the model is known before it is built or its weights are read.
  const expected = expectedWeightShapes(trainSettings, imageSize, channels);
  checkManifest(modelJson.weightsManifest[0]!.weights, expected);
  const values = await readWeights(realFolder, modelJson, weightBytes(expected));
  const model = createModel(trainSettings, imageSize, channels);
  try {
    const loaded: LoadedCheckpoint = {
      manifest: {
        format: 'latent-studio-checkpoint',
        version: 1,
        epoch,
        runId: modelJson.latentStudio.runId,
        testLoss: null,
        savedAt: new Date().toISOString(),
        byteLength: 0,
        sha256: '0'.repeat(64),
        tensors: [],
      },
      directory: realFolder,
      values,
    };
    try {
      restoreModel(model, loaded);
    } catch (error) {
      throw new ModelFileError((error as Error).message, 'CHECKPOINT_CORRUPT');
    }
    const run = await RunStore.create(runsRoot, {
      datasetId: trainSettings.datasetId,
      datasetName,
      settings: trainSettings,
    });
    await saveCheckpoint(run.checkpointsDir, { epoch, runId: run.runId, testLoss: null }, model);
    await run.writeStatus('completed', null);
    return run.runId;
  } finally {
    model.dispose();
  }
}
