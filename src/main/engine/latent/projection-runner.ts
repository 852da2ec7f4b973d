/**
 * Runs projection tasks one at a time on a worker thread (the other core, while training keeps
 * this one). The worker is started on first use and replaced if it dies; a task it was running
 * fails with a clear message instead of hanging. Without a worker script beside this file (a
 * test importing the sources without tsx), tasks run inline between event-loop turns instead.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { project } from '../projection/project';
import type { FromProjectionWorker, ProjectionTask, ToProjectionWorker } from './projection-messages';

export interface ProjectionOutcome {
  positions: Float32Array;
  pca?: { mean: Float32Array; components: Float32Array };
  /** Points the method laid out when it ran on a sample (the rest were placed by neighbours). */
  sampled?: number;
}

export interface RunningProjection {
  /** Resolves with the layout, or null when cancelled; rejects when the projection failed. */
  result: Promise<ProjectionOutcome | null>;
  cancel(): void;
}

type ProgressListener = (done: number, total: number, positions: Float32Array | null) => void;

interface Queued {
  id: number;
  task: ProjectionTask;
  cancelFlag: SharedArrayBuffer;
  onProgress: ProgressListener;
  resolve(outcome: ProjectionOutcome | null): void;
  reject(error: Error): void;
}

function workerScript(): string | null {
  for (const name of ['projection-worker.js', 'projection-worker.ts']) {
    const candidate = path.join(__dirname, name);
    if (existsSync(candidate)) return candidate;
  }
  return null;
}

export class ProjectionRunner {
  private worker: Worker | null = null;
  private readonly queue: Queued[] = [];
  private current: Queued | null = null;
  private nextId = 1;
  private readonly script = workerScript();

  run(task: ProjectionTask, onProgress: ProgressListener = () => undefined): RunningProjection {
    const cancelFlag = new SharedArrayBuffer(4);
    const flag = new Int32Array(cancelFlag);
    let queued!: Queued;
    const result = new Promise<ProjectionOutcome | null>((resolve, reject) => {
      queued = { id: this.nextId++, task, cancelFlag, onProgress, resolve, reject };
    });
    this.queue.push(queued);
    this.pump();
    return {
      result,
      cancel: () => {
        Atomics.store(flag, 0, 1);
        const waiting = this.queue.indexOf(queued);
        if (waiting >= 0) {
          this.queue.splice(waiting, 1);
          queued.resolve(null);
        }
      },
    };
  }

  /** Stops the worker; whatever was queued or running resolves as cancelled. */
  async dispose(): Promise<void> {
    for (const queued of this.queue.splice(0)) queued.resolve(null);
    this.current?.resolve(null);
    this.current = null;
    await this.worker?.terminate();
    this.worker = null;
  }

  private pump(): void {
    if (this.current) return;
    const next = this.queue.shift();
    if (!next) return;
    this.current = next;
    if (!this.script) {
      setImmediate(() => this.runInline(next));
      return;
    }
    const message: ToProjectionWorker = {
      type: 'run',
      id: next.id,
      task: next.task,
      cancelFlag: next.cancelFlag,
    };
    this.ensureWorker().postMessage(message);
  }

  private finish(queued: Queued): void {
    if (this.current === queued) this.current = null;
    this.pump();
  }

  private runInline(queued: Queued): void {
    const flag = new Int32Array(queued.cancelFlag);
    try {
      const outcome = project(
        { values: queued.task.values, count: queued.task.count, dim: queued.task.dim },
        {
          settings: queued.task.settings,
          init: queued.task.init,
          sample: queued.task.sample,
          coldIterations: queued.task.coldIterations,
          warmIterations: queued.task.warmIterations,
          shouldStop: () => Atomics.load(flag, 0) === 1,
          onProgress: queued.onProgress,
        },
      );
      queued.resolve(outcome);
    } catch (error) {
      queued.reject(error instanceof Error ? error : new Error(String(error)));
    }
    this.finish(queued);
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const script = this.script!;
    // From the TypeScript sources (tests, `tsx`), the worker registers tsx itself: a worker thread
    // does not inherit the loader hooks of the process that started it.
    const worker = script.endsWith('.ts')
      ? new Worker(`require('tsx/cjs/api').register();require(${JSON.stringify(script)});`, { eval: true })
      : new Worker(script);
    worker.on('message', (message: FromProjectionWorker) => {
      const queued = this.current;
      if (!queued || queued.id !== message.id) return;
      switch (message.type) {
        case 'progress':
          queued.onProgress(message.done, message.total, message.positions);
          return;
        case 'done':
          queued.resolve({ positions: message.positions, pca: message.pca, sampled: message.sampled });
          break;
        case 'cancelled':
          queued.resolve(null);
          break;
        case 'failed':
          queued.reject(new Error(message.message));
          break;
      }
      this.finish(queued);
    });
    const died = (reason: string) => {
      if (this.worker !== worker) return;
      this.worker = null;
      const queued = this.current;
      if (queued) {
        queued.reject(new Error(`The projection worker stopped (${reason}).`));
        this.finish(queued);
      }
    };
    worker.on('error', (error) => died(error.message));
    worker.on('exit', (code) => died(`exit code ${code}`));
    // Idle between tasks: it must not keep the engine process alive on its own.
    worker.unref();
    this.worker = worker;
    return worker;
  }
}
