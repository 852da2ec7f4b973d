/**
 * Keeps every run's latent map up to date: stores each epoch's encoder means, lays them out with
 * the run's projection warm-started from the epoch before, aligns the result to the layout shown
 * before it (so points glide instead of flipping or spinning), stores it, and announces it, with
 * intermediate frames while an iterative method converges. Users can re-project any stored epoch
 * with other settings, and cancel. Live updates never queue up: while one is computing, only the
 * newest epoch waits, so a slow method skips epochs rather than falling behind.
 */
import { randomUUID } from 'node:crypto';
import type { Events } from '../../../shared/contract';
import type { LatentLayout, ProjectionMethod, ProjectionSettings } from '../../../shared/projection-types';
import { fail, ok, type Result } from '../../../shared/result';
import { alignToPrevious } from '../projection/align';
import { RunStore } from '../train/run-store';
import { LayoutStore, type StoredPoints } from './layout-store';
import type { ProjectionRunner, RunningProjection } from './projection-runner';

type Emit = <E extends 'latent:did-update-layout' | 'latent:did-progress' | 'latent:did-stop'>(
  name: E,
  payload: Events[E],
) => void;

/** Intermediate frames at most this often: enough to watch a layout converge, cheap to send. */
const FRAME_INTERVAL_MS = 250;

/** A live update waiting its turn: an epoch's stored means, or means from part-way through one. */
interface LiveUpdate {
  epoch: number;
  /** Part-way updates are drawn but not stored: the timeline holds whole epochs. */
  partWay: Float32Array | null;
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

function centred(positions: Float32Array): Float32Array {
  const count = positions.length / 2;
  let x = 0;
  let y = 0;
  for (let i = 0; i < count; i++) {
    x += positions[i * 2]!;
    y += positions[i * 2 + 1]!;
  }
  x /= count || 1;
  y /= count || 1;
  const out = new Float32Array(positions.length);
  for (let i = 0; i < count; i++) {
    out[i * 2] = positions[i * 2]! - x;
    out[i * 2 + 1] = positions[i * 2 + 1]! - y;
  }
  return out;
}

export class Projector {
  private readonly live = new Map<string, LiveQueue>();
  private readonly jobs = new Map<string, Job>();
  /** The last final layout announced per run: what the next one is aligned to. */
  private readonly shown = new Map<string, Float32Array>();
  private readonly shownMethod = new Map<string, ProjectionMethod>();

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
    await this.store(runId).writeMeans(epoch, means);
    this.queueLive(runId, { epoch, partWay: null });
  }

  /** Means from part-way through an epoch (`epoch` is fractional): drawn if the worker is free. */
  partWay(runId: string, epoch: number, means: Float32Array): void {
    const queue = this.live.get(runId);
    // Never let a part-way frame replace a whole epoch that is still waiting.
    if (queue?.pending && queue.pending.partWay === null) return;
    this.queueLive(runId, { epoch, partWay: means });
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
      while (queue.pending !== null) {
        const { epoch, partWay } = queue.pending;
        queue.pending = null;
        const store = this.store(runId);
        const points = await store.readPoints();
        if (!points) return;
        const settings = await store.readProjection(points.latentDim);
        await this.compute(`live-${randomUUID()}`, runId, epoch, settings, points, partWay).catch(
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
    // Replies first: the job's events must never arrive before the caller knows its id.
    setImmediate(() => void this.compute(jobId, runId, target, settings, points).catch(() => undefined));
    return ok({ jobId });
  }

  cancel(jobId: string): boolean {
    const job = this.jobs.get(jobId);
    job?.running.cancel();
    return job !== undefined;
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
  ): Promise<void> {
    const store = this.store(runId);
    const { method } = settings;
    const means = partWay ?? (await store.readMeans(epoch, points));
    if (!means) {
      this.emit('latent:did-stop', {
        jobId,
        runId,
        epoch,
        method,
        reason: 'failed',
        message: `The latent codes of epoch ${epoch} are missing or damaged.`,
      });
      return;
    }
    const shown = this.shown.get(runId);
    // Part-way frames continue from whatever is on screen when it is the same method.
    const init =
      partWay && shown && this.shownMethod.get(runId) === method && method !== 'pca' && method !== 'axes'
        ? shown
        : await this.warmStart(store, Math.ceil(epoch), method, points.count);
    const reference = shown && shown.length === points.count * 2 ? shown : init;
    const layoutOf = (positions: Float32Array, final: boolean): LatentLayout => ({
      runId,
      jobId,
      epoch,
      method,
      count: points.count,
      positions: alignToPrevious(centred(positions), reference),
      final,
    });
    let lastFrame = 0;
    const running = this.runner.run(
      { values: means, count: points.count, dim: points.latentDim, settings, init },
      (done, total, positions) => {
        const now = performance.now();
        if (now - lastFrame < FRAME_INTERVAL_MS) return;
        lastFrame = now;
        this.emit('latent:did-progress', { jobId, runId, epoch, method, done, total });
        if (positions) this.emit('latent:did-update-layout', layoutOf(positions, false));
      },
    );
    this.jobs.set(jobId, { runId, epoch, method, running });
    try {
      const outcome = await running.result;
      if (!outcome) {
        this.emit('latent:did-stop', {
          jobId,
          runId,
          epoch,
          method,
          reason: 'cancelled',
          message: 'The projection was cancelled.',
        });
        return;
      }
      const layout = layoutOf(outcome.positions, true);
      if (!partWay) await store.writeLayout(epoch, method, layout.positions);
      this.shown.set(runId, layout.positions);
      this.shownMethod.set(runId, method);
      this.emit('latent:did-update-layout', layout);
    } catch (error) {
      this.emit('latent:did-stop', {
        jobId,
        runId,
        epoch,
        method,
        reason: 'failed',
        message: error instanceof Error ? error.message : String(error),
      });
    } finally {
      this.jobs.delete(jobId);
    }
  }
}
