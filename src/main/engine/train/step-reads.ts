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
  /** Measured milliseconds per step (queue and device together), smoothed; null until measured. */
  private msPerStep: number | null = null;
  private lastReadEnd: number | null = null;

  get size(): number {
    return this.pending.length;
  }

  /**
   * How many steps may wait unread: about one `intervalMs` of work. A slow device (a software GPU
   * takes seconds per step) is read every step, so progress, pause and cancel stay prompt; a fast
   * one runs up to MAX_UNREAD_STEPS ahead. One step until the speed is known.
   */
  limit(intervalMs: number): number {
    if (this.msPerStep === null) return 1;
    return Math.max(1, Math.min(MAX_UNREAD_STEPS, Math.floor(intervalMs / this.msPerStep)));
  }

  /** Forgets the last read's time: what happens between epochs is not step time. */
  restartClock(): void {
    this.lastReadEnd = null;
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
      this.measure(steps.length);
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

  private measure(stepsRead: number): void {
    const now = performance.now();
    if (this.lastReadEnd !== null && stepsRead > 0) {
      const perStep = (now - this.lastReadEnd) / stepsRead;
      this.msPerStep = this.msPerStep === null ? perStep : 0.7 * this.msPerStep + 0.3 * perStep;
    }
    this.lastReadEnd = now;
  }

  /** Frees what was never read (a cancelled or failed run). */
  dispose(): void {
    tf.dispose(this.pending.flatMap((s) => [s.objective, s.loss]).filter((t): t is tf.Scalar => t !== null));
    this.pending = [];
  }
}
