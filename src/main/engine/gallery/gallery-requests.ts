/**
 * The engine's answers to the gallery requests that decode codes into images: prior samples,
 * interpolations, traversals, given codes, and spots of the map. Everything decodes with the run's
 * current model (the training job's, the explored run's, or its newest checkpoint), which the host
 * hands in; a spot of the map decodes with the model of the epoch the map shows.
 */
import {
  GALLERY_LIMITS,
  type DecodedImages,
  type LatentAnchor,
  type MapSpot,
} from '../../../shared/gallery-types';
import type { Result } from '../../../shared/result';
import type { RequestArgs } from '../../../shared/contract';
import type { VaeModel } from '../model/vae-model';
import { RunStore } from '../train/run-store';
import { decodeLatents, encodeImages, interpolateLatents, samplePrior, traversalLatents } from './generate';
import { EpochModels, EpochNotKeptError } from './epoch-model';
import { codeCount, GalleryRuns, type GalleryDependencies } from './gallery-runs';
import { latentsAtSpots } from './map-spot';
import { answer, Refusal } from './refusal';

export class GalleryRequests {
  /** Past epochs' models for decode-at-cursor. */
  private readonly epochModels = new EpochModels();
  private readonly runs: GalleryRuns;

  constructor(deps: GalleryDependencies) {
    this.runs = new GalleryRuns(deps);
  }

  async sampleImages({ runId, count, temperature, seed }: RequestArgs<'gallery:sample'>) {
    return answer(async () => {
      const { model, format } = await this.runs.model(runId);
      return samplePrior(model, format, { count, temperature, seed });
    });
  }

  /** A map point's encoder mean (encoded now, by the current model), or the prior's centre. */
  private async anchorCode(runId: string, anchor: LatentAnchor, model: VaeModel): Promise<Float32Array> {
    if (anchor.kind === 'origin') return new Float32Array(model.latentDim);
    const { dataset, indices } = await this.runs.pointImages(runId, [anchor.point], model);
    return encodeImages(model, dataset.set, indices);
  }

  async interpolate({ runId, from, to, steps, mode }: RequestArgs<'gallery:interpolate'>) {
    return answer(async () => {
      const { model, format } = await this.runs.model(runId);
      const start = await this.anchorCode(runId, from, model);
      const end = await this.anchorCode(runId, to, model);
      return decodeLatents(model, interpolateLatents(start, end, steps, mode), format);
    });
  }

  /** The dimensions carrying the most KL at the newest epoch (the ones that encode something). */
  private async busiestDimensions(runId: string, latentDim: number, wanted: number): Promise<number[]> {
    const metrics = await RunStore.open(this.runs.deps.runsRoot, runId).readMetrics();
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
      const { model, format } = await this.runs.model(runId);
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
    const { model, format } = await this.runs.model(runId);
    const points = await this.runs.points(runId);
    const layouts = this.runs.deps.layouts(runId);
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
    const { settings } = await this.runs.config(runId);
    const source = {
      checkpointsDir: RunStore.open(this.runs.deps.runsRoot, runId).checkpointsDir,
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
      const { model, format } = await this.runs.model(runId);
      const count = codeCount(latents, model);
      if (count > GALLERY_LIMITS.sampleCount.max) {
        throw new Refusal(
          'INVALID_PAYLOAD',
          `${count} codes at once; at most ${GALLERY_LIMITS.sampleCount.max} are decoded per request.`,
        );
      }
      return decodeLatents(model, latents, format);
    });
  }
}
