/**
 * A trained model as files to keep or share: `model.json` (a TensorFlow.js-style weights manifest
 * plus the run's settings and image format) and `weights.bin` (float32, little-endian, in manifest
 * order). Importing checks everything before anything is written, then becomes a new run with one
 * checkpoint, so the gallery and the map treat it like any other finished run.
 */
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { requestSchemas } from '../../../shared/schemas';
import type { TrainSettings } from '../../../shared/types';
import { writeFileAtomic } from '../fs/atomic-write';
import { createModel } from '../model/create-model';
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
        paths: z.array(z.string()).length(1),
        weights: z.array(
          z.object({
            name: z.string().min(1),
            shape: z.array(z.int().min(0)),
            dtype: z.literal('float32'),
          }),
        ),
      }),
    )
    .length(1),
  latentStudio: z.object({
    settings: requestSchemas['train:start'],
    imageSize: z.int().min(4).max(512),
    channels: z.union([z.literal(1), z.literal(3)]),
    epoch: z.int().min(1),
    runId: z.string(),
    datasetName: z.string(),
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
async function newestCheckpoint(checkpointsDir: string): Promise<LoadedCheckpoint> {
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

async function readModelJson(folder: string): Promise<ModelJson> {
  let text: string;
  try {
    text = await readFile(path.join(folder, 'model.json'), 'utf8');
  } catch {
    throw new ModelFileError(
      'The folder has no model.json: choose a folder exported by Latent Studio.',
      'INVALID_PAYLOAD',
    );
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
  return parsed.data;
}

/** The weights as a checkpoint's values, after checking the file holds exactly what the manifest lists. */
async function readWeights(folder: string, model: ModelJson): Promise<LoadedCheckpoint['values']> {
  const { paths, weights } = model.weightsManifest[0]!;
  const file = path.basename(paths[0]!);
  let body: Buffer;
  try {
    body = await readFile(path.join(folder, file));
  } catch {
    throw new ModelFileError(`The folder has no ${file} next to model.json.`, 'INVALID_PAYLOAD');
  }
  const expected = weights.reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1) * 4, 0);
  if (body.byteLength !== expected) {
    throw new ModelFileError(
      `${file} has ${body.byteLength} bytes, but model.json lists ${expected}: the file is truncated or belongs to another model.`,
      'CHECKPOINT_CORRUPT',
    );
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
  const modelJson = await readModelJson(folder);
  const values = await readWeights(folder, modelJson);
  const { settings, imageSize, channels, epoch, datasetName } = modelJson.latentStudio;
  const trainSettings = settings as TrainSettings;
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
      directory: folder,
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
