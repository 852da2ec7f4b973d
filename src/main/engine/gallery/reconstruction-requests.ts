/**
 * The engine's answers to the reconstruction requests: the run's fixed sample beside its
 * reconstructions at each epoch (made by the training hook, or now for a run without them), and
 * chosen map points reconstructed by the run's current model.
 */
import type { ReconstructionSet } from '../../../shared/gallery-types';
import type { Result } from '../../../shared/result';
import type { RequestArgs } from '../../../shared/contract';
import type { LoadedDataset } from '../data/loaded-dataset';
import type { VaeModel } from '../model/vae-model';
import { GalleryRuns, type GalleryDependencies } from './gallery-runs';
import { answer, Refusal } from './refusal';
import {
  chooseSample,
  originalsOf,
  reconstruct,
  ReconstructionStore,
  type ReconstructionSample,
} from './reconstructions';

export class ReconstructionRequests {
  private readonly runs: GalleryRuns;

  constructor(deps: GalleryDependencies) {
    this.runs = new GalleryRuns(deps);
  }

  /** The run's sample, chosen (and stored) the first time it is needed. */
  private async sample(
    runId: string,
    store: ReconstructionStore,
    model: VaeModel | null,
  ): Promise<{ sample: ReconstructionSample; originals: Uint8Array }> {
    const stored = await store.readSample();
    if (stored) return stored;
    const config = await this.runs.config(runId);
    if (!model) throw new Refusal('NOT_FOUND', 'This run has no model to reconstruct with yet.');
    const dataset = await this.runs.dataset(config.datasetId, config.datasetName, model);
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
    const store = new ReconstructionStore(this.runs.directory(runId));
    let stored = await store.readSample();
    if (!stored || stored.sample.datasetIndices.some((i) => i >= dataset.set.count)) {
      const config = await this.runs.config(runId);
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
      await this.runs.config(runId);
      const store = new ReconstructionStore(this.runs.directory(runId));
      const storedSample = await store.readSample();
      let epochs = await store.epochs();
      // A run from before reconstructions were kept, or an imported one: make the newest now.
      if (epoch === null && (epochs.length === 0 || !storedSample)) {
        const newest = await this.runs.newestCheckpointEpoch(runId);
        const model = newest === null ? null : await this.runs.deps.model(runId);
        if (newest !== null && model) {
          const { sample } = await this.sample(runId, store, model);
          const config = await this.runs.config(runId);
          const dataset = await this.runs.dataset(sample.datasetId, config.datasetName, model);
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
      const { model, format } = await this.runs.model(runId);
      const { dataset, points, indices } = await this.runs.pointImages(runId, chosen, model);
      const { pixels, errors } = await reconstruct(model, dataset.set, indices);
      const store = new ReconstructionStore(this.runs.directory(runId));
      return {
        runId,
        epoch: (await this.runs.newestCheckpointEpoch(runId)) ?? 0,
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
}
