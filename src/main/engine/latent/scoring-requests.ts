/**
 * The engine's answers to the requests that put images through a run's current model: scores of
 * the map's points (`latent:get-scores`, kept per checkpoint epoch in the layouts folder) and
 * images from outside the dataset placed on the map (`latent:place-images`), prepared exactly as
 * the run's dataset was.
 */
import type { RequestArgs } from '../../../shared/contract';
import type { Preprocessing } from '../../../shared/dataset-types';
import type { PlacedImage, PointScores, SkippedImage } from '../../../shared/projection-types';
import type { Result } from '../../../shared/result';
import type { ImageSet } from '../data/image-set';
import type { LoadedDataset } from '../data/loaded-dataset';
import { DECODE_REASONS, DecodeError, decodeImageBytes } from '../data/folder/decode-image';
import { encodeImages, type ImageFormat } from '../gallery/generate';
import { formatOf, readRunConfig } from '../gallery/gallery-runs';
import { reconstruct } from '../gallery/reconstructions';
import { answer, Refusal } from '../gallery/refusal';
import type { VaeModel } from '../model/vae-model';
import type { RunConfig } from '../train/run-store';
import { realignPoints } from './display-points';
import type { LayoutStore, StoredPoints } from './layout-store';
import { packScores, scoreImages, SCORE_SAMPLES, unpackScores, type ImageScores } from './point-scores';

/** The run's current model and which checkpoint it is. */
export interface CurrentModel {
  model: VaeModel;
  /** The epoch of the checkpoint it was loaded from, or the newest one saved while it trains. */
  epoch: number;
  /**
   * True when its weights are exactly that checkpoint's (an explored run, a completed job), so
   * scores by it may be kept; false while it trains on, or after a run stopped part-way.
   */
  exact: boolean;
}

/** What scoring needs from the engine host. */
export interface ScoringDependencies {
  runsRoot: string;
  /** An open dataset by id, or null when it is not open. */
  dataset(datasetId: string): Promise<LoadedDataset | null>;
  /** The run's current model (the gallery's), or null when it has none. */
  model(runId: string): Promise<CurrentModel | null>;
  /** The run's latent map files. */
  layouts(runId: string): LayoutStore;
}

export class ScoringRequests {
  /** Scores being computed for a checkpoint, so two asks at once compute them once. */
  private readonly inFlight = new Map<string, Promise<ImageScores>>();

  constructor(private readonly deps: ScoringDependencies) {}

  private config(runId: string): Promise<RunConfig> {
    return readRunConfig(this.deps.runsRoot, runId);
  }

  private async current(runId: string): Promise<CurrentModel & { format: ImageFormat }> {
    const current = await this.deps.model(runId);
    if (!current) throw new Refusal('NOT_FOUND', 'This run has no model to score with yet.');
    return { ...current, format: formatOf(current.model) };
  }

  async scores({ runId }: RequestArgs<'latent:get-scores'>): Promise<Result<PointScores>> {
    return answer(async () => {
      const config = await this.config(runId);
      const { model, epoch, exact } = await this.current(runId);
      const layouts = this.deps.layouts(runId);
      const points = await layouts.readPoints();
      if (!points) throw new Refusal('NOT_FOUND', 'That run has no latent map yet.');
      if (points.latentDim !== model.latentDim)
        throw new Refusal('NOT_FOUND', 'The map and the model differ.');
      const compute = () => this.scorePoints(config, points, model);
      let scores: ImageScores;
      if (exact) {
        const stored = await layouts.readScores(epoch, points.count);
        const kept = stored && unpackScores(stored, points.count);
        if (kept) scores = kept;
        else {
          const key = `${runId}\n${epoch}`;
          let pending = this.inFlight.get(key);
          if (!pending) {
            pending = compute()
              .then(async (computed) => {
                // Kept for next time; a full disk only costs the next call a recomputation.
                await layouts.writeScores(epoch, packScores(computed)).catch(() => undefined);
                return computed;
              })
              .finally(() => this.inFlight.delete(key));
            this.inFlight.set(key, pending);
          }
          scores = await pending;
        }
      } else {
        scores = await compute();
      }
      return { runId, epoch, count: points.count, samples: SCORE_SAMPLES, ...scores };
    });
  }

  /** Scores the map's points, found by file name in the dataset as it is now. */
  private async scorePoints(config: RunConfig, points: StoredPoints, model: VaeModel): Promise<ImageScores> {
    const dataset = await this.deps.dataset(points.datasetId);
    if (!dataset) {
      throw new Refusal(
        'NOT_FOUND',
        `Open the dataset "${config.datasetName}" of this run to score its images.`,
      );
    }
    if (dataset.set.size ** 2 * dataset.set.channels !== model.inputSize) {
      throw new Refusal('NOT_FOUND', 'The dataset no longer matches this run’s model.');
    }
    const realigned = realignPoints(points, dataset);
    if (!realigned) throw new Refusal('NOT_FOUND', 'Some of the map’s images are no longer in the dataset.');
    return scoreImages(model, dataset.set, realigned.datasetIndices, {
      likelihood: config.settings.likelihood,
    });
  }

  /**
   * How the run's images were prepared: as its config recorded, else as its open dataset says;
   * a run whose dataset is neither (an imported model) gets a centre crop on black at its model's
   * format.
   */
  private async preprocessingOf(config: RunConfig, format: ImageFormat): Promise<Preprocessing> {
    if (config.preprocessing) return config.preprocessing;
    const dataset = await this.deps.dataset(config.datasetId).catch(() => null);
    if (dataset) return dataset.summary.preprocessing;
    return {
      size: format.size as Preprocessing['size'],
      channels: format.channels === 1 ? 'grayscale' : 'rgb',
      fit: 'crop',
      background: '#000000',
    };
  }

  async place({
    runId,
    images,
  }: RequestArgs<'latent:place-images'>): Promise<
    Result<{ placed: PlacedImage[]; skipped: SkippedImage[] }>
  > {
    return answer(async () => {
      const config = await this.config(runId);
      const { model, format } = await this.current(runId);
      const preprocessing = await this.preprocessingOf(config, format);
      const channels = preprocessing.channels === 'grayscale' ? 1 : 3;
      if (preprocessing.size !== format.size || channels !== format.channels) {
        throw new Refusal(
          'NOT_FOUND',
          `The run's dataset is prepared as ${preprocessing.size}×${preprocessing.size} ${preprocessing.channels}, ` +
            `but its model reads ${format.size}×${format.size} ${format.channels === 1 ? 'grayscale' : 'rgb'}.`,
        );
      }
      const decoded: { name: string; pixels: Uint8Array }[] = [];
      const skipped: SkippedImage[] = [];
      // One at a time: each is a libvips decode of up to 25 MB, and the engine has training to do.
      for (const { name, bytes } of images) {
        try {
          decoded.push({ name, pixels: await decodeImageBytes(bytes, preprocessing) });
        } catch (error) {
          const reason =
            error instanceof DecodeError
              ? error.reason
              : DECODE_REASONS.other(error instanceof Error ? error.message : String(error));
          skipped.push({ name, reason });
        }
      }
      if (decoded.length === 0) return { placed: [], skipped };
      const stride = format.size * format.size * format.channels;
      const set: ImageSet = {
        pixels: new Uint8Array(decoded.length * stride),
        labels: new Uint8Array(decoded.length),
        count: decoded.length,
        size: format.size,
        channels: format.channels,
        classNames: [],
        metadata: [],
      };
      decoded.forEach(({ pixels }, i) => set.pixels.set(pixels, i * stride));
      const indices = decoded.map((_, i) => i);
      const means = await encodeImages(model, set, indices);
      const { pixels: reconstructions } = await reconstruct(model, set, indices);
      const { negElbo } = await scoreImages(model, set, indices, { likelihood: config.settings.likelihood });
      const dim = model.latentDim;
      const placed = decoded.map(({ name, pixels }, i): PlacedImage => ({
        name,
        mean: means.slice(i * dim, (i + 1) * dim),
        size: format.size,
        channels: format.channels,
        pixels: Uint8Array.from(pixels),
        reconstruction: reconstructions.slice(i * stride, (i + 1) * stride),
        negElbo: negElbo[i]!,
      }));
      return { placed, skipped };
    });
  }
}
