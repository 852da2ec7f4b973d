/**
 * The losses of recent training steps, read back together a few times a second instead of after
 * every step. On a GPU each read waits for the queue to drain, so reading every step would leave
 * the GPU idle while JavaScript prepares the next batch; queued steps keep it busy. On the CPU
 * backends the values are ready already and a read costs nothing either way.
 */
import * as tf from '@tensorflow/tfjs-core';
import { unlessDeviceLost } from '../webgpu/gpu-faults';

export interface StepLosses {
  /** 1-based batch number within its epoch. */
  batch: number;
  images: number;
  /** The β-weighted objective that was minimised. */
  objective: number;
  /** The plain negative ELBO, which is reported. */
  loss: number;
}

interface PendingStep {
  batch: number;
  images: number;
  objective: tf.Scalar | null;
  loss: tf.Scalar | null;
}

/** At most this many steps wait unread: bounds the memory held and how late divergence is seen. */
export const MAX_UNREAD_STEPS = 16;

export class StepReads {
  private pending: PendingStep[] = [];

  get size(): number {
    return this.pending.length;
  }

  /** Takes ownership of the step's scalars. */
  add(batch: number, images: number, objective: tf.Scalar | null, loss: tf.Scalar | null): void {
    this.pending.push({ batch, images, objective, loss });
  }

  /** Reads every waiting step in one go, in order, and frees their tensors. */
  async read(): Promise<StepLosses[]> {
    const steps = this.pending;
    this.pending = [];
    try {
      const scalars = steps.flatMap((s) => [s.objective, s.loss]);
      const values = await unlessDeviceLost(
        Promise.all(scalars.map(async (t) => (t ? ((await t.data())[0] ?? NaN) : NaN))),
      );
      return steps.map((s, i) => ({
        batch: s.batch,
        images: s.images,
        objective: values[2 * i]!,
        loss: values[2 * i + 1]!,
      }));
    } finally {
      tf.dispose(steps.flatMap((s) => [s.objective, s.loss]).filter((t): t is tf.Scalar => t !== null));
    }
  }

  /** Frees what was never read (a cancelled or failed run). */
  dispose(): void {
    tf.dispose(this.pending.flatMap((s) => [s.objective, s.loss]).filter((t): t is tf.Scalar => t !== null));
    this.pending = [];
  }
}
