// Over 300 lines: one run's map is one state machine (timeline, layouts on screen, projection jobs and
// their events share its fields); its parts with a job of their own (view, scores, means, bookmarks,
// exports, cursor) already live in their own files.
/**
 * The latent map of one run (the live training run, or the run opened from the Runs tab): its
 * points, the timeline of stored epochs, the layout on screen, and projection jobs with their
 * progress and failures. The engine computes every layout; this asks for them and decides which
 * one to show. By default the map follows the newest epoch; scrubbing the timeline to an older
 * one stops that until the user goes back to the newest (or presses Live).
 */
import { untrack } from 'svelte';
import type { Api } from '../../../shared/contract';
import type { MapBookmark, NewMapBookmark } from '../../../shared/map-bookmarks';
import {
  DEFAULT_PROJECTION_SETTINGS,
  PROJECTION_LABELS,
  mediaPaths,
  type LatentLayout,
  type LatentPoints,
  type ProjectionMethod,
  type ProjectionProgress,
  type ProjectionSettings,
  type ProjectionStopped,
} from '../../../shared/projection-types';
import type { LatentSnapshot } from '../../../shared/types';
import { formatEpoch } from '../lib/format';
import { copyProjection, projectionProblems, sameProjection, withMethod } from '../lib/projection-form';
import { DecodeCursorState } from './decode-cursor.svelte';
import { EpochMeansState } from './epoch-means.svelte';
import { MapBookmarksState } from './map-bookmarks.svelte';
import { MapExportState } from './map-export.svelte';
import { MapViewState } from './map-view.svelte';
import { PointScoresState } from './point-scores.svelte';

/** A projection the user asked for: with Compute, or by scrubbing to an epoch not laid out yet. */
export interface ProjectionJob {
  jobId: string;
  epoch: number;
  method: ProjectionMethod;
  cause: 'compute' | 'scrub';
}

/** Finished job ids remembered, in case a job ends before the reply that names it arrives. */
const ENDED_MEMORY = 32;

function withEpoch(epochs: readonly number[], epoch: number): number[] {
  if (!Number.isInteger(epoch) || epochs.includes(epoch)) return epochs as number[];
  return [...epochs, epoch].sort((a, b) => a - b);
}

export class LatentMapState {
  readonly #api: Api;
  readonly #liveRunId: () => string | null;
  runId = $state<string | null>(null);
  /** The run's display points: fixed for the run, fetched once it is shown. */
  points = $state.raw<LatentPoints | null>(null);
  /** Why the run shows no map (it has none stored, or the host refused). */
  unavailable = $state<string | null>(null);
  /** Epochs with stored latent codes, ascending: the timeline's stops. */
  epochs = $state.raw<number[]>([]);
  /** The layout on screen (an intermediate frame while an iterative method converges). */
  layout = $state.raw<LatentLayout | null>(null);
  /** Show each new epoch as it is laid out. */
  following = $state(true);
  /** The epoch scrubbed to, while not following. */
  viewedEpoch = $state<number | null>(null);
  /** The run's projection, as the engine lays out its epochs. */
  applied = $state.raw<ProjectionSettings>(DEFAULT_PROJECTION_SETTINGS);
  /** The projection being edited in the toolbar; Compute applies it. */
  draft = $state<ProjectionSettings>(copyProjection(DEFAULT_PROJECTION_SETTINGS));
  job = $state.raw<ProjectionJob | null>(null);
  /** Iterations of the job laying out what the map will show next (the user's or a live update). */
  progress = $state.raw<ProjectionProgress | null>(null);
  /** Asked the engine to start or cancel a job, no answer yet. */
  pending = $state<'compute' | 'cancel' | null>(null);
  failure = $state<string | null>(null);
  readonly view: MapViewState;
  readonly exports: MapExportState;
  /** What the model draws at the empty spot under the pointer. */
  readonly cursor: DecodeCursorState;
  /** Per-image −ELBO and its terms, fetched once something shows them. */
  readonly scores: PointScoresState;
  /** The timeline epoch's encoder means, fetched once something reads them. */
  readonly means: EpochMeansState;
  readonly bookmarks: MapBookmarksState;

  /** The layout the scatter can draw: one that fits the points. */
  drawn = $derived(
    this.layout && this.points && this.layout.count === this.points.count ? this.layout : null,
  );
  newestEpoch = $derived(this.epochs.at(-1) ?? null);
  /** The timeline's position. */
  timelineEpoch = $derived(this.following ? this.newestEpoch : this.viewedEpoch);
  live = $derived.by(() => this.runId !== null && this.#liveRunId() === this.runId);
  latentDim = $derived(this.points?.latentDim ?? 2);
  problems = $derived(projectionProblems(this.draft, this.latentDim));
  draftValid = $derived(Object.keys(this.problems).length === 0);
  /** Compute would lay out something other than what the map shows. */
  draftChanged = $derived(!sameProjection(this.draft, this.applied));
  canCompute = $derived(
    this.runId !== null && this.points !== null && this.draftValid && this.pending === null,
  );
  /** The timeline epoch's codes, when they are here and fit the points. */
  codes = $derived.by(() => {
    const codes = this.means.of(this.runId, this.timelineEpoch);
    return codes && codes.count === this.points?.count ? codes : null;
  });

  readonly #unsubscribes: (() => void)[];
  /** The newest final layout shown: what a cancelled job's half-converged frames give way to. */
  #lastFinal: LatentLayout | null = null;
  readonly #ended: string[] = [];
  #loadingPoints: Promise<LatentPoints | null> | null = null;
  #scrubSeq = 0;

  /** `liveRunId` names the run training now, if any: its map follows new epochs as they come. */
  constructor(api: Api, liveRunId: () => string | null) {
    this.#api = api;
    this.#liveRunId = liveRunId;
    this.scores = new PointScoresState(api);
    this.means = new EpochMeansState(api);
    this.bookmarks = new MapBookmarksState(api);
    this.view = new MapViewState(
      () => this.points,
      () => ({ scores: this.scores.scores, means: this.codes }),
    );
    this.exports = new MapExportState(api);
    this.cursor = new DecodeCursorState(api);
    this.#unsubscribes = [
      api.on('train:did-end-epoch', (snapshot) => this.#epochEnded(snapshot)),
      api.on('latent:did-update-layout', (layout) => this.#layoutArrived(layout)),
      api.on('latent:did-progress', (progress) => this.#progressed(progress)),
      api.on('latent:did-stop', (stopped) => this.#stopped(stopped)),
    ];
  }

  /** Shows a run's map (null: none). Showing the run already shown changes nothing. */
  show(runId: string | null): void {
    if (runId === this.runId) return;
    this.#reset();
    this.runId = runId;
    this.bookmarks.show(runId);
    if (runId !== null) void this.#open(runId);
  }

  /**
   * Asks for the per-image scores of the run's current model, once per model (an effect calls this
   * while something shows them; it re-runs when a new epoch changes the model).
   */
  wantScores(): void {
    const runId = this.runId;
    const epoch = this.newestEpoch;
    if (runId !== null) untrack(() => this.scores.want(runId, epoch));
  }

  /** Asks for the timeline epoch's encoder means (an effect calls this while something reads them). */
  wantMeans(): void {
    const runId = this.runId;
    const epoch = this.timelineEpoch;
    if (runId === null || epoch === null) return;
    untrack(() => this.means.want(runId, epoch, this.applied.method));
  }

  /**
   * The map as it is now, as a bookmark named `name` (the zoom comes from the scatter); null while
   * there is no laid-out epoch to come back to.
   */
  bookmark(name: string, zoom: { x: number; y: number; k: number }): NewMapBookmark | null {
    const epoch = this.timelineEpoch;
    const method = this.drawn?.method ?? this.applied.method;
    if (this.runId === null || epoch === null || !this.drawn) return null;
    const view = this.view;
    return {
      name,
      epoch,
      method,
      view: { x: zoom.x, y: zoom.y, k: zoom.k },
      colourBy: view.field,
      pinned: view.pinned,
      selection: Array.from(view.selection),
      hidden: [...view.hidden].sort((a, b) => a - b),
    };
  }

  /**
   * Brings a bookmark's map back: the timeline epoch, its layout method (when that layout is
   * stored: a bookmark never starts a long layout), the colour field, hidden categories, pinned
   * point and selection. The zoom is the scatter's to restore. Answers what could not be restored,
   * or null.
   */
  async restore(bookmark: MapBookmark): Promise<string | null> {
    const runId = this.runId;
    if (runId === null) return null;
    const count = this.points?.count ?? 0;
    const view = this.view;
    view.setColourBy(bookmark.colourBy);
    for (const category of bookmark.hidden) view.hidden.add(category);
    view.pinned = bookmark.pinned !== null && bookmark.pinned < count ? bookmark.pinned : null;
    view.choose(
      bookmark.selection.filter((i) => i < count),
      'bookmark',
    );
    view.showingSelected = false;
    if (!this.epochs.includes(bookmark.epoch)) return `${formatEpoch(bookmark.epoch)} is no longer stored.`;
    if (bookmark.method === this.applied.method) {
      this.scrub(bookmark.epoch);
      return null;
    }
    const stored = await this.#api.invoke('latent:get-epoch', {
      runId,
      epoch: bookmark.epoch,
      method: bookmark.method,
    });
    if (this.runId !== runId) return null;
    if (!stored.ok || !stored.value.layout) {
      this.scrub(bookmark.epoch);
      return `The ${PROJECTION_LABELS[bookmark.method]} layout of ${formatEpoch(bookmark.epoch).toLowerCase()} is not stored; shown with ${PROJECTION_LABELS[this.applied.method]}. Compute it with the Layout controls.`;
    }
    const { layout, means, latentDim } = stored.value;
    this.means.offer(runId, bookmark.epoch, means, latentDim);
    const settings = withMethod(this.applied, bookmark.method);
    this.#scrubSeq++;
    this.following = bookmark.epoch === this.newestEpoch;
    this.viewedEpoch = bookmark.epoch;
    this.failure = null;
    if (this.live) {
      // The engine lays out each new epoch of a training run with the run's projection, so it has
      // to hear of the method: Compute's path, as the Layout controls take.
      this.draft = settings;
      await this.compute();
      return null;
    }
    // Otherwise the stored layout is shown as the bookmark saw it: Compute would lay the epoch out
    // afresh (another picture, seconds for UMAP on many points) and the zoom would frame other points.
    if (this.job) void this.cancel();
    this.applied = settings;
    this.draft = copyProjection(settings);
    this.#display(layout);
    return null;
  }

  /** Moves the timeline to `epoch`: its stored layout, or one computed for it now. */
  scrub(epoch: number): void {
    if (this.runId === null || !this.epochs.includes(epoch)) return;
    this.following = epoch === this.newestEpoch;
    this.viewedEpoch = epoch;
    this.failure = null;
    // Whatever an earlier scrub still waits for is not wanted any more.
    this.#scrubSeq++;
    // A job for another epoch lays out something no longer looked at (Compute's settings stay the
    // run's, so the epoch scrubbed to is laid out with them).
    if (this.job && this.job.epoch !== epoch) void this.cancel();
    const shown = this.layout;
    if (shown?.epoch === epoch && shown.final && shown.method === this.applied.method) return;
    void this.#loadEpoch(this.runId, epoch);
  }

  /** Live on: back to the newest epoch and every new one. Live off: stay on the epoch shown. */
  setFollowing(follow: boolean): void {
    if (!follow) {
      this.following = false;
      // A part-way layout (fractional epoch) sits on the timeline at the epoch it grew from.
      const shown = this.layout?.epoch ?? Infinity;
      this.viewedEpoch = this.epochs.filter((e) => e <= shown).at(-1) ?? this.newestEpoch;
      return;
    }
    if (this.newestEpoch !== null) this.scrub(this.newestEpoch);
    this.following = true;
  }

  /** Applies the toolbar's projection: the run's later epochs use it too. */
  async compute(): Promise<void> {
    const runId = this.runId;
    if (runId === null || !this.canCompute) return;
    const settings = copyProjection(this.draft);
    const epoch = this.following ? null : this.viewedEpoch;
    if (this.job) await this.cancel();
    await this.#project(runId, epoch, settings, 'compute');
  }

  async cancel(): Promise<void> {
    const job = this.job;
    if (!job) return;
    this.pending = 'cancel';
    try {
      const result = await this.#api.invoke('job:cancel', { jobId: job.jobId });
      // Refused: the job is gone already (finished, or the engine restarted).
      if (!result.ok && this.job?.jobId === job.jobId) this.#endJob(job.jobId);
    } finally {
      this.pending = null;
    }
  }

  dismissFailure(): void {
    this.failure = null;
  }

  /** A display point's image, as the model sees it. */
  imageUrl(index: number): string | null {
    return this.runId === null ? null : this.#api.mediaUrl(mediaPaths.image(this.runId, index));
  }

  /**
   * A display point's reconstruction by the run's current model. The newest epoch rides along in
   * the query (the hosts ignore it) so a new model's reconstructions are not taken from a cache.
   */
  reconstructionUrl(index: number): string | null {
    if (this.runId === null) return null;
    const url = this.#api.mediaUrl(mediaPaths.reconstruction(this.runId, index));
    // The browser host's media addresses already carry a query (their key).
    return `${url}${url.includes('?') ? '&' : '?'}model=${this.newestEpoch ?? 0}`;
  }

  dispose(): void {
    for (const unsubscribe of this.#unsubscribes) unsubscribe();
  }

  #reset(): void {
    this.#scrubSeq++;
    this.points = null;
    this.unavailable = null;
    this.epochs = [];
    this.layout = null;
    this.#lastFinal = null;
    this.following = true;
    this.viewedEpoch = null;
    this.applied = DEFAULT_PROJECTION_SETTINGS;
    this.draft = copyProjection(DEFAULT_PROJECTION_SETTINGS);
    this.job = null;
    this.progress = null;
    this.pending = null;
    this.failure = null;
    this.#loadingPoints = null;
    this.view.reset();
    this.exports.reset();
    this.cursor.reset();
    this.scores.reset();
    this.means.reset();
  }

  async #open(runId: string): Promise<void> {
    const points = await this.#loadPoints(runId);
    if (!points || this.runId !== runId || this.layout) return;
    const newest = this.newestEpoch;
    if (newest !== null) await this.#loadEpoch(runId, newest);
  }

  /** Fetches the points once at a time; the timeline merges what the host and the events know. */
  #loadPoints(runId: string): Promise<LatentPoints | null> {
    if (this.#loadingPoints) return this.#loadingPoints;
    const loading = this.#fetchPoints(runId).finally(() => {
      if (this.#loadingPoints === loading) this.#loadingPoints = null;
    });
    this.#loadingPoints = loading;
    return loading;
  }

  async #fetchPoints(runId: string): Promise<LatentPoints | null> {
    const result = await this.#api.invoke('latent:get-points', { runId });
    if (this.runId !== runId) return null;
    if (!result.ok) {
      this.unavailable =
        result.code === 'NOT_FOUND'
          ? 'This run has no stored latent map: it was trained before maps were kept. Continue it to build one.'
          : `Could not load the map: ${result.message}`;
      return null;
    }
    const points = result.value;
    const first = this.points === null;
    this.points = points;
    this.unavailable = null;
    this.epochs = points.epochs.reduce(withEpoch, this.epochs);
    if (first) {
      this.applied = points.projection;
      this.draft = copyProjection(points.projection);
    }
    return points;
  }

  /** Shows an epoch's stored layout by the run's method; computes it when there is none. */
  async #loadEpoch(runId: string, epoch: number): Promise<void> {
    const seq = ++this.#scrubSeq;
    const method = this.applied.method;
    const result = await this.#api.invoke('latent:get-epoch', { runId, epoch, method });
    if (seq !== this.#scrubSeq || this.runId !== runId) return;
    if (!result.ok) {
      this.failure = `Could not load epoch ${epoch}: ${result.message}`;
      return;
    }
    const { layout, means, latentDim } = result.value;
    this.means.offer(runId, epoch, means, latentDim);
    if (layout) {
      if (this.#wants(layout)) this.#display(layout);
      return;
    }
    // The live run's newest epoch is being laid out already: its layout is on the way.
    if (this.live && this.following && epoch === this.newestEpoch) return;
    await this.#project(runId, epoch, this.applied, 'scrub', seq);
  }

  async #project(
    runId: string,
    epoch: number | null,
    settings: ProjectionSettings,
    cause: ProjectionJob['cause'],
    scrubSeq?: number,
  ): Promise<void> {
    this.pending = 'compute';
    this.failure = null;
    try {
      const result = await this.#api.invoke('latent:project', { runId, epoch, settings });
      if (this.runId !== runId) return;
      if (!result.ok) {
        this.failure = `Could not start the ${PROJECTION_LABELS[settings.method]} layout: ${result.message}`;
        return;
      }
      this.applied = settings;
      const { jobId } = result.value;
      // No jobId: the run has no epoch yet; its first one will use these settings.
      if (jobId === null || this.#ended.includes(jobId)) return;
      // The user scrubbed on while the job was being started: nobody looks at its epoch any more,
      // and scrub() found no job to cancel then.
      if (scrubSeq !== undefined && scrubSeq !== this.#scrubSeq) {
        void this.#api.invoke('job:cancel', { jobId });
        return;
      }
      this.job = { jobId, epoch: epoch ?? this.newestEpoch ?? 0, method: settings.method, cause };
    } finally {
      this.pending = null;
    }
  }

  #epochEnded(snapshot: LatentSnapshot): void {
    if (snapshot.runId === null || snapshot.runId !== this.runId) return;
    this.epochs = withEpoch(this.epochs, snapshot.epoch);
    // Points not fetched yet (or fetched before the run wrote them): ask again.
    if (!this.points || this.points.count !== snapshot.count) void this.#loadPoints(snapshot.runId);
  }

  #layoutArrived(layout: LatentLayout): void {
    if (layout.runId !== this.runId) return;
    if (layout.final) this.epochs = withEpoch(this.epochs, layout.epoch);
    const mine = layout.jobId !== null && this.job?.jobId === layout.jobId;
    if (this.#wants(layout, mine)) this.#display(layout);
    if (layout.final && layout.jobId !== null) this.#endJob(layout.jobId);
  }

  /** Whether a layout belongs on screen now. */
  #wants(layout: LatentLayout, mine = false): boolean {
    const shown = this.layout;
    // Following: newer epochs, and frames of the epoch on screen, never an older one.
    if (this.following) return shown === null || layout.epoch >= shown.epoch;
    if (layout.epoch !== this.viewedEpoch) return false;
    return mine || (layout.final && layout.method === this.applied.method);
  }

  #display(layout: LatentLayout): void {
    this.layout = layout;
    if (layout.final) this.#lastFinal = layout;
  }

  #progressed(progress: ProjectionProgress): void {
    if (progress.runId !== this.runId) return;
    const mine = this.job?.jobId === progress.jobId;
    // Someone else's job (a live update) matters only while its epoch is what comes next.
    if (mine || this.following) this.progress = progress;
  }

  #stopped(stopped: ProjectionStopped): void {
    if (stopped.runId !== this.runId) return;
    const mine = this.job?.jobId === stopped.jobId;
    const relevant = mine || this.progress?.jobId === stopped.jobId;
    this.#endJob(stopped.jobId);
    // A half-converged frame of the stopped job gives way to the last finished layout.
    const shown = this.layout;
    if (shown && !shown.final && shown.jobId === stopped.jobId && this.#lastFinal) {
      this.layout = this.#lastFinal;
    }
    if (stopped.reason === 'failed' && (relevant || this.following)) {
      this.failure = `Laying out epoch ${stopped.epoch} with ${PROJECTION_LABELS[stopped.method]} failed: ${stopped.message}`;
    }
  }

  #endJob(jobId: string): void {
    this.#ended.push(jobId);
    if (this.#ended.length > ENDED_MEMORY) this.#ended.shift();
    if (this.job?.jobId === jobId) this.job = null;
    if (this.progress?.jobId === jobId) this.progress = null;
  }
}
