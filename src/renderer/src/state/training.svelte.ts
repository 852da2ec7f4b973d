// Over 300 lines: one state class whose public surface the renderer's unit tests pin; its run lifecycle, progress batching and learning-rate changes share private fields.
/**
 * One training run as the renderer sees it: its state, live progress and the loss history, plus
 * its run folder (for continuing it) and learning-rate changes. Events
 * carry a jobId; a job we have not seen replaces the current one (e.g. after a page reload
 * mid-run), and events from jobs we left behind are ignored.
 */
import type { Api, RequestName } from '../../../shared/contract';
import type { ErrorCode } from '../../../shared/result';
import type { EpochMetrics, TrainProgress, TrainSettings, TrainState } from '../../../shared/types';
import { createFrameBatcher } from '../lib/frame-batcher';
import type { NoticesState } from './notices.svelte';

export type RunState = TrainState | 'idle';

/** One running-loss reading: x is the fractional epoch (0 = start of the run). */
export interface BatchLossPoint {
  epoch: number;
  x: number;
  loss: number;
}

type PendingAction = 'start' | 'continue' | 'pause' | 'resume' | 'cancel';

/** A learning rate the host accepted for a running job, and the first epoch it applies to. */
export interface LearningRateChange {
  learningRate: number;
  fromEpoch: number;
}

export interface ContinueRequest {
  runId: string;
  /** The run's new total. */
  epochs: number;
  /** Omitted: the run's own learning rate. */
  learningRate?: number;
  /** The checkpoint it resumes from, when known: metrics after it are dropped. */
  fromEpoch: number | null;
  /** The run's metrics so far, when this window knows them. */
  history: readonly EpochMetrics[];
  settings: TrainSettings | null;
  datasetName: string | null;
}

export interface TrainingHooks {
  /** A job this window had not followed became the current one. */
  adopted(): void;
}

const ACTIVE: ReadonlySet<RunState> = new Set(['loading', 'running', 'paused']);

export class TrainingState {
  jobId = $state<string | null>(null);
  state = $state<RunState>('idle');
  error = $state<string | null>(null);
  progress = $state.raw<TrainProgress | null>(null);
  batchLoss = $state.raw<BatchLossPoint[]>([]);
  epochMetrics = $state.raw<EpochMetrics[]>([]);
  /** The epochs the current run was asked for, known before its first progress event. */
  plannedEpochs = $state<number | null>(null);
  pending = $state<PendingAction | null>(null);
  /** The dataset the current run trains on, when this window started it. */
  datasetName = $state<string | null>(null);
  /** The run folder the job trains, once the host names it. */
  runId = $state<string | null>(null);
  /** The newest complete checkpoint of the run: what Continue resumes from. */
  lastCheckpointEpoch = $state<number | null>(null);
  /** The run's settings, when this window started or continued it. */
  settings = $state.raw<TrainSettings | null>(null);
  learningRateChange = $state.raw<LearningRateChange | null>(null);
  settingLearningRate = $state(false);

  active = $derived(ACTIVE.has(this.state));
  canStart = $derived(!this.active && this.pending === null);
  canPause = $derived(this.state === 'running' && this.jobId !== null && this.pending === null);
  canResume = $derived(this.state === 'paused' && this.jobId !== null && this.pending === null);
  canCancel = $derived(this.active && this.jobId !== null && this.pending !== 'cancel');
  latestMetrics = $derived(this.epochMetrics.at(-1) ?? null);
  /** The rate the optimizer uses now, or from the next epoch once a change was accepted. */
  currentLearningRate = $derived(
    this.learningRateChange?.learningRate ??
      this.#rateOfLatestEpoch() ??
      this.settings?.learningRate ??
      this.latestMetrics?.learningRate ??
      null,
  );
  /** Continued with a new rate: epochs up to here were trained with the old one. */
  #rateSetAfterEpoch = $state<number | null>(null);

  readonly #api: Api;
  /** State events received, so a control reply never overrides a newer state. */
  #stateChanges = 0;
  readonly #notices: NoticesState;
  readonly #hooks: TrainingHooks;
  /** Runs we left; never rendered, so a plain list (it holds one id per run) is enough. */
  readonly #retired: string[] = [];
  readonly #progressBatcher = createFrameBatcher<TrainProgress>((items) => this.#applyProgress(items));
  readonly #unsubscribes: (() => void)[];

  constructor(api: Api, notices: NoticesState, hooks: TrainingHooks) {
    this.#api = api;
    this.#notices = notices;
    this.#hooks = hooks;
    this.#unsubscribes = [
      api.on('train:did-change-state', (change) => {
        if (!this.#adopt(change.jobId)) return;
        this.#stateChanges++;
        this.state = change.state;
        this.error = change.error;
        this.runId = change.runId ?? this.runId;
        this.lastCheckpointEpoch = change.lastCheckpointEpoch ?? this.lastCheckpointEpoch;
        // A run continued on a folder that changed says how (its split kept every old file's part);
        // a run that completed before its last epoch says why (early stopping on validation, or
        // its time budget).
        if (change.notice) {
          const title =
            change.state !== 'completed'
              ? 'The folder changed'
              : change.notice.startsWith('Stopped at the time budget')
                ? 'Time budget reached'
                : 'Stopped early';
          this.#notices.show(title, change.notice);
        }
        // A divergence has its own panel, with the way out; a failure has only the message.
        if (change.state === 'failed') {
          this.#notices.show('Training failed', change.error ?? 'The run stopped without saying why.');
        }
      }),
      api.on('train:did-progress', (progress) => {
        if (this.#adopt(progress.jobId)) this.#progressBatcher.push(progress);
      }),
      api.on('train:did-end-epoch', (snapshot) => {
        if (!this.#adopt(snapshot.jobId)) return;
        const epoch = snapshot.metrics.epoch;
        this.epochMetrics = [...this.epochMetrics.filter((m) => m.epoch !== epoch), snapshot.metrics].sort(
          (a, b) => a.epoch - b.epoch,
        );
      }),
      api.on('train:did-save-checkpoint', ({ jobId, runId, epoch }) => {
        if (!this.#adopt(jobId)) return;
        this.runId = runId;
        this.lastCheckpointEpoch = Math.max(epoch, this.lastCheckpointEpoch ?? 0);
      }),
    ];
  }

  /** Returns null once the run is under way, or the host's reason for refusing it. */
  async start(settings: TrainSettings, datasetName: string): Promise<ErrorCode | null> {
    if (!this.canStart) return 'BUSY';
    this.pending = 'start';
    try {
      const result = await this.#api.invoke('train:start', settings);
      if (!result.ok) {
        // The previous run's charts stay: nothing replaced them.
        this.#notices.showFailure(result, 'Could not start training');
        return result.code;
      }
      this.#notices.dismiss();
      this.#adopt(result.value.jobId);
      this.datasetName = datasetName;
      this.settings = settings;
      this.#rateSetAfterEpoch = null;
      this.plannedEpochs ??= settings.epochs;
      // The first state event may race the reply; until it lands we are at least loading.
      if (this.state === 'idle') this.state = 'loading';
      return null;
    } finally {
      this.pending = null;
    }
  }

  /**
   * Continues a run from its newest checkpoint as a new job. The charts keep the run's history up
   * to that checkpoint (and, for the run on screen, its batch losses) so the curve goes on. The
   * map keeps its own history: it follows the run id, which stays the same.
   */
  async continueRun(request: ContinueRequest): Promise<ErrorCode | null> {
    if (!this.canStart) return 'BUSY';
    const { runId, epochs, learningRate, fromEpoch } = request;
    const sameRun = this.runId === runId;
    const keptBatches = sameRun ? this.batchLoss : [];
    this.pending = 'continue';
    try {
      const result = await this.#api.invoke('train:continue', {
        runId,
        epochs,
        ...(learningRate === undefined ? {} : { learningRate }),
      });
      if (!result.ok) {
        this.#notices.showFailure(result, 'Could not continue the run');
        return result.code;
      }
      this.#notices.dismiss();
      this.#adopt(result.value.jobId);
      const through = fromEpoch ?? Infinity;
      const newer = this.epochMetrics.filter((m) => m.epoch > through);
      this.epochMetrics = [...request.history.filter((m) => m.epoch <= through), ...newer];
      this.batchLoss = [...keptBatches.filter((p) => p.epoch <= through), ...this.batchLoss];
      this.runId = runId;
      this.lastCheckpointEpoch = fromEpoch;
      this.datasetName = request.datasetName;
      this.settings = request.settings
        ? { ...request.settings, epochs, learningRate: learningRate ?? request.settings.learningRate }
        : null;
      this.plannedEpochs = epochs;
      this.#rateSetAfterEpoch = learningRate === undefined ? null : (fromEpoch ?? 0);
      if (this.state === 'idle') this.state = 'loading';
      return null;
    } finally {
      this.pending = null;
    }
  }

  #rateOfLatestEpoch(): number | null {
    const latest = this.latestMetrics;
    if (!latest || latest.epoch <= (this.#rateSetAfterEpoch ?? -Infinity)) return null;
    return latest.learningRate;
  }

  /** Asks the running job to use `learningRate` from its next epoch; true once the host accepted. */
  async setLearningRate(learningRate: number): Promise<boolean> {
    const jobId = this.jobId;
    if (jobId === null || !this.active) return false;
    this.settingLearningRate = true;
    try {
      const result = await this.#api.invoke('train:set-learning-rate', { jobId, learningRate });
      if (this.jobId !== jobId) return false;
      if (!result.ok) {
        this.#notices.showFailure(result, 'Could not change the learning rate');
        return false;
      }
      const current = this.progress?.epoch ?? this.latestMetrics?.epoch ?? 0;
      this.learningRateChange = { learningRate: result.value.learningRate, fromEpoch: current + 1 };
      return true;
    } finally {
      this.settingLearningRate = false;
    }
  }

  pause(): Promise<void> {
    return this.#control('pause', 'train:pause', 'Could not pause');
  }

  resume(): Promise<void> {
    return this.#control('resume', 'train:resume', 'Could not resume');
  }

  cancel(): Promise<void> {
    return this.#control('cancel', 'job:cancel', 'Could not cancel');
  }

  dispose(): void {
    for (const unsubscribe of this.#unsubscribes) unsubscribe();
    this.#progressBatcher.clear();
  }

  async #control(
    action: Exclude<PendingAction, 'start'>,
    name: Extract<RequestName, 'train:pause' | 'train:resume' | 'job:cancel'>,
    context: string,
  ): Promise<void> {
    const jobId = this.jobId;
    if (jobId === null) return;
    this.pending = action;
    const changesBefore = this.#stateChanges;
    try {
      const result = await this.#api.invoke(name, { jobId });
      if (!result.ok) {
        this.#notices.showFailure(result, context);
        // The host forgot the run (e.g. it restarted while we were disconnected): stop offering controls.
        if (result.code === 'JOB_NOT_FOUND' && this.jobId === jobId) this.state = 'cancelled';
      } else if (this.jobId === jobId && this.#stateChanges === changesBefore) {
        // The reply's state is as of the request; a state event that overtook the reply (the
        // host relays events as they come, replies a few hops later) is newer, so it stands.
        this.state = result.value.state;
      }
    } finally {
      this.pending = null;
    }
  }

  /** The run on screen was deleted: its charts go, as if no run had been trained in this window. */
  forgetRun(runId: string): void {
    if (this.runId === runId && !this.active) this.#retire();
  }

  /** Returns false for events that belong to a run we already left. */
  #adopt(jobId: string): boolean {
    if (jobId === this.jobId) return true;
    if (this.#retired.includes(jobId)) return false;
    this.#retire();
    this.jobId = jobId;
    this.#hooks.adopted();
    return true;
  }

  #retire(): void {
    if (this.jobId !== null) this.#retired.push(this.jobId);
    this.jobId = null;
    this.state = 'idle';
    this.error = null;
    this.progress = null;
    this.batchLoss = [];
    this.epochMetrics = [];
    this.plannedEpochs = null;
    this.datasetName = null;
    this.runId = null;
    this.lastCheckpointEpoch = null;
    this.settings = null;
    this.learningRateChange = null;
    this.#rateSetAfterEpoch = null;
    this.#progressBatcher.clear();
  }

  #applyProgress(items: TrainProgress[]): void {
    const fresh = items.filter((p) => p.jobId === this.jobId);
    const last = fresh.at(-1);
    if (!last) return;
    this.progress = last;
    this.plannedEpochs = last.epochs;
    // Joined mid-run (e.g. after a reload): progress proves the run is going even before a state event.
    if (this.state === 'idle') this.state = 'running';
    const points = fresh.map((p) => ({
      epoch: p.epoch,
      x: p.epoch - 1 + p.batch / Math.max(1, p.batchesPerEpoch),
      loss: p.loss,
    }));
    this.batchLoss = this.batchLoss.concat(points.filter((p) => Number.isFinite(p.loss)));
  }
}
