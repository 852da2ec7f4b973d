/**
 * The projection worker thread: runs t-SNE, UMAP and PCA off the engine's main thread, so training,
 * pings and cancels carry on while a layout converges. One task at a time; cancelling is a shared
 * flag the algorithm reads every iteration, since a busy thread never sees a message.
 */
import { parentPort } from 'node:worker_threads';
import { project } from '../projection/project';
import type { FromProjectionWorker, ToProjectionWorker } from './projection-messages';

const port = parentPort;
if (!port) throw new Error('projection-worker must run in a worker thread');

function post(message: FromProjectionWorker, transfer: ArrayBuffer[] = []): void {
  port!.postMessage(message, transfer);
}

port.on('message', (message: ToProjectionWorker) => {
  const { id, task } = message;
  const cancelled = new Int32Array(message.cancelFlag);
  try {
    const result = project(
      { values: task.values, count: task.count, dim: task.dim },
      {
        settings: task.settings,
        init: task.init,
        sample: task.sample,
        coldIterations: task.coldIterations,
        warmIterations: task.warmIterations,
        shouldStop: () => Atomics.load(cancelled, 0) === 1,
        onProgress: (done, total, positions) =>
          post({ type: 'progress', id, done, total, positions: positions ? positions.slice() : null }),
      },
    );
    if (!result) return post({ type: 'cancelled', id });
    post({ type: 'done', id, positions: result.positions, pca: result.pca, sampled: result.sampled });
  } catch (error) {
    post({ type: 'failed', id, message: error instanceof Error ? error.message : String(error) });
  }
});
