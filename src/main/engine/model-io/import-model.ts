/**
 * Importing a model folder (`model.json` + its weights) as a new run with one checkpoint, so the
 * gallery and the map treat it like any other finished run. Everything is checked before anything
 * is written.
 */
import { IMAGE_SIZES } from '../../../shared/dataset-types';
import type { TrainSettings } from '../../../shared/train-settings';
import { createModel } from '../model/create-model';
import { expectedWeightShapes, weightBytes, type WeightShape } from '../model/weight-shapes';
import { restoreModel, saveCheckpoint, type LoadedCheckpoint } from '../train/checkpoint';
import { RunStore } from '../train/run-store';
import { isPlainFileName, openInside, realFolderOf } from './folder-reads';
import {
  MODEL_FORMAT,
  MODEL_JSON_MAX_BYTES,
  ModelFileError,
  modelJsonSchema,
  type ModelJson,
} from './model-json';

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
