/**
 * A TrainingState on a fake Api whose `train:start` answers job j1, with the notices it writes to
 * and a count of the jobs it adopted; `stateChange` sends the engine's state event for a job.
 */
import { ok } from '../../../src/shared/result';
import { DEFAULT_TRAIN_SETTINGS } from '../../../src/shared/train-defaults';
import type { TrainSettings, TrainStateChange } from '../../../src/shared/types';
import { NoticesState } from '../../../src/renderer/src/state/notices.svelte';
import { TrainingState } from '../../../src/renderer/src/state/training.svelte';
import { FakeApi, type FakeHandlers } from '../../support/fake-api';

export const SETTINGS: TrainSettings = { ...DEFAULT_TRAIN_SETTINGS, epochs: 3 };

export interface TrainingHarness {
  api: FakeApi;
  notices: NoticesState;
  training: TrainingState;
  /** How many times a job this window had not followed became the current one. */
  adopted: () => number;
  stateChange(jobId: string, state: TrainStateChange['state'], extra?: Partial<TrainStateChange>): void;
}

export function trainingHarness(handlers: FakeHandlers = {}): TrainingHarness {
  const api = new FakeApi({ 'train:start': () => ok({ jobId: 'j1' }), ...handlers });
  const notices = new NoticesState();
  let adopted = 0;
  const training = new TrainingState(api, notices, { adopted: () => adopted++ });
  return {
    api,
    notices,
    training,
    adopted: () => adopted,
    stateChange(jobId, state, extra = {}) {
      api.emit('train:did-change-state', {
        jobId,
        runId: 'r1',
        state,
        error: null,
        lastCheckpointEpoch: null,
        ...extra,
      });
    },
  };
}

/** Starts job j1 (run r1) and lets the engine say it is running. */
export async function running(h: TrainingHarness): Promise<void> {
  await h.training.start(SETTINGS, 'MNIST');
  h.stateChange('j1', 'running');
}
