/**
 * Remembers the run the user opened or trained last, so that the next launch opens it again
 * (`app:get-last-run`). Best-effort: a full or read-only data folder must not fail the request that
 * opened the run, so a failed save only goes to the log.
 */
import type { EventName } from '../../shared/contract';
import type { TrainStateChange } from '../../shared/training-events';
import type { EventHub } from './event-hub';
import type { SettingsStore } from './settings-store';

/** The hub's sink is generic over every event: the name is what tells a payload's type. */
function isTrainStateChange(name: EventName, _payload: unknown): _payload is TrainStateChange {
  return name === 'train:did-change-state';
}

export class LastRun {
  /** What was saved last in this process, so a run's every state change does not rewrite the file. */
  private saved: string | null = null;

  constructor(private readonly settings: SettingsStore) {}

  async read(): Promise<string | null> {
    return (await this.settings.load()).lastRunId;
  }

  async record(runId: string): Promise<void> {
    if (runId === this.saved) return;
    this.saved = runId;
    await this.settings.saveLastRun(runId).catch((error: unknown) => {
      this.saved = null;
      const reason = error instanceof Error ? error.message : String(error);
      console.error(`[latent-studio] the last opened run could not be remembered: ${reason}`);
    });
  }

  /** A run being trained (new or continued) becomes the last run once it has its folder. */
  follow(events: EventHub): () => void {
    return events.subscribe((name, payload) => {
      if (isTrainStateChange(name, payload) && payload.runId !== null) void this.record(payload.runId);
    });
  }
}
