/**
 * The model as it was at the end of one epoch, for decoding spots of that epoch's map. The map's
 * codes came from that epoch's encoder, so the newest decoder would draw what the map never
 * showed. The model is loaded from the epoch's checkpoint and kept, one at a time, while the
 * pointer sweeps over the same map; an epoch whose checkpoint was pruned is refused by name.
 */
import { stat } from 'node:fs/promises';
import type { TrainSettings } from '../../../shared/train-settings';
import { createModel } from '../model/create-model';
import type { VaeModel } from '../model/vae-model';
import { listCheckpoints, readCheckpoint, restoreModel } from '../train/checkpoint';

/** The epoch's checkpoint is gone (only the newest few and the best are kept). */
export class EpochNotKeptError extends Error {
  override name = 'EpochNotKeptError';

  constructor(
    readonly epoch: number,
    /** Epochs whose model is still there, ascending. */
    readonly kept: number[],
  ) {
    super(
      `Epoch ${epoch}’s model is no longer kept (a run keeps the checkpoints of its newest epochs and ` +
        `its best), so this map cannot be decoded.` +
        (kept.length > 0 ? ` Epochs that can: ${kept.join(', ')}.` : ''),
    );
  }
}

export interface EpochModelSource {
  checkpointsDir: string;
  epoch: number;
  settings: Pick<TrainSettings, 'model' | 'likelihood' | 'latentDim' | 'width' | 'depth' | 'seed'>;
  format: { size: number; channels: 1 | 3 };
  /**
   * The run's model in hand (the training job's or the explored one): used only for an epoch newer
   * than every checkpoint, whose map exists before its checkpoint does.
   */
  current: VaeModel;
}

export class EpochModels {
  /** The last checkpoint loaded, keyed by its folder's identity (a re-saved epoch is a new folder). */
  private cached: { key: string; model: VaeModel } | null = null;
  /** Uses run one after another, so a model being decoded with is never disposed under it. */
  private queue: Promise<unknown> = Promise.resolve();

  /** Runs `work` with the model of `source.epoch`; rejects with EpochNotKeptError if it is gone. */
  use<T>(source: EpochModelSource, work: (model: VaeModel) => Promise<T>): Promise<T> {
    const next = this.queue.then(async () => work(await this.load(source)));
    this.queue = next.catch(() => undefined);
    return next;
  }

  dispose(): void {
    this.cached?.model.dispose();
    this.cached = null;
  }

  private async load(source: EpochModelSource): Promise<VaeModel> {
    const checkpoints = await listCheckpoints(source.checkpointsDir);
    const kept = checkpoints.map((c) => c.epoch);
    const found = checkpoints.find((c) => c.epoch === source.epoch);
    if (!found) {
      if (source.epoch > (kept.at(-1) ?? 0)) return source.current;
      throw new EpochNotKeptError(source.epoch, kept);
    }
    const folder = await stat(found.directory).catch(() => null);
    // Pruned between listing and now.
    if (!folder)
      throw new EpochNotKeptError(
        source.epoch,
        kept.filter((e) => e !== source.epoch),
      );
    const key = `${found.directory}\n${folder.ino}\n${folder.mtimeMs}`;
    if (this.cached?.key === key) return this.cached.model;
    const checkpoint = await readCheckpoint(found.directory);
    const model = createModel(source.settings, source.format.size, source.format.channels);
    try {
      restoreModel(model, checkpoint);
    } catch (error) {
      model.dispose();
      throw error;
    }
    this.dispose();
    this.cached = { key, model };
    return model;
  }
}
