/**
 * The engine's side of the protocol: picks the backend, then runs commands. One training run at a
 * time, dataset scans alongside it; its model stays loaded after the run for later inference.
 */
import type { Events } from '../../shared/contract';
import { fail, ok, type Result } from '../../shared/result';
import type { BackendPreference, TrainState } from '../../shared/types';
import { selectBackend } from './backend';
import { DatasetRegistry } from './data/dataset-registry';
import { NoImagesError } from './data/folder/folder-dataset';
import { previewFolder } from './data/folder/preview-folder';
import type { EngineCommandName, EngineCommands, EngineEventName, FromEngine, ToEngine } from './protocol';
import { TrainingJob } from './train/training-job';

type Send = (message: FromEngine) => void;
type Args<K extends EngineCommandName> = EngineCommands[K]['args'];

export class EngineHost {
  private job: TrainingJob | null = null;
  private readonly scans = new Map<string, AbortController>();
  private readonly datasets: DatasetRegistry;

  constructor(
    private readonly send: Send,
    cacheRoot: string,
  ) {
    this.datasets = new DatasetRegistry(cacheRoot);
  }

  async start(preference: BackendPreference): Promise<void> {
    try {
      const backend = await selectBackend(preference);
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
      result = fail('INTERNAL', error instanceof Error ? error.message : String(error));
    }
    this.send({ type: 'reply', id: message.id, result });
  }

  private emit<E extends EngineEventName>(name: E, payload: Events[E]): void {
    this.send({ type: 'event', name, payload } as FromEngine);
  }

  private run(name: EngineCommandName, args: unknown): Promise<Result<unknown>> | Result<unknown> {
    switch (name) {
      case 'ping':
        return ok({ pid: process.pid, at: Date.now() });
      case 'train:start':
        return this.startTraining(args as Args<'train:start'>);
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
    return this.withJob({ jobId }, (job) => job.cancel());
  }

  private async startTraining({ jobId, settings }: Args<'train:start'>): Promise<Result<{ jobId: string }>> {
    if (this.job?.isActive) return fail('BUSY', 'A training run is already in progress; cancel it first.');
    const dataset = await this.datasets.get(settings.datasetId);
    if (!dataset) return fail('NOT_FOUND', 'That dataset is no longer open; open it again.');
    this.job?.model?.dispose();
    const job = new TrainingJob(jobId, settings, {
      onState: (state, error) => this.emit('train:did-change-state', { jobId, state, error }),
      onProgress: (payload) => this.emit('train:did-progress', payload),
      onEpochEnd: (payload) => this.emit('train:did-end-epoch', payload),
    });
    this.job = job;
    // Next turn, so the reply with the job id goes out before any of the job's events.
    setImmediate(() => void job.run(async () => dataset.split));
    return ok({ jobId });
  }

  private async preview({ source, folder, preprocessing }: Args<'dataset:preview'>) {
    if (source.kind === 'builtin') {
      const { summary } = await this.datasets.builtin(source.id);
      return ok({ samples: summary.samples, classNames: summary.classNames, skipped: 0 });
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
    void opening
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
          this.emit('dataset:did-fail', { jobId, code: 'FAILED', message: err.message, skipped: [] });
        }
      })
      .finally(() => this.scans.delete(jobId));
  }
}
