/**
 * The run the app stopped in the middle of (quit, or the engine died), offered once the app starts
 * again: continue it to its planned epochs, or dismiss the offer for good.
 */
import type { RunSummary } from '../../../shared/run-types';

const STORAGE_KEY = 'latent-studio:dismissed-resume-offers';

function readDismissed(): string[] {
  try {
    const stored: unknown = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '[]');
    return Array.isArray(stored) ? stored.filter((id): id is string => typeof id === 'string') : [];
  } catch {
    return [];
  }
}

export class ResumeOfferState {
  readonly #runs: () => readonly RunSummary[] | null;
  readonly #idle: () => boolean;
  #dismissed = $state<string[]>(readDismissed());

  constructor(runs: () => readonly RunSummary[] | null, idle: () => boolean) {
    this.#runs = runs;
    this.#idle = idle;
  }

  /** The newest interrupted run with a checkpoint to continue from, while nothing trains. */
  get run(): RunSummary | null {
    if (!this.#idle()) return null;
    const candidates = (this.#runs() ?? []).filter(
      (run) =>
        run.state === 'interrupted' &&
        run.checkpointEpochs.length > 0 &&
        !this.#dismissed.includes(run.runId),
    );
    return candidates.reduce<RunSummary | null>(
      (newest, run) => (newest === null || run.createdAt > newest.createdAt ? run : newest),
      null,
    );
  }

  dismiss(runId: string): void {
    this.#dismissed = [...this.#dismissed.filter((id) => id !== runId), runId].slice(-50);
    try {
      localStorage.setItem(STORAGE_KEY, JSON.stringify(this.#dismissed));
    } catch {
      // Storage may be unavailable (private mode); the offer then comes back next launch.
    }
  }
}
