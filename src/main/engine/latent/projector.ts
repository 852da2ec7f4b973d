// Over 300 lines: one class whose live queue, jobs and per-run state interlock (helpers are apart).
/**
 * Keeps every run's latent map up to date: stores each epoch's encoder means, lays them out with
 * the run's projection warm-started from the epoch before, aligns the result to the layout shown
 * before it (so points glide instead of flipping or spinning), stores it, and announces it, with
 * intermediate frames while an iterative method converges. Users can re-project any stored epoch
 * with other settings, and cancel. Live updates never queue up: while one is computing, only the
 * newest epoch waits, so a slow method skips epochs rather than falling behind.
 *
 * While training runs, t-SNE and UMAP lay out a fixed sample with capped iterations and place the
 * other points by their latent neighbours, and send no intermediate frames: the map then costs
 * training a few percent whatever its size (`npm run bench -- map-cost`). When training ends, the
 * newest epoch gets the full layout, warm-started from the live one.
 */
import { randomUUID } from 'node:crypto';
import type { Events } from '../../../shared/contract';
import type {
  LatentLayout,
  ProjectionMethod,
  ProjectionSettings,
  ProjectionStopped,
} from '../../../shared/projection-types';
import { fail, ok, type Result } from '../../../shared/result';
import { alignToPrevious, centred } from '../projection/align';
import { RunStore } from '../train/run-store';
import { LayoutStore, type StoredPoints } from './layout-store';
import type { ProjectionRunner, RunningProjection } from './projection-runner';

type Emit = <E extends 'latent:did-update-layout' | 'latent:did-progress' | 'latent:did-stop'>(
  name: E,
  payload: Events[E],
) => void;

/** Intermediate frames at most this often: enough to watch a layout converge, cheap to send. */
const FRAME_INTERVAL_MS = 250;

/**
 * The live map's budget while training shares the cores. 2,000 points keep the classes' shapes on
 * MNIST (10-NN label agreement 0.85 vs 0.93 for all 10,000) at a fifth of the kNN and force work;
 * a warm update then takes well under a second, and a first layout a few seconds.
 */
export const LIVE_BUDGET = {
  /** Points t-SNE / UMAP lay out; the rest are placed by their nearest sampled codes. */
  sample: 2_000,
  /** Iterations of a live layout from scratch (t-SNE's early exaggeration fits in the first quarter). */
  coldIterations: { tsne: 250, umap: 200 },
  /** Iterations of a warm-started live update. */
  warmIterations: { tsne: 25, umap: 20 },
} as const;

/** Share of the run's iterations the full layout at the end runs, warm-started from the live one. */
const FINAL_ITERATION_FRACTION = 0.5;

/**
 * A live update waiting its turn: an epoch's stored means, means from part-way through one, or
 * (training over) the newest epoch's full layout.
 */
interface LiveUpdate {
  epoch: number;
  /** Part-way updates are drawn but not stored: the timeline holds whole epochs. */
  partWay: Float32Array | null;
  /** The full layout that follows training: every point, the run's iterations, frames shown. */
  full?: boolean;
}

/** How long the last live layout of a run took, to estimate the full one that ends training. */
interface LiveTiming {
  seconds: number;
  /** Points the method laid out (all of them when no sample was needed). */
  laidOut: number;
  count: number;
  iterations: number;
  method: ProjectionMethod;
  /** Iterations the full layout at the end will run. */
  finalIterations: number;
}

interface LiveQueue {
  running: boolean;
  pending: LiveUpdate | null;
}

interface Job {
  runId: string;
  epoch: number;
  method: ProjectionMethod;
  running: RunningProjection;
}

export class Projector {
  private readonly live = new Map<string, LiveQueue>();
  private readonly jobs = new Map<string, Job>();
  /** The last final layout announced per run: what the next one is aligned to. */
  private readonly shown = new Map<string, Float32Array>();
  private readonly shownMethod = new Map<string, ProjectionMethod>();
  /** Runs whose newest live layout was sampled: the full layout is owed when training ends. */
  private readonly owed = new Map<string, number>();
  private readonly timings = new Map<string, LiveTiming>();
  /** Runs training now (an epoch ended, training has not): their newest epoch gets the live budget. */
  private readonly training = new Set<string>();
  /** Runs whose training ended: once their live queue is empty, the owed full layout runs. */
  private readonly ended = new Set<string>();
  /** Each run's latest epoch-end write of means (what trainingEnded waits for). */
  private readonly epochWrites = new Map<string, Promise<void>>();

  constructor(
    private readonly runsRoot: string,
    private readonly runner: ProjectionRunner,
    private readonly emit: Emit,
  ) {}

  store(runId: string): LayoutStore {
    return new LayoutStore(RunStore.open(this.runsRoot, runId).directory);
  }

  /** A training epoch ended: keep its means and lay them out (or queue that behind the current one). */
  async epochEnded(runId: string, epoch: number, means: Float32Array): Promise<void> {
    this.training.add(runId);
    const written = this.store(runId)
      .writeMeans(epoch, means)
      .then(() => this.queueLive(runId, { epoch, partWay: null }));
    this.epochWrites.set(
      runId,
      written.catch(() => undefined),
    );
    await written;
  }

  /** Means from part-way through an epoch (`epoch` is fractional): drawn if the worker is free. */
  partWay(runId: string, epoch: number, means: Float32Array): void {
    const queue = this.live.get(runId);
    // Never let a part-way frame replace a whole epoch that is still waiting.
    if (queue?.pending && queue.pending.partWay === null) return;
    this.queueLive(runId, { epoch, partWay: means });
  }

  /**
   * Training of the run ended (completed, stopped or cancelled): lays out its newest epoch in full
   * when the live map showed a sample of it.
   */
  trainingEnded(runId: string): void {
    this.training.delete(runId);
    // After the last epoch's means are stored and its live update queued: the full layout comes
    // after that update, from what it showed.
    void (this.epochWrites.get(runId) ?? Promise.resolve()).then(() => {
      this.ended.add(runId);
      const queue = this.live.get(runId) ?? { running: false, pending: null };
      this.live.set(runId, queue);
      if (!queue.running) void this.drainLive(runId, queue);
    });
  }

  /**
   * Seconds the full layout at the end of training should take, from the run's last live layout
   * scaled by points and iterations (0 when none is owed): what the ETA adds.
   */
  finishingEstimate(runId: string): number {
    const timing = this.timings.get(runId);
    if (!timing || !this.owed.has(runId) || timing.laidOut >= timing.count) return 0;
    // Measured on 10,000 MNIST codes: a warm live update (2,000 points, 20–25 iterations) takes
    // 0.6 s and the full layout at the end (500 iterations) 6.8–8.8 s, about the points ratio to
    // the 1.5th power (the exact kNN grows quadratically, the iterations linearly). Iterations
    // beyond those defaults (25× the live update's) add time as their square root: a middle
    // between fixed setup and per-iteration cost.
    const points = timing.count / timing.laidOut;
    const iterations = Math.sqrt(Math.max(1, timing.finalIterations / (25 * Math.max(1, timing.iterations))));
    return timing.seconds * points ** 1.5 * iterations;
  }

  private queueLive(runId: string, update: LiveUpdate): void {
    const queue = this.live.get(runId) ?? { running: false, pending: null };
    this.live.set(runId, queue);
    queue.pending = update;
    if (!queue.running) void this.drainLive(runId, queue);
  }

  private async drainLive(runId: string, queue: LiveQueue): Promise<void> {
    queue.running = true;
    try {
      for (;;) {
        if (queue.pending === null) {
          const owed = this.ended.has(runId) ? this.owed.get(runId) : undefined;
          this.ended.delete(runId);
          if (owed === undefined) break;
          this.owed.delete(runId);
          queue.pending = { epoch: owed, partWay: null, full: true };
        }
        const { epoch, partWay, full } = queue.pending;
        queue.pending = null;
        const store = this.store(runId);
        const points = await store.readPoints();
        if (!points) return;
        const settings = await store.readProjection(points.latentDim);
        const budget = full ? 'full' : 'live';
        await this.compute(`live-${randomUUID()}`, runId, epoch, settings, points, partWay, budget).catch(
          () => undefined,
        );
      }
    } finally {
      queue.running = false;
    }
  }

  /** Makes `settings` the run's projection and lays out `epoch` (null: the newest) with it. */
  async project(
    runId: string,
    epoch: number | null,
    settings: ProjectionSettings,
  ): Promise<Result<{ jobId: string | null }>> {
    const store = this.store(runId);
    const points = await store.readPoints();
    if (!points) return fail('NOT_FOUND', 'That run has no latent map yet; train at least one epoch.');
    await store.writeProjection(settings);
    const epochs = await store.epochs();
    const target = epoch ?? epochs.at(-1) ?? null;
    if (target === null) return ok({ jobId: null });
    if (!epochs.includes(target))
      return fail('NOT_FOUND', `Epoch ${target} of that run has no latent codes.`);
    const jobId = randomUUID();
    // While the run trains, its newest epoch is laid out within the live budget too (choosing UMAP
    // mid-run must not stall training); the full layout follows when training ends.
    const budget = this.training.has(runId) && target === epochs.at(-1) ? 'live' : 'asked';
    // Replies first: the job's events must never arrive before the caller knows its id.
    setImmediate(
      () => void this.compute(jobId, runId, target, settings, points, null, budget).catch(() => undefined),
    );
    return ok({ jobId });
  }

  cancel(jobId: string): boolean {
    const job = this.jobs.get(jobId);
    job?.running.cancel();
    return job !== undefined;
  }

  /** The run's folder is going away: its layouts stop and nothing more is written for it. */
  forget(runId: string): void {
    for (const job of this.jobs.values()) if (job.runId === runId) job.running.cancel();
    for (const runs of [this.live, this.shown, this.shownMethod, this.owed, this.timings, this.epochWrites]) {
      runs.delete(runId);
    }
    this.training.delete(runId);
    this.ended.delete(runId);
  }

  /** The layout to warm-start from: the same method's at the nearest earlier (else later) epoch. */
  private async warmStart(
    store: LayoutStore,
    epoch: number,
    method: ProjectionMethod,
    count: number,
  ): Promise<Float32Array | undefined> {
    if (method === 'pca' || method === 'axes') return undefined;
    const epochs = (await store.epochs()).filter((e) => e !== epoch);
    // Earlier epochs win ties: the map grows out of its past.
    const distance = (e: number) => Math.abs(e - epoch) + (e > epoch ? 0.5 : 0);
    const byDistance = epochs.sort((a, b) => distance(a) - distance(b));
    for (const candidate of byDistance) {
      const layout = await store.readLayout(candidate, method, count);
      if (layout) return layout;
    }
    return undefined;
  }

  private async compute(
    jobId: string,
    runId: string,
    epoch: number,
    settings: ProjectionSettings,
    points: StoredPoints,
    partWay: Float32Array | null = null,
    /** live: the training-time budget; full: the layout that ends training; asked: a user's request. */
    budget: 'live' | 'full' | 'asked' = 'asked',
  ): Promise<void> {
    const store = this.store(runId);
    const { method } = settings;
    const stop = (reason: ProjectionStopped['reason'], message: string) =>
      this.emit('latent:did-stop', { jobId, runId, epoch, method, reason, message });
    const iterative = method === 'tsne' || method === 'umap';
    const live = budget === 'live' && iterative;
    const means = partWay ?? (await store.readMeans(epoch, points));
    if (!means) {
      stop('failed', `The latent codes of epoch ${epoch} are missing or damaged.`);
      return;
    }
    const shown = this.shown.get(runId);
    // Part-way frames continue from whatever is on screen when it is the same method.
    const sameShown = shown && shown.length === points.count * 2 && this.shownMethod.get(runId) === method;
    const init =
      (partWay || budget === 'full') && sameShown && iterative
        ? shown
        : await this.warmStart(store, Math.ceil(epoch), method, points.count);
    const reference = shown && shown.length === points.count * 2 ? shown : init;
    let sampled: number | null = null;
    const layoutOf = (positions: Float32Array, final: boolean): LatentLayout => ({
      runId,
      jobId,
      epoch,
      method,
      count: points.count,
      positions: alignToPrevious(centred(positions), reference),
      final,
      sampled,
    });
    let lastFrame = 0;
    const started = performance.now();
    const finalIterations = Math.max(1, Math.round(settings.iterations * FINAL_ITERATION_FRACTION));
    const liveBudget = live
      ? {
          sample: LIVE_BUDGET.sample,
          coldIterations: LIVE_BUDGET.coldIterations[method],
          warmIterations: LIVE_BUDGET.warmIterations[method],
        }
      : budget === 'full'
        ? { warmIterations: finalIterations }
        : {};
    const running = this.runner.run(
      { values: means, count: points.count, dim: points.latentDim, settings, init, ...liveBudget },
      (done, total, positions) => {
        const now = performance.now();
        if (now - lastFrame < FRAME_INTERVAL_MS) return;
        lastFrame = now;
        this.emit('latent:did-progress', { jobId, runId, epoch, method, done, total });
        // Live updates send only their result: frames would have the renderer redraw the whole map
        // several times a second on the cores training needs.
        if (positions && !live) this.emit('latent:did-update-layout', layoutOf(positions, false));
      },
    );
    this.jobs.set(jobId, { runId, epoch, method, running });
    try {
      const outcome = await running.result;
      if (!outcome) {
        stop('cancelled', 'The projection was cancelled.');
        return;
      }
      sampled = outcome.sampled ?? null;
      const layout = layoutOf(outcome.positions, true);
      if (live) {
        const iterations = init ? LIVE_BUDGET.warmIterations[method] : LIVE_BUDGET.coldIterations[method];
        this.timings.set(runId, {
          seconds: (performance.now() - started) / 1000,
          laidOut: sampled ?? points.count,
          count: points.count,
          iterations,
          method,
          finalIterations,
        });
        if (sampled !== null && !partWay) this.owed.set(runId, epoch);
      }
      // A full layout of the epoch the end of training owes settles the debt.
      if (!live && this.owed.get(runId) === epoch) this.owed.delete(runId);
      if (!partWay) await store.writeLayout(epoch, method, layout.positions, sampled);
      this.shown.set(runId, layout.positions);
      this.shownMethod.set(runId, method);
      this.emit('latent:did-update-layout', layout);
    } catch (error) {
      stop('failed', error instanceof Error ? error.message : String(error));
    } finally {
      this.jobs.delete(jobId);
    }
  }
}
