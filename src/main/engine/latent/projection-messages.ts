/** Messages between the engine and its projection worker thread (structured clone). */
import type { ProjectionSettings } from '../../../shared/projection-types';

export interface ProjectionTask {
  values: Float32Array;
  count: number;
  dim: number;
  settings: ProjectionSettings;
  /** Warm start: the previous layout of the same points (count × 2). */
  init?: Float32Array;
  /** The live map's budget (see ProjectOptions): points laid out, iteration caps. */
  sample?: number;
  coldIterations?: number;
  warmIterations?: number;
}

export type ToProjectionWorker = {
  type: 'run';
  id: number;
  task: ProjectionTask;
  /** An Int32Array over it: set to 1 to cancel; read every iteration without waiting for messages. */
  cancelFlag: SharedArrayBuffer;
};

export type FromProjectionWorker =
  | { type: 'progress'; id: number; done: number; total: number; positions: Float32Array | null }
  | {
      type: 'done';
      id: number;
      positions: Float32Array;
      pca?: { mean: Float32Array; components: Float32Array };
      sampled?: number;
    }
  | { type: 'cancelled'; id: number }
  | { type: 'failed'; id: number; message: string };
