/**
 * A run's newest checkpoint written as `model.json` + `weights.bin` (see `model-json.ts`), the
 * files the app's Import model reads back.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../fs/atomic-write';
import {
  CheckpointCorruptError,
  listCheckpoints,
  readCheckpoint,
  type LoadedCheckpoint,
} from '../train/checkpoint';
import { RunStore } from '../train/run-store';
import { MODEL_FORMAT, WEIGHTS_FILE, type ModelJson } from './model-json';
import { formatOfWeights } from './weights-format';

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
