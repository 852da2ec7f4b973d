/**
 * The engine's answers to the gallery requests: reconstructions of a run's fixed sample, prior
 * samples, interpolations, traversals, decoding a spot of the map, and the files the user keeps.
 * Everything decodes with the run's current model (the training job's, the explored run's, or its
 * newest checkpoint), which the host hands in; a spot of the map decodes with the model of the
 * epoch the map shows.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import {
  GALLERY_LIMITS,
  type DecodedImages,
  type LatentAnchor,
  type MapSpot,
  type ReconstructionSet,
} from '../../../shared/gallery-types';
import { mediaPaths, type ExportedFile } from '../../../shared/projection-types';
import type { Result } from '../../../shared/result';
import type { RequestArgs } from '../../../shared/contract';
import type { LoadedDataset } from '../data/loaded-dataset';
import { exportOnnx } from '../export/onnx/write-onnx-export';
import type { LayoutStore, StoredPoints } from '../latent/layout-store';
import type { VaeModel } from '../model/vae-model';
import { checkpointDirName, listCheckpoints } from '../train/checkpoint';
import { RunStore, type RunConfig } from '../train/run-store';
import { appVersion } from './app-version';
import {
  decodeLatents,
  encodeImages,
  imageFormatOf,
  interpolateLatents,
  samplePrior,
  traversalLatents,
  type ImageFormat,
} from './generate';
import { exportImages, exportTooBig, type ExportShape } from './image-files';
import { EpochModels, EpochNotKeptError } from './epoch-model';
import { latentsAtSpots } from './map-spot';
import { exportModel, importModel } from './model-files';
import { answer, Refusal } from './refusal';
import {
  chooseSample,
  originalsOf,
  reconstruct,
  ReconstructionStore,
  type ReconstructionSample,
} from './reconstructions';

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

/** Refuses an export too big to write before anything is decoded or created. */
function checkExportSize(shape: ExportShape): void {
  const tooBig = exportTooBig(shape);
  if (tooBig) throw new Refusal('INVALID_PAYLOAD', tooBig);
}

export function formatOf(model: VaeModel): ImageFormat {
  const format = imageFormatOf(model);
  if (!format) throw new Refusal('INTERNAL', `The model's ${model.inputSize} pixels are not a square image.`);
  return format;
}

export class GalleryRequests {
  /** Past epochs' models for decode-at-cursor. */
  private readonly epochModels = new EpochModels();

  constructor(private readonly deps: GalleryDependencies) {}

  private runDirectory(runId: string): string {
    return RunStore.open(this.deps.runsRoot, runId).directory;
  }

  private async config(runId: string): Promise<RunConfig> {
    const config = await RunStore.open(this.deps.runsRoot, runId)
      .readConfig()
      .catch(() => null);
    if (!config) throw new Refusal('NOT_FOUND', 'That run no longer exists or cannot be read.');
    return config;
  }

  private async model(runId: string): Promise<{ model: VaeModel; format: ImageFormat }> {
    await this.config(runId);
    const model = await this.deps.model(runId);
    if (!model) throw new Refusal('NOT_FOUND', 'This run has no model to decode with yet.');
    return { model, format: formatOf(model) };
  }

  private async newestCheckpointEpoch(runId: string): Promise<number | null> {
    const checkpoints = await listCheckpoints(RunStore.open(this.deps.runsRoot, runId).checkpointsDir);
    return checkpoints.at(-1)?.epoch ?? null;
  }

  private async dataset(datasetId: string, datasetName: string, model: VaeModel): Promise<LoadedDataset> {
    const dataset = await this.deps.dataset(datasetId);
    if (!dataset)
      throw new Refusal('NOT_FOUND', `Open the dataset "${datasetName}" of this run to use its images.`);
    if (dataset.set.size ** 2 * dataset.set.channels !== model.inputSize) {
      throw new Refusal('NOT_FOUND', 'The dataset no longer matches this run’s model.');
    }
    return dataset;
  }

  private async points(runId: string): Promise<StoredPoints> {
    const points = await this.deps.layouts(runId).readPoints();
    if (!points) throw new Refusal('NOT_FOUND', 'That run has no latent map yet.');
    return points;
  }

  /** The images of chosen map points, checked against the dataset they came from. */
  private async pointImages(
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

  /** The run's sample, chosen (and stored) the first time it is needed. */
  private async sample(
    runId: string,
    store: ReconstructionStore,
    model: VaeModel | null,
  ): Promise<{ sample: ReconstructionSample; originals: Uint8Array }> {
    const stored = await store.readSample();
    if (stored) return stored;
    const config = await this.config(runId);
    if (!model) throw new Refusal('NOT_FOUND', 'This run has no model to reconstruct with yet.');
    const dataset = await this.dataset(config.datasetId, config.datasetName, model);
    const sample = chooseSample(dataset, config.settings.seed);
    const originals = originalsOf(dataset.set, sample.datasetIndices);
    await store.writeSample(sample, originals);
    return { sample, originals };
  }

  /**
   * Reconstructs the run's sample with the model as it is after `epoch` (the training hook). The
   * dataset is the one training reads, so nothing is looked up.
   */
  async recordEpoch(runId: string, epoch: number, model: VaeModel, dataset: LoadedDataset): Promise<void> {
    const store = new ReconstructionStore(this.runDirectory(runId));
    let stored = await store.readSample();
    if (!stored || stored.sample.datasetIndices.some((i) => i >= dataset.set.count)) {
      const config = await this.config(runId);
      const sample = chooseSample(dataset, config.settings.seed);
      stored = { sample, originals: originalsOf(dataset.set, sample.datasetIndices) };
      await store.writeSample(sample, stored.originals);
    }
    await store.write(epoch, await reconstruct(model, dataset.set, stored.sample.datasetIndices));
  }

  async reconstructions({
    runId,
    epoch,
  }: RequestArgs<'gallery:reconstructions'>): Promise<Result<ReconstructionSet>> {
    return answer(async () => {
      await this.config(runId);
      const store = new ReconstructionStore(this.runDirectory(runId));
      const storedSample = await store.readSample();
      let epochs = await store.epochs();
      // A run from before reconstructions were kept, or an imported one: make the newest now.
      if (epoch === null && (epochs.length === 0 || !storedSample)) {
        const newest = await this.newestCheckpointEpoch(runId);
        const model = newest === null ? null : await this.deps.model(runId);
        if (newest !== null && model) {
          const { sample } = await this.sample(runId, store, model);
          const config = await this.config(runId);
          const dataset = await this.dataset(sample.datasetId, config.datasetName, model);
          await store.write(newest, await reconstruct(model, dataset.set, sample.datasetIndices));
          epochs = await store.epochs();
        }
      }
      const target = epoch ?? epochs.at(-1);
      const stored = await store.readSample();
      if (target === undefined || !stored)
        throw new Refusal('NOT_FOUND', 'This run has no reconstructions yet.');
      const { sample, originals } = stored;
      const count = sample.datasetIndices.length;
      const found = await store.read(target, count, sample.size ** 2 * sample.channels);
      if (!found) throw new Refusal('NOT_FOUND', `Epoch ${target} of this run has no reconstructions.`);
      return {
        runId,
        epoch: target,
        count,
        size: sample.size,
        channels: sample.channels,
        originals,
        reconstructions: found.pixels,
        errors: found.errors,
        labels: Uint8Array.from(sample.labels),
        classNames: sample.classNames,
        names: sample.names,
        epochs,
      };
    });
  }

  async reconstructPoints({
    runId,
    points: chosen,
  }: RequestArgs<'gallery:reconstruct-points'>): Promise<Result<ReconstructionSet>> {
    return answer(async () => {
      const { model, format } = await this.model(runId);
      const { dataset, points, indices } = await this.pointImages(runId, chosen, model);
      const { pixels, errors } = await reconstruct(model, dataset.set, indices);
      const store = new ReconstructionStore(this.runDirectory(runId));
      return {
        runId,
        epoch: (await this.newestCheckpointEpoch(runId)) ?? 0,
        count: indices.length,
        size: format.size,
        channels: format.channels,
        originals: originalsOf(dataset.set, indices),
        reconstructions: pixels,
        errors,
        labels: Uint8Array.from(chosen, (p) => points.labels[p]!),
        classNames: points.classNames,
        names: chosen.map((p) => points.names[p]!),
        epochs: await store.epochs(),
      };
    });
  }

  async sampleImages({ runId, count, temperature, seed }: RequestArgs<'gallery:sample'>) {
    return answer(async () => {
      const { model, format } = await this.model(runId);
      return samplePrior(model, format, { count, temperature, seed });
    });
  }

  /** A map point's encoder mean (encoded now, by the current model), or the prior's centre. */
  private async anchorCode(runId: string, anchor: LatentAnchor, model: VaeModel): Promise<Float32Array> {
    if (anchor.kind === 'origin') return new Float32Array(model.latentDim);
    const { dataset, indices } = await this.pointImages(runId, [anchor.point], model);
    return encodeImages(model, dataset.set, indices);
  }

  async interpolate({ runId, from, to, steps, mode }: RequestArgs<'gallery:interpolate'>) {
    return answer(async () => {
      const { model, format } = await this.model(runId);
      const start = await this.anchorCode(runId, from, model);
      const end = await this.anchorCode(runId, to, model);
      return decodeLatents(model, interpolateLatents(start, end, steps, mode), format);
    });
  }

  /** The dimensions carrying the most KL at the newest epoch (the ones that encode something). */
  private async busiestDimensions(runId: string, latentDim: number, wanted: number): Promise<number[]> {
    const metrics = await RunStore.open(this.deps.runsRoot, runId).readMetrics();
    const kl = metrics.at(-1)?.klPerDimension;
    const count = Math.min(wanted, latentDim);
    if (!kl || kl.length !== latentDim) return Array.from({ length: count }, (_, d) => d);
    return kl
      .map((value, d) => ({ value, d }))
      .sort((a, b) => b.value - a.value || a.d - b.d)
      .slice(0, count)
      .map(({ d }) => d);
  }

  async traverse({ runId, around, dimensions, steps, range }: RequestArgs<'gallery:traverse'>) {
    return answer(async () => {
      const { model, format } = await this.model(runId);
      const centre = await this.anchorCode(runId, around, model);
      const chosen = await this.busiestDimensions(runId, model.latentDim, dimensions);
      const { latents, offsets } = traversalLatents(centre, chosen, steps, range);
      return { ...(await decodeLatents(model, latents, format)), dimensions: chosen, offsets };
    });
  }

  /** A spot of one epoch's map, decoded with that epoch's model (its checkpoint), not the newest. */
  async decodeAt({ runId, spot }: RequestArgs<'gallery:decode-at'>): Promise<Result<DecodedImages>> {
    return answer(() => this.decodeSpots(runId, [spot]));
  }

  /** Many spots of one epoch's map (the generative overlay), each as `decodeAt` decodes it, in one batch. */
  async decodeGrid({ runId, spots }: RequestArgs<'gallery:decode-grid'>): Promise<Result<DecodedImages>> {
    return answer(() => this.decodeSpots(runId, spots));
  }

  /** Spots of one epoch's layout by one method → their codes → one batched decode by that epoch's model. */
  private async decodeSpots(runId: string, spots: readonly MapSpot[]): Promise<DecodedImages> {
    const first = spots[0];
    if (!first || spots.some((s) => s.epoch !== first.epoch || s.method !== first.method)) {
      throw new Refusal('INVALID_PAYLOAD', 'Spots decoded together must be of one epoch and one method.');
    }
    const { epoch, method } = first;
    const { model, format } = await this.model(runId);
    const points = await this.points(runId);
    const layouts = this.deps.layouts(runId);
    const means = await layouts.readMeans(epoch, points);
    const positions = await layouts.readLayout(epoch, method, points.count);
    if (!means || !positions) {
      throw new Refusal('NOT_FOUND', `Epoch ${epoch} of this run has no ${method} layout.`);
    }
    if (points.latentDim !== model.latentDim) throw new Refusal('NOT_FOUND', 'The map and the model differ.');
    const { axes } = await layouts.readProjection(points.latentDim);
    const codes = latentsAtSpots(
      { method, means, count: points.count, dim: points.latentDim, positions, axes },
      spots,
    );
    const { settings } = await this.config(runId);
    const source = {
      checkpointsDir: RunStore.open(this.deps.runsRoot, runId).checkpointsDir,
      epoch,
      settings,
      format,
      current: model,
    };
    try {
      return await this.epochModels.use(source, (epochModel) => decodeLatents(epochModel, codes, format));
    } catch (error) {
      if (error instanceof EpochNotKeptError) throw new Refusal('NOT_FOUND', error.message);
      throw error;
    }
  }

  /** Given codes (an attribute vector walked from a pinned code, say), decoded by the current model. */
  async decode({ runId, latents }: RequestArgs<'gallery:decode'>): Promise<Result<DecodedImages>> {
    return answer(async () => {
      const { model, format } = await this.model(runId);
      if (latents.length % model.latentDim !== 0) {
        throw new Refusal(
          'INVALID_PAYLOAD',
          `${latents.length} values are not a whole number of this model's ${model.latentDim}-dimensional codes.`,
        );
      }
      const count = latents.length / model.latentDim;
      if (count > GALLERY_LIMITS.sampleCount.max) {
        throw new Refusal(
          'INVALID_PAYLOAD',
          `${count} codes at once; at most ${GALLERY_LIMITS.sampleCount.max} are decoded per request.`,
        );
      }
      return decodeLatents(model, latents, format);
    });
  }

  async exportImages(args: RequestArgs<'gallery:export'>): Promise<Result<{ files: ExportedFile[] }>> {
    return answer(async () => {
      const { runId, latents } = args;
      const { model, format } = await this.model(runId);
      if (latents.length % model.latentDim !== 0) {
        throw new Refusal(
          'INVALID_PAYLOAD',
          `${latents.length} values are not a whole number of this model's ${model.latentDim}-dimensional codes.`,
        );
      }
      const { kind, columns, scale } = args;
      checkExportSize({ kind, count: latents.length / model.latentDim, size: format.size, scale, columns });
      const config = await this.config(runId);
      const files = await exportImages({
        runId,
        runDirectory: this.runDirectory(runId),
        images: await decodeLatents(model, latents, format),
        kind: args.kind,
        columns: args.columns,
        scale: args.scale,
        format: args.format,
        label: args.label,
        details: args.details,
        manifest: {
          app: 'Latent Studio',
          version: appVersion(),
          epoch: await this.newestCheckpointEpoch(runId),
          settings: config.settings,
        },
      });
      return { files };
    });
  }

  /** The dataset images of chosen map points, with their encoder means in the manifest. */
  async exportPoints(args: RequestArgs<'gallery:export-points'>): Promise<Result<{ files: ExportedFile[] }>> {
    return answer(async () => {
      const { runId, points: chosen } = args;
      const { model, format } = await this.model(runId);
      const { kind, columns, scale } = args;
      checkExportSize({ kind, count: chosen.length, size: format.size, scale, columns });
      const { dataset, points, indices } = await this.pointImages(runId, chosen, model);
      const config = await this.config(runId);
      const files = await exportImages({
        runId,
        runDirectory: this.runDirectory(runId),
        images: {
          count: indices.length,
          size: format.size,
          channels: format.channels,
          pixels: originalsOf(dataset.set, indices),
          latentDim: model.latentDim,
          latents: await encodeImages(model, dataset.set, indices),
        },
        kind: args.kind,
        columns: args.columns,
        scale: args.scale,
        format: 'gif',
        label: 'selection',
        details: { points: chosen.length },
        sources: chosen.map((p) => ({
          file: points.names[p]!,
          label: points.classNames[points.labels[p]!] ?? String(points.labels[p]),
        })),
        manifest: {
          app: 'Latent Studio',
          version: appVersion(),
          epoch: await this.newestCheckpointEpoch(runId),
          settings: config.settings,
        },
      });
      return { files };
    });
  }

  async exportModel({
    runId,
    format = 'tfjs',
  }: RequestArgs<'model:export'>): Promise<Result<{ files: ExportedFile[] }>> {
    return answer(async () => {
      await this.config(runId);
      const epoch = await this.newestCheckpointEpoch(runId);
      if (epoch === null) throw new Refusal('NOT_FOUND', 'This run has no checkpoint to export yet.');
      const runDirectory = this.runDirectory(runId);
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
    return answer(async () => ({ runId: await importModel(folder, this.deps.runsRoot) }));
  }
}
