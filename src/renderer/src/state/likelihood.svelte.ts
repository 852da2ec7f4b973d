/**
 * The importance-weighted log-likelihood of runs: the estimate under way with its progress (one
 * asked for with `run:evaluate`, or the one the engine starts by itself when a run completes, which
 * this window learns of from its first progress event), and the completed estimates per run: those
 * the run folder kept (from `runs:open`) together with those finished while this window watched.
 * One instance per window (on the Studio), so an estimate started in one place is seen and
 * cancellable everywhere.
 */
import type { Api } from '../../../shared/contract';
import type { LikelihoodProgress, LikelihoodResult, SavedLikelihood } from '../../../shared/likelihood-types';

export interface RunningEstimate {
  /** Null until the engine has answered with the job id. */
  jobId: string | null;
  runId: string;
  samples: number;
  imagesDone: number;
  images: number | null;
  /** Started by the engine at the end of training. */
  automatic: boolean;
  cancelling: boolean;
}

/** The same estimate, whether it came from the run folder or from its result event. */
function keyOf(saved: SavedLikelihood): string {
  return `${saved.finishedAt}|${saved.estimate.samples}|${saved.epoch}|${saved.automatic}`;
}

export class LikelihoodState {
  running = $state.raw<RunningEstimate | null>(null);
  /** The last failure of an estimate asked for, per run. */
  failures = $state.raw<Record<string, string>>({});
  /** Estimates completed while this window watched, by run id, oldest first. */
  #completed = $state.raw<Record<string, SavedLikelihood[]>>({});

  readonly #api: Api;
  readonly #stored: (runId: string) => readonly SavedLikelihood[];
  readonly #unsubscribes: (() => void)[];

  /** `stored` gives what a run's folder kept, where this window has read it (an opened run). */
  constructor(api: Api, stored: (runId: string) => readonly SavedLikelihood[] = () => []) {
    this.#api = api;
    this.#stored = stored;
    this.#unsubscribes = [
      api.on('run:did-evaluate-progress', (progress) => this.#progress(progress)),
      api.on('run:did-evaluate', (result) => this.#finish(result)),
      // An engine that stopped took its job with it: no result will come.
      api.on('engine:did-change-status', ({ state }) => {
        if (state !== 'ready') this.running = null;
      }),
    ];
  }

  /** A run's completed estimates, oldest first, each once. */
  savedFor(runId: string): SavedLikelihood[] {
    const all = [...this.#stored(runId), ...(this.#completed[runId] ?? [])];
    const once = all.filter((saved, i) => all.findIndex((other) => keyOf(other) === keyOf(saved)) === i);
    return once.sort((a, b) => a.finishedAt.localeCompare(b.finishedAt));
  }

  /** A run's newest completed estimate. */
  latestFor(runId: string): SavedLikelihood | null {
    return this.savedFor(runId).at(-1) ?? null;
  }

  /** An estimate may be asked for while nothing runs but an automatic one, which gives way. */
  get canCompute(): boolean {
    return this.running === null || this.running.automatic;
  }

  async compute(runId: string, samples: number): Promise<void> {
    if (!this.canCompute) return;
    this.running = {
      jobId: null,
      runId,
      samples,
      imagesDone: 0,
      images: null,
      automatic: false,
      cancelling: false,
    };
    const { [runId]: _, ...otherFailures } = this.failures;
    this.failures = otherFailures;
    const result = await this.#api.invoke('run:evaluate', { runId, samples });
    if (!result.ok) {
      if (this.running?.jobId === null && !this.running.automatic) this.running = null;
      this.failures = { ...this.failures, [runId]: result.message };
      return;
    }
    // The result event may have overtaken the reply only if the job ended at once; keep what came.
    if (this.running?.runId === runId && this.running.jobId === null && !this.running.automatic) {
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

  /** Whether an event belongs to the estimate under way (an asked-for one may not know its id yet). */
  #isRunning({ jobId, runId, automatic }: { jobId: string; runId: string; automatic: boolean }): boolean {
    const running = this.running;
    if (running === null) return false;
    if (running.jobId !== null) return running.jobId === jobId;
    return !automatic && running.runId === runId;
  }

  #progress({ jobId, runId, samples, imagesDone, images, automatic }: LikelihoodProgress): void {
    if (this.#isRunning({ jobId, runId, automatic })) {
      this.running = { ...this.running!, jobId, imagesDone, images };
    } else if (this.running === null) {
      // One this window did not ask for: the engine's own at the end of a run, or another window's.
      this.running = { jobId, runId, samples, imagesDone, images, automatic, cancelling: false };
    }
  }

  #finish(result: LikelihoodResult): void {
    const { runId, outcome, saved, error, automatic } = result;
    if (this.#isRunning(result)) this.running = null;
    if (outcome === 'completed' && saved) {
      this.#completed = { ...this.#completed, [runId]: [...(this.#completed[runId] ?? []), saved] };
    }
    // An automatic estimate that fails is a nicety lost, not something to interrupt anyone with.
    if (error !== null && !automatic) {
      this.failures = { ...this.failures, [runId]: error };
    } else if (outcome === 'failed' && !automatic) {
      this.failures = { ...this.failures, [runId]: 'The estimate failed.' };
    }
  }
}
