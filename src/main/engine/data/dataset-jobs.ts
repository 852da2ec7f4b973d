/**
 * Dataset previews and scans. A scan runs alongside training, reports progress, and ends in one
 * `dataset:did-open` or `dataset:did-fail`; cancelling it, or the app quitting, aborts it.
 */
import type { DatasetOpenFailure } from '../../../shared/dataset-types';
import { fail, ok, type Result } from '../../../shared/result';
import type { EngineArgs, EmitEvent } from '../protocol';
import type { DatasetRegistry } from './dataset-registry';
import { NoImagesError } from './folder/folder-dataset';
import { previewFolder } from './folder/preview-folder';

export interface DatasetJobsDeps {
  datasets: DatasetRegistry;
  emit: EmitEvent;
  /** An unexpected error in the words the window may show. */
  errorMessage: (error: unknown) => string;
}

export class DatasetJobs {
  private readonly scans = new Map<string, AbortController>();
  /** Scans until their last event is out, to wait for when the app quits. */
  private readonly scanRuns = new Set<Promise<void>>();

  constructor(private readonly deps: DatasetJobsDeps) {}

  async preview({ source, folder, preprocessing }: EngineArgs<'dataset:preview'>) {
    if (source.kind === 'builtin') {
      const { summary } = await this.deps.datasets.builtin(source.id);
      return ok({ samples: summary.samples, classNames: summary.classNames, skipped: 0, suggested: null });
    }
    if (!folder) return fail('INVALID_PAYLOAD', 'A folder source needs its resolved folder.');
    return ok(await previewFolder(folder, preprocessing));
  }

  open({ jobId, source, folder, preprocessing }: EngineArgs<'dataset:open'>): Result<{ jobId: string }> {
    if (source.kind === 'folder' && !folder)
      return fail('INVALID_PAYLOAD', 'A folder source needs its resolved folder.');
    const controller = new AbortController();
    this.scans.set(jobId, controller);
    setImmediate(() => this.runOpen({ jobId, source, folder, preprocessing }, controller));
    return ok({ jobId });
  }

  /** Aborts the scan with that job id; false when there is none. */
  cancel(jobId: string): boolean {
    const scan = this.scans.get(jobId);
    if (!scan) return false;
    scan.abort();
    return true;
  }

  /** Aborts every scan; resolves once their last events are out. */
  stopAll(): Promise<void> {
    for (const scan of this.scans.values()) scan.abort();
    return Promise.all(this.scanRuns).then(() => undefined);
  }

  /** Runs after the reply to `dataset:open`, so its job id always arrives before its events. */
  private runOpen(
    { jobId, source, folder, preprocessing }: EngineArgs<'dataset:open'>,
    controller: AbortController,
  ): void {
    const { datasets, emit } = this.deps;
    const opening =
      source.kind === 'builtin'
        ? datasets.builtin(source.id)
        : datasets.openFolder({
            folder: folder!,
            source,
            preprocessing,
            signal: controller.signal,
            onProgress: (progress) => emit('dataset:did-progress', { jobId, ...progress }),
          });
    const done: Promise<void> = opening
      .then((dataset) => emit('dataset:did-open', { jobId, summary: dataset.summary }))
      .catch((error: unknown) => emit('dataset:did-fail', { jobId, ...this.failureOf(error) }))
      .finally(() => {
        this.scans.delete(jobId);
        this.scanRuns.delete(done);
      });
    this.scanRuns.add(done);
  }

  private failureOf(error: unknown): Omit<DatasetOpenFailure, 'jobId'> {
    const err = error as Error;
    if (err.name === 'AbortError')
      return { code: 'CANCELLED', message: 'The scan was cancelled.', skipped: [] };
    if (error instanceof NoImagesError)
      return { code: 'NO_IMAGES', message: err.message, skipped: error.skipped };
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      return { code: 'NOT_FOUND', message: 'That folder no longer exists.', skipped: [] };
    }
    return { code: 'FAILED', message: this.deps.errorMessage(error), skipped: [] };
  }
}
