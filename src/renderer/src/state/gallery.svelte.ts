/**
 * The Gallery of the map's run: reconstructions of its fixed held-out sample (any stored epoch,
 * or of points selected on the map), samples from the prior, interpolations between two codes and
 * traversals of the most informative latent dimensions. The engine decodes; this keeps the
 * settings of each section, asks again when they change, and refreshes while the run trains.
 */
import type { Api } from '../../../shared/contract';
import {
  GALLERY_LIMITS,
  type DecodedImages,
  type InterpolationMode,
  type LatentAnchor,
  type ReconstructionSet,
  type TraversalImages,
} from '../../../shared/gallery-types';
import type { Result } from '../../../shared/result';
import { TRAIN_LIMITS } from '../../../shared/train-limits';
import { DecodeRequest } from './decode-request.svelte';
import { GalleryExportState } from './gallery-export.svelte';

export const ORIGIN: LatentAnchor = { kind: 'origin' };
const RECON_RETRIES = 10;
const RECON_RETRY_MS = 300;

function randomSeed(): number {
  return Math.floor(Math.random() * TRAIN_LIMITS.seed.max);
}

function clamp(value: number, limit: { min: number; max: number }): number {
  return Math.min(limit.max, Math.max(limit.min, value));
}

export class GalleryState {
  runId = $state<string | null>(null);

  /** The epoch the reconstructions show; null follows the newest. */
  reconEpoch = $state<number | null>(null);
  /** Reconstructions of the fixed sample, or of points selected on the map. */
  reconSource = $state<'sample' | 'selection'>('sample');
  readonly reconstructions = new DecodeRequest<ReconstructionSet>('the reconstructions');

  /** The prior grid is side × side images. */
  side = $state(8);
  temperature = $state(1);
  seed = $state(randomSeed());
  readonly samples = new DecodeRequest<DecodedImages>('prior samples');
  readonly samplesExport: GalleryExportState;

  from = $state.raw<LatentAnchor>({ kind: 'point', point: 0 });
  to = $state.raw<LatentAnchor>({ kind: 'point', point: 1 });
  mode = $state<InterpolationMode>('spherical');
  steps = $state(10);
  readonly interpolation = new DecodeRequest<DecodedImages>('the interpolation');
  readonly interpolationExport: GalleryExportState;

  around = $state.raw<LatentAnchor>(ORIGIN);
  dimensions = $state(6);
  traversalSteps = $state(9);
  range = $state(3);
  readonly traversal = new DecodeRequest<TraversalImages>('the traversal');
  readonly traversalExport: GalleryExportState;

  readonly #api: Api;
  readonly #visible: () => boolean;
  /** An epoch ended since the sections were decoded: the model changed. */
  #stale = false;
  /** The newest epoch the run is known to have ended: its reconstructions are on their way. */
  #newestEpoch = 0;
  #retry: ReturnType<typeof setTimeout> | null = null;
  /** Retries since the newest epoch ended (a host that never stores it is not asked forever). */
  #retries = 0;
  readonly #unsubscribe: () => void;

  /** `visible` says whether the Gallery is on screen (decoding for a hidden tab is wasted work). */
  constructor(api: Api, visible: () => boolean) {
    this.#api = api;
    this.#visible = visible;
    this.samplesExport = new GalleryExportState(api);
    this.interpolationExport = new GalleryExportState(api);
    this.traversalExport = new GalleryExportState(api);
    this.#unsubscribe = api.on('train:did-end-epoch', (snapshot) => {
      if (snapshot.runId === null || snapshot.runId !== this.runId) return;
      this.#stale = true;
      this.#newestEpoch = Math.max(this.#newestEpoch, snapshot.epoch);
      this.#retries = 0;
      if (this.#visible()) this.refresh();
    });
  }

  /** Shows a run (null: none): a new run starts from scratch, a changed model is decoded again. */
  show(runId: string | null): void {
    if (runId !== this.runId) {
      this.#reset();
      this.runId = runId;
      if (runId !== null) this.refresh();
    } else if (this.#stale) {
      this.refresh();
    }
  }

  /** Decodes every section again (after the model changed). */
  refresh(): void {
    this.#stale = false;
    if (this.reconSource === 'sample') void this.loadReconstructions();
    void this.sample();
    void this.interpolate();
    void this.traverse();
  }

  setReconEpoch(epoch: number | null): void {
    this.reconEpoch = epoch;
    this.reconSource = 'sample';
    void this.loadReconstructions();
  }

  async loadReconstructions(): Promise<void> {
    const runId = this.runId;
    if (runId === null) return;
    const epoch = this.reconEpoch;
    const set = await this.reconstructions.run(() =>
      this.#api.invoke('gallery:reconstructions', { runId, epoch }),
    );
    // The engine stores an epoch's reconstructions just after announcing the epoch: following the
    // newest, ask again shortly until they are there.
    if (set && epoch === null && set.epoch < this.#newestEpoch) this.#retryReconstructions();
  }

  #retryReconstructions(): void {
    if (this.#retry !== null || this.#retries >= RECON_RETRIES) return;
    this.#retries++;
    this.#retry = setTimeout(() => {
      this.#retry = null;
      if (this.reconEpoch === null && this.reconSource === 'sample') void this.loadReconstructions();
    }, RECON_RETRY_MS);
  }

  /** Reconstructs points chosen on the map (the first few hundred of a big selection). */
  async reconstructPoints(points: readonly number[]): Promise<void> {
    const runId = this.runId;
    if (runId === null || points.length === 0) return;
    this.reconSource = 'selection';
    const chosen = points.slice(0, GALLERY_LIMITS.sampleCount.max);
    await this.reconstructions.run(() =>
      this.#api.invoke('gallery:reconstruct-points', { runId, points: chosen }),
    );
  }

  async sample(): Promise<void> {
    await this.#decode(this.samples, (runId) =>
      this.#api.invoke('gallery:sample', {
        runId,
        count: this.side * this.side,
        temperature: clamp(this.temperature, GALLERY_LIMITS.temperature),
        seed: this.seed,
      }),
    );
  }

  reseed(): void {
    this.seed = randomSeed();
    void this.sample();
  }

  async interpolate(): Promise<void> {
    await this.#decode(this.interpolation, (runId) =>
      this.#api.invoke('gallery:interpolate', {
        runId,
        from: this.from,
        to: this.to,
        steps: clamp(this.steps, GALLERY_LIMITS.steps),
        mode: this.mode,
      }),
    );
  }

  setEndpoint(end: 'from' | 'to', anchor: LatentAnchor): void {
    this[end] = anchor;
    void this.interpolate();
  }

  swapEndpoints(): void {
    [this.from, this.to] = [this.to, this.from];
    void this.interpolate();
  }

  async traverse(): Promise<void> {
    await this.#decode(this.traversal, (runId) =>
      this.#api.invoke('gallery:traverse', {
        runId,
        around: this.around,
        dimensions: clamp(this.dimensions, GALLERY_LIMITS.traversalDimensions),
        steps: clamp(this.traversalSteps, GALLERY_LIMITS.traversalSteps),
        range: clamp(this.range, GALLERY_LIMITS.traversalRange),
      }),
    );
  }

  setAround(anchor: LatentAnchor): void {
    this.around = anchor;
    void this.traverse();
  }

  dispose(): void {
    this.#unsubscribe();
    if (this.#retry !== null) clearTimeout(this.#retry);
  }

  /** Sends one section's request for the run shown, if any (its settings are read as it is sent). */
  async #decode<T>(request: DecodeRequest<T>, send: (runId: string) => Promise<Result<T>>): Promise<void> {
    const runId = this.runId;
    if (runId === null) return;
    await request.run(() => send(runId));
  }

  #reset(): void {
    this.#stale = false;
    this.#newestEpoch = 0;
    if (this.#retry !== null) clearTimeout(this.#retry);
    this.#retry = null;
    this.reconEpoch = null;
    this.reconSource = 'sample';
    this.from = { kind: 'point', point: 0 };
    this.to = { kind: 'point', point: 1 };
    this.around = ORIGIN;
    for (const request of [this.reconstructions, this.samples, this.interpolation, this.traversal]) {
      request.reset();
    }
    for (const exports of [this.samplesExport, this.interpolationExport, this.traversalExport]) {
      exports.reset();
    }
  }
}
