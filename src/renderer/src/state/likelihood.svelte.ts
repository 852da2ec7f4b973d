/**
 * The importance-weighted log-likelihood of runs (`run:evaluate`): the estimate under way with its
 * progress, and the finished ones per run and K. One instance per host, shared by every panel
 * that shows it, so an estimate started in one place is seen (and cancellable) everywhere; it
 * lives beside the Studio rather than in it to keep this feature in its own files.
 */
import type { Api } from '../../../shared/contract';
import type { LikelihoodEstimate, LikelihoodResult } from '../../../shared/likelihood-types';
import { getApi } from '../lib/api';

export interface RunningEstimate {
  /** Null until the engine has answered with the job id. */
  jobId: string | null;
  runId: string;
  samples: number;
  imagesDone: number;
  images: number | null;
  cancelling: boolean;
}

export interface FinishedEstimate {
  samples: number;
  epoch: number | null;
  estimate: LikelihoodEstimate;
}

export class LikelihoodState {
  running = $state.raw<RunningEstimate | null>(null);
  /** Finished estimates by run id, one per K (the newest), fewest samples first. */
  finished = $state.raw<Record<string, FinishedEstimate[]>>({});
  /** The last failure, per run. */
  failures = $state.raw<Record<string, string>>({});

  readonly #api: Api;
  readonly #unsubscribes: (() => void)[];

  constructor(api: Api) {
    this.#api = api;
    this.#unsubscribes = [
      api.on('run:did-evaluate-progress', ({ jobId, imagesDone, images }) => {
        if (this.running?.jobId !== jobId) return;
        this.running = { ...this.running, imagesDone, images };
      }),
      api.on('run:did-evaluate', (result) => this.#finish(result)),
    ];
  }

  forRun(runId: string): FinishedEstimate[] {
    return this.finished[runId] ?? [];
  }

  async compute(runId: string, samples: number): Promise<void> {
    if (this.running) return;
    this.running = { jobId: null, runId, samples, imagesDone: 0, images: null, cancelling: false };
    const { [runId]: _, ...otherFailures } = this.failures;
    this.failures = otherFailures;
    const result = await this.#api.invoke('run:evaluate', { runId, samples });
    if (!result.ok) {
      this.running = null;
      this.failures = { ...this.failures, [runId]: result.message };
      return;
    }
    // The result event may have overtaken the reply only if the job ended at once; keep what came.
    if (this.running?.runId === runId && this.running.jobId === null) {
      this.running = { ...this.running, jobId: result.value.jobId };
    }
  }

  async cancel(): Promise<void> {
    const running = this.running;
    if (!running?.jobId || running.cancelling) return;
    this.running = { ...running, cancelling: true };
    const result = await this.#api.invoke('job:cancel', { jobId: running.jobId });
    // Already over (or the engine restarted): nothing will report, so stop waiting.
    if (!result.ok && this.running?.jobId === running.jobId) this.running = null;
  }

  dispose(): void {
    for (const unsubscribe of this.#unsubscribes) unsubscribe();
  }

  #finish({ jobId, runId, samples, epoch, outcome, estimate, error }: LikelihoodResult): void {
    if (this.running?.jobId === jobId || (this.running?.jobId === null && this.running.runId === runId)) {
      this.running = null;
    }
    if (outcome === 'completed' && estimate) {
      const others = this.forRun(runId).filter((e) => e.samples !== samples);
      const next = [...others, { samples, epoch, estimate }].sort((a, b) => a.samples - b.samples);
      this.finished = { ...this.finished, [runId]: next };
    } else if (outcome === 'failed') {
      this.failures = { ...this.failures, [runId]: error ?? 'The estimate failed.' };
    }
  }
}

let shared: LikelihoodState | null = null;

/** The window's one likelihood state, on the window's host. */
export function getLikelihood(): LikelihoodState {
  shared ??= new LikelihoodState(getApi());
  return shared;
}
