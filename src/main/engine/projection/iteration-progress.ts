/**
 * The stop flag and throttled progress reports of an iterative layout, shared by t-SNE and UMAP so
 * both honour the same contract: `shouldStop` every iteration, progress at most every ~100 ms.
 */

export interface IterationCallbacks {
  /** Polled every iteration; true stops the layout (the caller then gets null). */
  shouldStop?: () => boolean;
  /** Iterations done and planned, with the current positions (count × 2, a fresh copy). */
  onProgress?: (done: number, total: number, positions: Float32Array | null) => void;
}

/** Minimum milliseconds between two progress reports. */
export const PROGRESS_INTERVAL_MS = 100;

export class IterationProgress {
  private lastReport = -Infinity;

  constructor(
    private readonly callbacks: IterationCallbacks,
    readonly total: number,
  ) {}

  /** True when the caller asked to stop. */
  stopRequested(): boolean {
    return this.callbacks.shouldStop?.() === true;
  }

  /**
   * Reports `done` iterations if the last report is old enough (or `force`); `positions` is only
   * called when a report is actually sent, so copying the layout costs nothing in between.
   */
  report(done: number, positions: () => Float32Array | null, force = false): void {
    const onProgress = this.callbacks.onProgress;
    if (!onProgress) return;
    const now = performance.now();
    if (!force && now - this.lastReport < PROGRESS_INTERVAL_MS) return;
    this.lastReport = now;
    onProgress(done, this.total, positions());
  }
}
