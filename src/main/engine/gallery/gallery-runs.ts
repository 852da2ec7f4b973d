/**
 * The look-ups every gallery request starts with: a run's folder, config, current model, dataset
 * and map points, each refusing in plain words (NOT_FOUND) when it is missing or no longer fits.
 */
import type { LoadedDataset } from '../data/loaded-dataset';
import type { LayoutStore, StoredPoints } from '../latent/layout-store';
import type { VaeModel } from '../model/vae-model';
import { listCheckpoints } from '../train/checkpoint';
import { RunStore, type RunConfig } from '../train/run-store';
import { imageFormatOf, type ImageFormat } from './generate';
import { Refusal } from './refusal';

/** What the gallery needs from the engine host. */
export interface GalleryDependencies {
  runsRoot: string;
  /** An open dataset by id, or null when it is not open. */
  dataset(datasetId: string): Promise<LoadedDataset | null>;
  /** The run's current model, or null when it has none. */
  model(runId: string): Promise<VaeModel | null>;
  /** The run's latent map files. */
  layouts(runId: string): LayoutStore;
}

/** The run's config; NOT_FOUND when the run is gone or its config unreadable. */
export async function readRunConfig(runsRoot: string, runId: string): Promise<RunConfig> {
  const config = await RunStore.open(runsRoot, runId)
    .readConfig()
    .catch(() => null);
  if (!config) throw new Refusal('NOT_FOUND', 'That run no longer exists or cannot be read.');
  return config;
}

/** The epoch of the run's newest checkpoint, or null before its first. */
export async function newestCheckpointEpoch(runsRoot: string, runId: string): Promise<number | null> {
  const checkpoints = await listCheckpoints(RunStore.open(runsRoot, runId).checkpointsDir);
  return checkpoints.at(-1)?.epoch ?? null;
}

export function formatOf(model: VaeModel): ImageFormat {
  const format = imageFormatOf(model);
  if (!format) throw new Refusal('INTERNAL', `The model's ${model.inputSize} pixels are not a square image.`);
  return format;
}

/** How many of the model's codes `latents` holds; refuses values that are not whole codes. */
export function codeCount(latents: Float32Array, model: VaeModel): number {
  if (latents.length % model.latentDim !== 0) {
    throw new Refusal(
      'INVALID_PAYLOAD',
      `${latents.length} values are not a whole number of this model's ${model.latentDim}-dimensional codes.`,
    );
  }
  return latents.length / model.latentDim;
}

export class GalleryRuns {
  constructor(readonly deps: GalleryDependencies) {}

  directory(runId: string): string {
    return RunStore.open(this.deps.runsRoot, runId).directory;
  }

  config(runId: string): Promise<RunConfig> {
    return readRunConfig(this.deps.runsRoot, runId);
  }

  newestCheckpointEpoch(runId: string): Promise<number | null> {
    return newestCheckpointEpoch(this.deps.runsRoot, runId);
  }

  async model(runId: string): Promise<{ model: VaeModel; format: ImageFormat }> {
    await this.config(runId);
    const model = await this.deps.model(runId);
    if (!model) throw new Refusal('NOT_FOUND', 'This run has no model to decode with yet.');
    return { model, format: formatOf(model) };
  }

  async dataset(datasetId: string, datasetName: string, model: VaeModel): Promise<LoadedDataset> {
    const dataset = await this.deps.dataset(datasetId);
    if (!dataset)
      throw new Refusal('NOT_FOUND', `Open the dataset "${datasetName}" of this run to use its images.`);
    if (dataset.set.size ** 2 * dataset.set.channels !== model.inputSize) {
      throw new Refusal('NOT_FOUND', 'The dataset no longer matches this run’s model.');
    }
    return dataset;
  }

  async points(runId: string): Promise<StoredPoints> {
    const points = await this.deps.layouts(runId).readPoints();
    if (!points) throw new Refusal('NOT_FOUND', 'That run has no latent map yet.');
    return points;
  }

  /** The images of chosen map points, checked against the dataset they came from. */
  async pointImages(
    runId: string,
    chosen: number[],
    model: VaeModel,
  ): Promise<{ dataset: LoadedDataset; points: StoredPoints; indices: number[] }> {
    const [config, points] = await Promise.all([this.config(runId), this.points(runId)]);
    const dataset = await this.dataset(points.datasetId, config.datasetName, model);
    const indices = chosen.map((point) => {
      const index = points.datasetIndices[point];
      if (index === undefined) throw new Refusal('NOT_FOUND', `The map has no point ${point}.`);
      if (index >= dataset.set.count) throw new Refusal('NOT_FOUND', 'The dataset changed since this run.');
      return index;
    });
    return { dataset, points, indices };
  }
}
