/**
 * How responsive the host process is: its event-loop delay (what a click or an IPC message waits
 * before main gets to it) and its memory, over the window since the last reading.
 */
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import type { AppHealth } from '../../shared/contract';

const NS_PER_MS = 1e6;

export class HealthMonitor {
  readonly #delay: IntervalHistogram;
  #since = performance.now();

  constructor() {
    // 10 ms sampling: fine enough for a 50 ms budget, too coarse to cost anything.
    this.#delay = monitorEventLoopDelay({ resolution: 10 });
    this.#delay.enable();
  }

  /** The figures since the previous reading (or since start), then starts a new window. */
  read(): AppHealth {
    const memory = process.memoryUsage();
    const samples = this.#delay.count;
    const health: AppHealth = {
      windowSeconds: (performance.now() - this.#since) / 1000,
      eventLoopDelayMs: {
        samples,
        p50: samples ? this.#delay.percentile(50) / NS_PER_MS : 0,
        p99: samples ? this.#delay.percentile(99) / NS_PER_MS : 0,
        max: samples ? this.#delay.max / NS_PER_MS : 0,
      },
      rssBytes: memory.rss,
      heapUsedBytes: memory.heapUsed,
    };
    this.#delay.reset();
    this.#since = performance.now();
    return health;
  }

  dispose(): void {
    this.#delay.disable();
  }
}
