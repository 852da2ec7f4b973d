/**
 * What a training job's events turn into: engine events for the window, the projector's live map,
 * the gallery's timeline, and the automatic likelihood estimate of a completed run.
 */
import type { LoadedDataset } from '../data/loaded-dataset';
import type { ReconstructionRequests } from '../gallery/reconstruction-requests';
import type { Projector } from '../latent/projector';
import type { EmitEvent } from '../protocol';
import type { TrainingListener } from './training-job';

/** What every job's listener reports to, whichever job it is. */
export interface RunEventSinks {
  emit: EmitEvent;
  /** Error text without the absolute paths the window has no business seeing. */
  withoutPaths: (message: string) => string;
  projector: Projector;
  reconstructions: ReconstructionRequests;
}

export interface RunListenerDeps extends RunEventSinks {
  /** The run of the engine's current training job, read at each event. */
  currentRunId: () => string | null;
  /** A run just completed. */
  onCompleted: (runId: string) => void;
}

/**
 * `notice` goes out with the job's first state change (what changed in a continued run's folder);
 * a notice the job gives with a state (why it stopped early) goes out with that state.
 */
export function runListener(
  jobId: string,
  dataset: LoadedDataset,
  notice: string | null,
  deps: RunListenerDeps,
): TrainingListener {
  const { emit, projector, reconstructions, currentRunId } = deps;
  let pendingNotice = notice;
  return {
    onState: (state, error, lastCheckpointEpoch, stateNotice?: string | null) => {
      const runId = currentRunId();
      const said = stateNotice ?? pendingNotice;
      emit('train:did-change-state', {
        jobId,
        runId,
        state,
        error: error === null ? null : deps.withoutPaths(error),
        lastCheckpointEpoch,
        ...(said === null ? {} : { notice: said }),
      });
      pendingNotice = null;
      if (state === 'completed' && runId !== null) deps.onCompleted(runId);
      // The live map showed a sample while training shared the cores; the full layout follows.
      const over = state !== 'loading' && state !== 'running' && state !== 'paused';
      if (over && runId !== null) projector.trainingEnded(runId);
    },
    onProgress: (payload) => {
      // The ETA covers the full map layout that follows the last epoch.
      const runId = currentRunId();
      const layout = runId ? projector.finishingEstimate(runId) : 0;
      emit('train:did-progress', { ...payload, etaSeconds: payload.etaSeconds + layout });
    },
    onEpochEnd: (payload) => {
      emit('train:did-end-epoch', payload);
      if (payload.runId) void projector.epochEnded(payload.runId, payload.epoch, payload.means);
    },
    afterEpoch: async (epoch, model) => {
      const runId = currentRunId();
      // The gallery's timeline is a nicety: a failed write must never stop training.
      if (runId) await reconstructions.recordEpoch(runId, epoch, model, dataset).catch(() => undefined);
    },
    onMapUpdate: ({ epoch, means }) => {
      const runId = currentRunId();
      if (runId) projector.partWay(runId, epoch, means);
    },
    onCheckpoint: (epoch) => {
      const runId = currentRunId();
      if (runId) emit('train:did-save-checkpoint', { jobId, runId, epoch });
    },
  };
}
