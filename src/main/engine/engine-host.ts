/**
 * The engine's side of the protocol: picks the backend, then runs commands. One training run at a
 * time, dataset scans alongside it; its model stays loaded after the run for later inference.
 * Every reply's error message leaves here in plain words (a full or read-only data folder says so)
 * and without absolute paths (a path in the data folder is given relative to it).
 */
import { randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Events } from '../../shared/contract';
import { fail, ok, type Result } from '../../shared/result';
import type { SpeedProbe } from '../../shared/training-estimate';
import type { BackendName, BackendPreference, TrainState } from '../../shared/types';
import { selectBackend } from './backend';
import { DatasetRegistry } from './data/dataset-registry';
import { NoImagesError } from './data/folder/folder-dataset';
import { previewFolder } from './data/folder/preview-folder';
import type { EngineCommandName, EngineCommands, EngineEventName, FromEngine, ToEngine } from './protocol';
import type { VaeModel } from './model/vae-model';
import { createModel } from './model/create-model';
import {
  CheckpointCorruptError,
  listCheckpoints,
  readCheckpoint,
  restoreModel,
  type LoadedCheckpoint,
} from './train/checkpoint';
import { listRuns, RunConfigError, RunStore, type RunConfig } from './train/run-store';
import { RunMetaStore } from './train/run-meta-store';
import { moveToRunsTrash } from './train/run-trash';
import { writeFailureMessage } from './fs/atomic-write';
import { displayPoints, realignPoints } from './latent/display-points';
import { indexOfName } from './data/image-names';
import {
  continuedSplit,
  describeSplitChange,
  readSplitRecord,
  splitRecordOf,
  writeSplitRecord,
} from './data/split-record';
import { realignStoredSample } from './gallery/reconstructions';
import { exportEmbedding } from './latent/embedding-export';
import { BookmarkStore } from './latent/bookmark-store';
import { LayoutStore, type StoredPoints } from './latent/layout-store';
import { imagePng, reconstructionPng } from './latent/media';
import { ProjectionRunner } from './latent/projection-runner';
import { ScoringRequests, type CurrentModel } from './latent/scoring-requests';
import { Projector } from './latent/projector';
import type { LoadedDataset } from './data/loaded-dataset';
import { TrainingJob, type TrainingData, type TrainingListener } from './train/training-job';
import { GalleryRequests } from './gallery/gallery-requests';
import { LikelihoodJobs } from './train/likelihood-jobs';
import { readRunHistories } from './train/run-histories';
import { readLikelihoods } from './train/likelihood-store';
import { formatOfWeights } from './gallery/model-files';
import { measureSpeed } from './train/speed-probe';

type Send = (message: FromEngine) => void;

type Args<K extends EngineCommandName> = EngineCommands[K]['args'];

/** Absolute paths, POSIX or Windows: quoted (they may hold spaces), or bare after a space or `(`. */
const QUOTED_PATH = /(['"`])((?:\/|[A-Za-z]:[\\/])[^'"`\n]*)\1/g;
const BARE_PATH = /(^|[\s(=])((?:\/|[A-Za-z]:[\\/])[^\s'"`),;]+)/g;

/**
 * `message` with every absolute path replaced: one under a data directory by its path relative
 * to it, any other by its base name. Error text goes to the window (and maybe a screenshot in a
 * bug report), which has no business knowing the user's folder layout.
 */
export function withoutPaths(message: string, dataDirectories: readonly string[]): string {
  const shorten = (absolute: string) => {
    for (const root of dataDirectories) {
      const relative = path.relative(root, absolute);
      if (relative && !relative.startsWith('..') && !path.isAbsolute(relative)) {
        return relative.split(path.sep).join('/');
      }
    }
    return path.win32.basename(absolute);
  };
  let text = message;
  // First by plain text, which also catches unquoted paths with spaces in the data directory.
  for (const root of dataDirectories) text = text.replaceAll(root + path.sep, '');
  return text
    .replace(QUOTED_PATH, (_, quote: string, absolute: string) => quote + shorten(absolute) + quote)
    .replace(BARE_PATH, (_, lead: string, absolute: string) => lead + shorten(absolute));
}

/**
 * Reads a run's config (or what depends on it): a run that is gone is not found, one whose config
 * cannot be used says why, before anything is built from it.
 */
async function readRun<T>(read: () => Promise<T>): Promise<Result<T>> {
  try {
    return ok(await read());
  } catch (error) {
    if (!(error instanceof RunConfigError)) throw error;
    return fail('NOT_FOUND', error.missing ? 'That run no longer exists or cannot be read.' : error.message);
  }
}

export class EngineHost {
  private job: TrainingJob | null = null;
  /** The training job's `run()`, to wait for when the app quits. */
  private jobRun: Promise<void> = Promise.resolve();
  private readonly scans = new Map<string, AbortController>();
  /** Scans until their last event is out, to wait for when the app quits. */
  private readonly scanRuns = new Set<Promise<void>>();
  private readonly datasets: DatasetRegistry;
  private readonly runsRoot: string;
  /** A run opened for exploration (its newest checkpoint), separate from the training job's model. */
  private explored: { runId: string; model: VaeModel; epoch: number } | null = null;
  private readonly projector: Projector;
  private readonly gallery: GalleryRequests;
  private readonly scoring: ScoringRequests;
  private readonly bookmarks: BookmarkStore;
  private readonly runMeta: RunMetaStore;
  private readonly likelihoods: LikelihoodJobs;
  /** Set by `app:prepare-quit`: a run completing meanwhile starts no estimate the quit would cut. */
  private quitting = false;
  /** Where paths in error messages are made relative to: the folder holding the runs and caches. */
  private readonly dataDirectories: string[];
  /** The backend `start` made current, which speed estimates are measured on. */
  private backend: BackendName | null = null;
  /** A speed estimate is being measured (one at a time: two would slow each other down). */
  private measuringSpeed = false;

  constructor(
    private readonly send: Send,
    roots: { cacheRoot: string; runsRoot: string },
  ) {
    this.datasets = new DatasetRegistry(roots.cacheRoot);
    this.runsRoot = roots.runsRoot;
    this.dataDirectories = [...new Set([path.dirname(roots.runsRoot), path.dirname(roots.cacheRoot)])];
    this.projector = new Projector(roots.runsRoot, new ProjectionRunner(), (name, payload) =>
      this.emit(name, payload),
    );
    this.gallery = new GalleryRequests({
      runsRoot: roots.runsRoot,
      dataset: (datasetId) => this.datasets.get(datasetId),
      model: (runId) => this.modelFor(runId),
      layouts: (runId) => this.projector.store(runId),
    });
    this.scoring = new ScoringRequests({
      runsRoot: roots.runsRoot,
      dataset: (datasetId) => this.datasets.get(datasetId),
      model: (runId) => this.currentModel(runId),
      layouts: (runId) => this.projector.store(runId),
    });
    this.bookmarks = new BookmarkStore({
      runsRoot: roots.runsRoot,
      layouts: (runId) => this.projector.store(runId),
    });
    this.runMeta = new RunMetaStore(roots.runsRoot);
    this.likelihoods = new LikelihoodJobs({
      runsRoot: roots.runsRoot,
      dataset: (datasetId) => this.datasets.get(datasetId),
      emit: (name, payload) => this.emit(name, payload),
      errorMessage: (error) => this.errorMessage(error),
    });
  }

  async start(preference: BackendPreference): Promise<void> {
    try {
      const backend = await selectBackend(preference);
      this.backend = backend.name;
      this.send({ type: 'ready', backend });
    } catch (error) {
      this.send({ type: 'startup-failed', message: error instanceof Error ? error.message : String(error) });
    }
  }

  async receive(message: ToEngine): Promise<void> {
    let result: Result<unknown>;
    try {
      result = await this.run(message.name, message.args);
    } catch (error) {
      result = fail('INTERNAL', this.errorMessage(error));
    }
    if (!result.ok) result = { ...result, message: withoutPaths(result.message, this.dataDirectories) };
    this.send({ type: 'reply', id: message.id, result });
  }

  /** What an unexpected error tells the user: plain words for a full or read-only data folder. */
  private errorMessage(error: unknown): string {
    const message = writeFailureMessage(error) ?? (error instanceof Error ? error.message : String(error));
    return withoutPaths(message, this.dataDirectories);
  }

  private emit<E extends EngineEventName>(name: E, payload: Events[E]): void {
    this.send({ type: 'event', name, payload } as FromEngine);
  }

  private run(name: EngineCommandName, args: unknown): Promise<Result<unknown>> | Result<unknown> {
    switch (name) {
      case 'ping':
        return ok({ pid: process.pid, at: Date.now() });
      case 'app:prepare-quit':
        return this.prepareQuit();
      case 'train:start':
        return this.startTraining(args as Args<'train:start'>);
      case 'train:estimate-speed':
        return this.estimateSpeed(args as Args<'train:estimate-speed'>);
      case 'train:pause':
        return this.withJob(args, (job) => job.pause());
      case 'train:resume':
        return this.withJob(args, (job) => job.resume());
      case 'job:cancel':
        return this.cancel(args as Args<'job:cancel'>);
      case 'dataset:preview':
        return this.preview(args as Args<'dataset:preview'>);
      case 'dataset:open':
        return this.openDataset(args as Args<'dataset:open'>);
      case 'train:set-learning-rate':
        return this.setLearningRate(args as Args<'train:set-learning-rate'>);
      case 'train:continue':
        return this.continueRun(args as Args<'train:continue'>);
      case 'runs:list':
        return this.listRuns();
      case 'runs:open':
        return this.openRun(args as Args<'runs:open'>);
      case 'runs:update':
        return this.updateRun(args as Args<'runs:update'>);
      case 'runs:delete':
        return this.deleteRun(args as Args<'runs:delete'>);
      case 'run:evaluate':
        return this.likelihoods.start(args as Args<'run:evaluate'>);
      case 'runs:get-histories':
        return readRunHistories(
          this.runsRoot,
          (args as Args<'runs:get-histories'>).runIds,
          this.job?.isActive ? this.job.runId : null,
        );
      case 'latent:get-points':
        return this.latentPoints(args as Args<'latent:get-points'>);
      case 'latent:get-epoch':
        return this.latentEpoch(args as Args<'latent:get-epoch'>);
      case 'latent:project': {
        const { runId, epoch, settings } = args as Args<'latent:project'>;
        return this.projector.project(runId, epoch, settings);
      }
      case 'latent:export':
        return this.exportLatents(args as Args<'latent:export'>);
      case 'latent:get-scores':
        return this.scoring.scores(args as Args<'latent:get-scores'>);
      case 'latent:place-images':
        return this.scoring.place(args as Args<'latent:place-images'>);
      case 'latent:list-bookmarks':
        return this.bookmarks.list(args as Args<'latent:list-bookmarks'>);
      case 'latent:save-bookmark':
        return this.bookmarks.save(args as Args<'latent:save-bookmark'>);
      case 'latent:delete-bookmark':
        return this.bookmarks.delete(args as Args<'latent:delete-bookmark'>);
      case 'media:get':
        return this.media(args as Args<'media:get'>);
      case 'gallery:reconstructions':
        return this.gallery.reconstructions(args as Args<'gallery:reconstructions'>);
      case 'gallery:reconstruct-points':
        return this.gallery.reconstructPoints(args as Args<'gallery:reconstruct-points'>);
      case 'gallery:sample':
        return this.gallery.sampleImages(args as Args<'gallery:sample'>);
      case 'gallery:interpolate':
        return this.gallery.interpolate(args as Args<'gallery:interpolate'>);
      case 'gallery:traverse':
        return this.gallery.traverse(args as Args<'gallery:traverse'>);
      case 'gallery:decode-at':
        return this.gallery.decodeAt(args as Args<'gallery:decode-at'>);
      case 'gallery:decode':
        return this.gallery.decode(args as Args<'gallery:decode'>);
      case 'gallery:decode-grid':
        return this.gallery.decodeGrid(args as Args<'gallery:decode-grid'>);
      case 'gallery:export':
        return this.gallery.exportImages(args as Args<'gallery:export'>);
      case 'gallery:export-points':
        return this.gallery.exportPoints(args as Args<'gallery:export-points'>);
      case 'model:export':
        return this.gallery.exportModel(args as Args<'model:export'>);
      case 'model:import':
        return this.gallery.importModel(args as Args<'model:import'>);
    }
  }

  private withJob(args: unknown, act: (job: TrainingJob) => TrainState): Result<{ state: TrainState }> {
    const { jobId } = args as { jobId: string };
    if (!this.job || this.job.jobId !== jobId) return fail('JOB_NOT_FOUND', 'No training run with that id.');
    return ok({ state: act(this.job) });
  }

  private cancel({ jobId }: Args<'job:cancel'>): Result<{ state: TrainState }> {
    const scan = this.scans.get(jobId);
    if (scan) {
      scan.abort();
      return ok({ state: 'cancelled' });
    }
    if (this.projector.cancel(jobId)) return ok({ state: 'cancelled' });
    if (this.likelihoods.cancel(jobId)) return ok({ state: 'cancelled' });
    return this.withJob({ jobId }, (job) => job.cancel());
  }

  private async startTraining({ jobId, settings }: Args<'train:start'>): Promise<Result<{ jobId: string }>> {
    if (this.job?.isActive) return fail('BUSY', 'A training run is already in progress; cancel it first.');
    const dataset = await this.datasets.get(settings.datasetId);
    if (!dataset) return fail('NOT_FOUND', 'That dataset is no longer open; open it again.');
    // An automatic estimate of the last run would compete with this one for the CPU.
    this.likelihoods.cancelAutomatic();
    const run = await RunStore.create(this.runsRoot, {
      datasetId: settings.datasetId,
      datasetName: dataset.summary.name,
      settings,
      // So an image dropped on the map later is prepared as these were, dataset open or not.
      preprocessing: dataset.summary.preprocessing,
    });
    // The run keeps its split, so continuing on a changed folder never trains on its held-out files.
    await writeSplitRecord(run.directory, splitRecordOf(dataset));
    const points = displayPoints(dataset, settings.displayCount, settings.latentDim);
    await new LayoutStore(run.directory).writePoints(points);
    const display = Uint32Array.from(points.datasetIndices);
    this.launch(
      new TrainingJob(jobId, settings, this.listenerFor(jobId, dataset), { run, display }),
      dataset.split,
    );
    return ok({ jobId });
  }

  /**
   * Training speed for a model before it trains. Never while a run trains: the estimate would
   * slow the run and be slowed by it, and the run's progress already shows its speed. A run that
   * starts meanwhile stops the estimate at the next step.
   */
  private async estimateSpeed(probe: SpeedProbe) {
    const busy = 'A training run is in progress; its progress shows its speed.';
    if (this.job?.isActive) return fail('BUSY', busy);
    if (this.measuringSpeed) return fail('BUSY', 'Another speed estimate is being measured.');
    if (this.backend === null) return fail('ENGINE_UNAVAILABLE', 'The engine has no backend yet.');
    const backend = this.backend;
    this.measuringSpeed = true;
    try {
      const imagesPerSecond = await measureSpeed(probe, {
        shouldStop: () => this.job?.isActive === true || this.quitting,
      });
      if (imagesPerSecond === null || !Number.isFinite(imagesPerSecond)) return fail('BUSY', busy);
      return ok({ backend, imagesPerSecond });
    } finally {
      this.measuringSpeed = false;
    }
  }

  /**
   * `notice` goes out with the job's first state change (what changed in a continued run's folder);
   * a notice the job gives with a state (why it stopped early) goes out with that state.
   */
  private listenerFor(jobId: string, dataset: LoadedDataset, notice: string | null = null): TrainingListener {
    const job = () => this.job;
    let pendingNotice = notice;
    return {
      onState: (state, error, lastCheckpointEpoch, stateNotice?: string | null) => {
        const runId = job()?.runId ?? null;
        const said = stateNotice ?? pendingNotice;
        this.emit('train:did-change-state', {
          jobId,
          runId,
          state,
          error: error === null ? null : withoutPaths(error, this.dataDirectories),
          lastCheckpointEpoch,
          ...(said === null ? {} : { notice: said }),
        });
        pendingNotice = null;
        if (state === 'completed' && runId !== null) this.estimateAtEnd(runId);
        // The live map showed a sample while training shared the cores; the full layout follows.
        const over = state !== 'loading' && state !== 'running' && state !== 'paused';
        if (over && runId !== null) this.projector.trainingEnded(runId);
      },
      onProgress: (payload) => {
        // The ETA covers the full map layout that follows the last epoch.
        const runId = job()?.runId;
        const layout = runId ? this.projector.finishingEstimate(runId) : 0;
        this.emit('train:did-progress', { ...payload, etaSeconds: payload.etaSeconds + layout });
      },
      onEpochEnd: (payload) => {
        this.emit('train:did-end-epoch', payload);
        if (payload.runId) void this.projector.epochEnded(payload.runId, payload.epoch, payload.means);
      },
      afterEpoch: async (epoch, model) => {
        const runId = job()?.runId;
        // The gallery's timeline is a nicety: a failed write must never stop training.
        if (runId) await this.gallery.recordEpoch(runId, epoch, model, dataset).catch(() => undefined);
      },
      onMapUpdate: ({ epoch, means }) => {
        const runId = job()?.runId;
        if (runId) this.projector.partWay(runId, epoch, means);
      },
      onCheckpoint: (epoch) => {
        const runId = job()?.runId;
        if (runId) this.emit('train:did-save-checkpoint', { jobId, runId, epoch });
      },
    };
  }

  /**
   * The log-likelihood of a run that just completed (K = 100 on at most 1,000 test images), unless
   * an estimate is already being computed. It is a nicety: a refusal or failure only goes unshown.
   */
  private estimateAtEnd(runId: string): void {
    if (this.quitting) return;
    void this.likelihoods.startAutomatic({ jobId: randomUUID(), runId }).catch(() => undefined);
  }

  private launch(job: TrainingJob, split: TrainingData): void {
    this.job?.model?.dispose();
    this.job = job;
    // Next turn, so the reply with the job id goes out before any of the job's events.
    this.jobRun = new Promise((resolve) => setImmediate(() => void job.run(async () => split).then(resolve)));
  }

  /** Stops what is under way so that everything on disk is whole, then answers: the app quits next. */
  private async prepareQuit(): Promise<Result<{ interruptedRunId: string | null }>> {
    const job = this.job;
    const interruptedRunId = job?.isActive ? job.runId : null;
    this.quitting = true;
    if (job?.isActive) job.interrupt();
    for (const scan of this.scans.values()) scan.abort();
    await Promise.all([this.jobRun, ...this.scanRuns, this.likelihoods.stopAll()]);
    return ok({ interruptedRunId });
  }

  private setLearningRate({ jobId, learningRate }: Args<'train:set-learning-rate'>) {
    if (!this.job || this.job.jobId !== jobId || !this.job.isActive) {
      return fail('JOB_NOT_FOUND', 'No training run with that id is in progress.');
    }
    this.job.setLearningRate(learningRate);
    return ok({ learningRate });
  }

  /** The newest checkpoint of a run that loads; older ones are tried when the newest is damaged. */
  private async latestCheckpoint(run: RunStore): Promise<LoadedCheckpoint | CheckpointCorruptError | null> {
    const checkpoints = await listCheckpoints(run.checkpointsDir);
    let failure: CheckpointCorruptError | null = null;
    for (const { directory } of checkpoints.reverse()) {
      try {
        return await readCheckpoint(directory);
      } catch (error) {
        if (!(error instanceof CheckpointCorruptError)) throw error;
        failure ??= error;
      }
    }
    return failure;
  }

  private async continueRun({ jobId, runId, epochs, learningRate }: Args<'train:continue'>) {
    if (this.job?.isActive) return fail('BUSY', 'A training run is already in progress; cancel it first.');
    const run = RunStore.open(this.runsRoot, runId);
    const read = await readRun(() => run.readConfig());
    if (!read.ok) return read;
    const config: RunConfig = read.value;
    const dataset = await this.datasets.get(config.datasetId);
    if (!dataset)
      return fail('NOT_FOUND', `Open the dataset "${config.datasetName}" again to continue this run.`);
    const checkpoint = await this.latestCheckpoint(run);
    if (checkpoint === null) return fail('NOT_FOUND', 'This run has no checkpoint to continue from.');
    if (checkpoint instanceof CheckpointCorruptError) return fail('CHECKPOINT_CORRUPT', checkpoint.message);
    if (epochs <= checkpoint.manifest.epoch) {
      return fail(
        'INVALID_PAYLOAD',
        `The run has already trained ${checkpoint.manifest.epoch} epochs; ask for more.`,
      );
    }
    const previousMetrics = await run.readMetrics();
    // Without a new rate, carry on at the last one in effect (it may have been changed mid-run).
    // Under a schedule the recorded rate is the scheduled one; continuing restarts from its base.
    const lastLine = previousMetrics.filter((m) => m.epoch <= checkpoint.manifest.epoch).at(-1);
    const lastRate = lastLine?.baseLearningRate ?? lastLine?.learningRate;
    const settings = {
      ...config.settings,
      epochs,
      learningRate: learningRate ?? lastRate ?? config.settings.learningRate,
    };
    this.likelihoods.cancelAutomatic();
    await run.writePlannedEpochs(config, epochs);
    const { split, notice } = await this.splitToContinue(run, dataset);
    const display = await this.displayFor(run, dataset, settings);
    await realignStoredSample(run.directory, dataset, settings.seed);
    const job = new TrainingJob(jobId, settings, this.listenerFor(jobId, dataset, notice), {
      run,
      resumeFrom: checkpoint,
      previousMetrics,
      display,
    });
    this.launch(job, split);
    return ok({ jobId, ...(notice === null ? {} : { notice }) });
  }

  /**
   * The run's recorded split applied to the dataset as it is now (former test and validation
   * files stay out of training), with what changed in words. A run from before split records
   * continues on today's split, which is recorded from then on.
   */
  private async splitToContinue(
    run: RunStore,
    dataset: LoadedDataset,
  ): Promise<{ split: TrainingData; notice: string | null }> {
    const record = await readSplitRecord(run.directory);
    if (!record) {
      await writeSplitRecord(run.directory, splitRecordOf(dataset));
      return { split: dataset.split, notice: null };
    }
    const continued = continuedSplit(dataset, record);
    if (continued.record !== record) await writeSplitRecord(run.directory, continued.record);
    return {
      split: continued.split,
      notice: continued.change ? describeSplitChange(continued.change) : null,
    };
  }

  private async listRuns() {
    return ok(await listRuns(this.runsRoot, this.activeRunId));
  }

  private get activeRunId(): string | null {
    return this.job?.isActive ? this.job.runId : null;
  }

  /** Saves the run's name, note or tags, then answers the run as the list shows it. */
  private async updateRun(args: Args<'runs:update'>) {
    const updated = await this.runMeta.update(args);
    if (!updated.ok) return updated;
    const summary = await RunStore.open(this.runsRoot, args.runId).listing(this.activeRunId);
    return summary ? ok(summary) : fail('NOT_FOUND', 'That run no longer exists.');
  }

  /**
   * Lets go of everything the engine holds of a run, then (`host-trash`) moves its folder into the
   * runs folder's `.trash`. The run that trains, or whose asked-for estimate runs, is refused: its
   * files are being written.
   */
  private async deleteRun({ runId, mode }: Args<'runs:delete'>) {
    if (this.activeRunId === runId) {
      return fail('BUSY', 'This run is training: stop it before deleting it.');
    }
    if (this.likelihoods.isEvaluating(runId)) {
      return fail('BUSY', 'This run’s likelihood is being estimated: cancel that before deleting it.');
    }
    const { directory } = RunStore.open(this.runsRoot, runId);
    const folder = await stat(directory).catch(() => null);
    if (!folder?.isDirectory()) return fail('NOT_FOUND', 'That run no longer exists.');
    await this.likelihoods.stopAutomaticOf(runId);
    this.projector.forget(runId);
    if (this.explored?.runId === runId) {
      this.explored.model.dispose();
      this.explored = null;
    }
    // A finished job's model answers for its run until another starts: not for a run that is gone.
    if (this.job?.runId === runId) {
      this.job.model?.dispose();
      this.job = null;
    }
    if (mode === 'host-trash') await moveToRunsTrash(this.runsRoot, runId);
    return ok({ directory });
  }

  /**
   * Loads a run's newest checkpoint into a model of its own for exploration. Everything is
   * checked before the previous explored model is replaced, so a damaged checkpoint changes nothing.
   */
  private async openRun({ runId }: Args<'runs:open'>) {
    const run = RunStore.open(this.runsRoot, runId);
    const read = await readRun(() => run.summary(this.job?.isActive ? this.job.runId : null));
    if (!read.ok) return read;
    const summary = read.value;
    const checkpoint = await this.latestCheckpoint(run);
    if (checkpoint instanceof CheckpointCorruptError) return fail('CHECKPOINT_CORRUPT', checkpoint.message);
    if (checkpoint) {
      const { settings } = summary;
      const dataset = await this.datasets.get(settings.datasetId);
      const format = dataset
        ? { size: dataset.set.size, channels: dataset.set.channels }
        : formatOfWeights(settings.model, checkpoint.values);
      if (!format) return fail('NOT_FOUND', `Open the dataset "${summary.datasetName}" to explore this run.`);
      const model = createModel(settings, format.size, format.channels);
      try {
        restoreModel(model, checkpoint);
      } catch (error) {
        model.dispose();
        if (error instanceof CheckpointCorruptError) return fail('CHECKPOINT_CORRUPT', error.message);
        throw error;
      }
      this.explored?.model.dispose();
      this.explored = { runId, model, epoch: checkpoint.manifest.epoch };
    }
    const { estimates } = await readLikelihoods(run.directory);
    return ok({ summary, metrics: await run.readMetrics(), likelihoods: estimates });
  }

  /** A continued run keeps the points its map already shows; older runs get a set of their own. */
  private async displayFor(
    run: RunStore,
    dataset: LoadedDataset,
    settings: { displayCount: number; latentDim: number },
  ): Promise<Uint32Array> {
    const layouts = new LayoutStore(run.directory);
    const stored = await layouts.readPoints();
    // Found again by file name: after an insert the same images sit at other positions.
    const realigned = stored ? realignPoints(stored, dataset) : null;
    if (stored && realigned) {
      if (realigned !== stored) await layouts.writePoints(realigned);
      return Uint32Array.from(realigned.datasetIndices);
    }
    const points = displayPoints(dataset, settings.displayCount, settings.latentDim);
    await layouts.writePoints(points);
    return Uint32Array.from(points.datasetIndices);
  }

  private async storedPoints(runId: string): Promise<{ layouts: LayoutStore; points: StoredPoints } | null> {
    const layouts = this.projector.store(runId);
    const points = await layouts.readPoints();
    return points ? { layouts, points } : null;
  }

  private async latentPoints({ runId }: Args<'latent:get-points'>) {
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

  private async latentEpoch({ runId, epoch, method }: Args<'latent:get-epoch'>) {
    const found = await this.storedPoints(runId);
    if (!found) return fail('NOT_FOUND', 'That run has no latent map yet.');
    const { layouts, points } = found;
    const means = await layouts.readMeans(epoch, points);
    if (!means) return fail('NOT_FOUND', `Epoch ${epoch} of that run has no latent codes.`);
    const positions = await layouts.readLayout(epoch, method, points.count);
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

  private async exportLatents({ runId, epoch, method, format }: Args<'latent:export'>) {
    const found = await this.storedPoints(runId);
    if (!found) return fail('NOT_FOUND', 'That run has no latent map yet.');
    const { layouts, points } = found;
    const means = await layouts.readMeans(epoch, points);
    if (!means) return fail('NOT_FOUND', `Epoch ${epoch} of that run has no latent codes.`);
    const positions = await layouts.readLayout(epoch, method, points.count);
    const runDirectory = RunStore.open(this.runsRoot, runId).directory;
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

  /** The model to reconstruct with: the training job's, the explored run's, or its newest checkpoint. */
  private async modelFor(runId: string): Promise<VaeModel | null> {
    if (this.job?.runId === runId && this.job.model) return this.job.model;
    if (this.explored?.runId !== runId) {
      const opened = await this.openRun({ runId });
      if (!opened.ok) return null;
    }
    return this.explored?.runId === runId ? this.explored.model : null;
  }

  /**
   * `modelFor`'s model with the checkpoint it holds: exactly that checkpoint for an explored run
   * or a completed job; a job that trains on, or stopped part-way, has moved past its newest one.
   */
  private async currentModel(runId: string): Promise<CurrentModel | null> {
    const model = await this.modelFor(runId);
    if (!model) return null;
    const job = this.job;
    if (job?.runId === runId && job.model === model) {
      const epoch = job.lastCheckpointEpoch;
      const exact = epoch !== null && !job.isActive && job.currentState === 'completed';
      return { model, epoch: epoch ?? 0, exact };
    }
    const explored = this.explored;
    return explored?.runId === runId && explored.model === model
      ? { model, epoch: explored.epoch, exact: true }
      : null;
  }

  private async media({ path: mediaPath }: Args<'media:get'>) {
    const match = /^(image|reconstruction)\/([^/]+)\/(\d{1,7})\.png$/.exec(mediaPath);
    if (!match) return fail('NOT_FOUND', 'No such image.');
    const [, kind, runId, pointText] = match as unknown as [string, string, string, string];
    let found: { points: StoredPoints } | null;
    try {
      found = await this.storedPoints(runId);
    } catch {
      found = null;
    }
    const point = Number(pointText);
    if (!found || point >= found.points.count) return fail('NOT_FOUND', 'No such point.');
    const dataset = await this.datasets.get(found.points.datasetId);
    if (!dataset) return fail('NOT_FOUND', 'Open the dataset of this run to see its images.');
    // By file name first: the folder may have changed since the points were stored.
    const named = indexOfName(dataset, found.points.names[point]!);
    const index = named ?? (dataset.fileNames ? dataset.set.count : found.points.datasetIndices[point]!);
    if (index >= dataset.set.count) return fail('NOT_FOUND', 'The dataset changed since this run.');
    if (kind === 'image') return ok({ contentType: 'image/png', bytes: await imagePng(dataset.set, index) });
    const model = await this.modelFor(runId);
    if (!model) return fail('NOT_FOUND', 'This run has no model to reconstruct with yet.');
    if (model.inputSize !== dataset.set.size ** 2 * dataset.set.channels) {
      return fail('NOT_FOUND', 'The dataset no longer matches this run’s model.');
    }
    return ok({ contentType: 'image/png', bytes: await reconstructionPng(model, dataset.set, index) });
  }

  private async preview({ source, folder, preprocessing }: Args<'dataset:preview'>) {
    if (source.kind === 'builtin') {
      const { summary } = await this.datasets.builtin(source.id);
      return ok({ samples: summary.samples, classNames: summary.classNames, skipped: 0, suggested: null });
    }
    if (!folder) return fail('INVALID_PAYLOAD', 'A folder source needs its resolved folder.');
    return ok(await previewFolder(folder, preprocessing));
  }

  private openDataset({
    jobId,
    source,
    folder,
    preprocessing,
  }: Args<'dataset:open'>): Result<{ jobId: string }> {
    if (source.kind === 'folder' && !folder)
      return fail('INVALID_PAYLOAD', 'A folder source needs its resolved folder.');
    const controller = new AbortController();
    this.scans.set(jobId, controller);
    setImmediate(() => this.runOpen(jobId, source, folder, preprocessing, controller));
    return ok({ jobId });
  }

  /** Runs after the reply to `dataset:open`, so its job id always arrives before its events. */
  private runOpen(
    jobId: string,
    source: Args<'dataset:open'>['source'],
    folder: string | null,
    preprocessing: Args<'dataset:open'>['preprocessing'],
    controller: AbortController,
  ): void {
    const opening =
      source.kind === 'builtin'
        ? this.datasets.builtin(source.id)
        : this.datasets.openFolder({
            folder: folder!,
            source,
            preprocessing,
            signal: controller.signal,
            onProgress: (progress) => this.emit('dataset:did-progress', { jobId, ...progress }),
          });
    const done: Promise<void> = opening
      .then((dataset) => this.emit('dataset:did-open', { jobId, summary: dataset.summary }))
      .catch((error: unknown) => {
        const err = error as Error;
        if (err.name === 'AbortError') {
          this.emit('dataset:did-fail', {
            jobId,
            code: 'CANCELLED',
            message: 'The scan was cancelled.',
            skipped: [],
          });
        } else if (error instanceof NoImagesError) {
          this.emit('dataset:did-fail', {
            jobId,
            code: 'NO_IMAGES',
            message: err.message,
            skipped: error.skipped,
          });
        } else if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
          this.emit('dataset:did-fail', {
            jobId,
            code: 'NOT_FOUND',
            message: 'That folder no longer exists.',
            skipped: [],
          });
        } else {
          this.emit('dataset:did-fail', {
            jobId,
            code: 'FAILED',
            message: this.errorMessage(error),
            skipped: [],
          });
        }
      })
      .finally(() => {
        this.scans.delete(jobId);
        this.scanRuns.delete(done);
      });
    this.scanRuns.add(done);
  }
}
