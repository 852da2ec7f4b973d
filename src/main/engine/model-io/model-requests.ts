/**
 * The engine's answers to `model:export` (the run's newest checkpoint as TensorFlow.js or ONNX
 * files in its exports folder) and `model:import` (a model folder as a new run).
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { RequestArgs } from '../../../shared/contract';
import type { ExportedFile } from '../../../shared/export-types';
import { mediaPaths } from '../../../shared/projection-types';
import type { Result } from '../../../shared/result';
import { newestCheckpointEpoch, readRunConfig } from '../gallery/gallery-runs';
import { answer, Refusal } from '../gallery/refusal';
import { checkpointDirName } from '../train/checkpoint';
import { RunStore } from '../train/run-store';
import { exportModel } from './export-model';
import { importModel } from './import-model';
import { exportOnnx } from './onnx/write-onnx-export';

export class ModelFileRequests {
  constructor(private readonly runsRoot: string) {}

  async exportModel({
    runId,
    format = 'tfjs',
  }: RequestArgs<'model:export'>): Promise<Result<{ files: ExportedFile[] }>> {
    return answer(async () => {
      await readRunConfig(this.runsRoot, runId);
      const epoch = await newestCheckpointEpoch(this.runsRoot, runId);
      if (epoch === null) throw new Refusal('NOT_FOUND', 'This run has no checkpoint to export yet.');
      const runDirectory = RunStore.open(this.runsRoot, runId).directory;
      // Separate folders, so exporting one format never overwrites the other's files.
      const folder = `model-${checkpointDirName(epoch)}${format === 'onnx' ? '-onnx' : ''}`;
      const destination = path.join(runDirectory, 'exports', folder);
      const written = await (format === 'onnx'
        ? exportOnnx(runDirectory, destination)
        : exportModel(runDirectory, destination));
      const files = await Promise.all(
        written.map(async (file) => {
          const name = `${folder}/${path.basename(file)}`;
          return { name, bytes: (await stat(file)).size, mediaPath: mediaPaths.exported(runId, name) };
        }),
      );
      return { files };
    });
  }

  async importModel({ folder }: { folder: string }): Promise<Result<{ runId: string }>> {
    return answer(async () => ({ runId: await importModel(folder, this.runsRoot) }));
  }
}
