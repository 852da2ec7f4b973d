/**
 * Reads of a run's stored latent map: its points, one epoch's codes and layout, an export of them,
 * and the images (`media:get`) behind a point, as in the dataset or as the run reconstructs it.
 */
import type { ProjectionMethod } from '../../../shared/projection-types';
import { fail, ok } from '../../../shared/result';
import { indexOfName } from '../data/image-names';
import type { LoadedDataset } from '../data/loaded-dataset';
import type { VaeModel } from '../model/vae-model';
import type { EngineArgs } from '../protocol';
import { RunStore } from '../train/run-store';
import { exportEmbedding } from './embedding-export';
import type { LayoutStore, StoredPoints } from './layout-store';
import { imagePng, reconstructionPng } from './media';

export interface LatentReadsDeps {
  runsRoot: string;
  dataset: (datasetId: string) => Promise<LoadedDataset | null>;
  model: (runId: string) => Promise<VaeModel | null>;
  layouts: (runId: string) => LayoutStore;
}

export class LatentReads {
  constructor(private readonly deps: LatentReadsDeps) {}

  private async storedPoints(runId: string): Promise<{ layouts: LayoutStore; points: StoredPoints } | null> {
    const layouts = this.deps.layouts(runId);
    const points = await layouts.readPoints();
    return points ? { layouts, points } : null;
  }

  async points({ runId }: EngineArgs<'latent:get-points'>) {
    const found = await this.storedPoints(runId);
    if (!found) return fail('NOT_FOUND', 'That run has no latent map yet.');
    const { layouts, points } = found;
    return ok({
      runId,
      count: points.count,
      latentDim: points.latentDim,
      labels: Uint8Array.from(points.labels),
      classNames: points.classNames,
      metadata: points.metadata.map(({ field, values }) => ({ field, values: Float32Array.from(values) })),
      names: points.names,
      heldOut: Uint8Array.from(points.heldOut),
      epochs: await layouts.epochs(),
      projection: await layouts.readProjection(points.latentDim),
    });
  }

  /** One epoch's stored codes and its layout by `method` (null when not computed yet). */
  private async epochCodes(runId: string, epoch: number, method: ProjectionMethod) {
    const found = await this.storedPoints(runId);
    if (!found) return fail('NOT_FOUND', 'That run has no latent map yet.');
    const { layouts, points } = found;
    const means = await layouts.readMeans(epoch, points);
    if (!means) return fail('NOT_FOUND', `Epoch ${epoch} of that run has no latent codes.`);
    return ok({ layouts, points, means, positions: await layouts.readLayout(epoch, method, points.count) });
  }

  async epoch({ runId, epoch, method }: EngineArgs<'latent:get-epoch'>) {
    const codes = await this.epochCodes(runId, epoch, method);
    if (!codes.ok) return codes;
    const { layouts, points, means, positions } = codes.value;
    const sampled = positions ? await layouts.readLayoutSampled(epoch, method) : null;
    return ok({
      runId,
      epoch,
      latentDim: points.latentDim,
      means,
      layout: positions
        ? { runId, jobId: null, epoch, method, count: points.count, positions, final: true, sampled }
        : null,
    });
  }

  async export({ runId, epoch, method, format }: EngineArgs<'latent:export'>) {
    const codes = await this.epochCodes(runId, epoch, method);
    if (!codes.ok) return codes;
    const { points, means, positions } = codes.value;
    const runDirectory = RunStore.open(this.deps.runsRoot, runId).directory;
    const files = await exportEmbedding({
      runId,
      runDirectory,
      epoch,
      method,
      format,
      points,
      means,
      positions,
    });
    return ok({ files });
  }

  async media({ path: mediaPath }: EngineArgs<'media:get'>) {
    const [, kind, runId, pointText] =
      /^(image|reconstruction)\/([^/]+)\/(\d{1,7})\.png$/.exec(mediaPath) ?? [];
    if (!kind || !runId || !pointText) return fail('NOT_FOUND', 'No such image.');
    let found: { points: StoredPoints } | null;
    try {
      found = await this.storedPoints(runId);
    } catch {
      found = null;
    }
    const point = Number(pointText);
    if (!found || point >= found.points.count) return fail('NOT_FOUND', 'No such point.');
    const dataset = await this.deps.dataset(found.points.datasetId);
    if (!dataset) return fail('NOT_FOUND', 'Open the dataset of this run to see its images.');
    // By file name first: the folder may have changed since the points were stored.
    const named = indexOfName(dataset, found.points.names[point]!);
    const index = named ?? (dataset.fileNames ? dataset.set.count : found.points.datasetIndices[point]!);
    if (index >= dataset.set.count) return fail('NOT_FOUND', 'The dataset changed since this run.');
    if (kind === 'image') return ok({ contentType: 'image/png', bytes: await imagePng(dataset.set, index) });
    const model = await this.deps.model(runId);
    if (!model) return fail('NOT_FOUND', 'This run has no model to reconstruct with yet.');
    if (model.inputSize !== dataset.set.size ** 2 * dataset.set.channels) {
      return fail('NOT_FOUND', 'The dataset no longer matches this run’s model.');
    }
    return ok({ contentType: 'image/png', bytes: await reconstructionPng(model, dataset.set, index) });
  }
}
