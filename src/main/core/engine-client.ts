// Over 300 lines: the engine child's start, crash, restart and pending replies are one state machine.
/**
 * Main's handle on the engine process: starts it, forwards commands and events, notices a crash,
 * tells the user in plain words and restarts it (a few times, then waits for the user).
 */
import { fail, type Result } from '../../shared/result';
import type { BackendPreference, EngineStatus } from '../../shared/backend-types';
import type { TrainStateChange } from '../../shared/training-events';
import { BACKEND_ENV, CACHE_DIR_ENV, RUNS_DIR_ENV } from '../engine/backend-preference';
import type { EngineCommandName, EngineCommands, EngineEventName, FromEngine } from '../engine/protocol';
import type { Events } from '../../shared/contract';
import type { EngineChild, EngineLauncher } from './engine-child';

export interface EngineClientOptions {
  launcher: EngineLauncher;
  preference: BackendPreference;
  /** Where the engine keeps dataset caches. */
  cacheDirectory: string;
  /** Where the engine keeps training runs. */
  runsDirectory: string;
  /** Receives engine status changes and the engine's events. */
  emit: <E extends EngineEventName | 'engine:did-change-status'>(name: E, payload: Events[E]) => void;
  /** How long a command waits for the engine to become ready. Default 60 s. */
  readyTimeoutMs?: number;
  /** Automatic restarts allowed within `crashWindowMs` before asking the user. Default 3. */
  maxAutoRestarts?: number;
  crashWindowMs?: number;
}

type Pending = { resolve: (result: Result<unknown>) => void };

/**
 * Folder scans at once, from every tab together: each decodes 8 images at a time and holds a
 * folder's pixels, so a few tabs opening big folders together could exhaust the engine's memory.
 */
export const MAX_CONCURRENT_SCANS = 3;

export class EngineClient {
  private child: EngineChild | null = null;
  private nextId = 1;
  private pending = new Map<number, Pending>();
  private readyWaiters: (() => void)[] = [];
  private crashTimes: number[] = [];
  /** How the engine last died ("was stopped by signal SIGKILL"), until its restart is ready. */
  private lastCrash: string | null = null;
  /** Whether that crash took a loading, training or paused run with it. */
  private lastCrashStoppedRun = false;
  private activeJob: TrainStateChange | null = null;
  /** Dataset scans under way, so a crash can fail them instead of leaving them hanging. */
  private readonly activeScans = new Set<string>();
  private disposed = false;
  private currentStatus: EngineStatus;

  constructor(private readonly options: EngineClientOptions) {
    this.currentStatus = {
      state: 'starting',
      backend: null,
      preference: options.preference,
      message: null,
      restarts: 0,
    };
  }

  get status(): EngineStatus {
    return this.currentStatus;
  }

  /** The engine's process id while it runs (for diagnostics and the crash tests). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** The job id of a run that is loading, running or paused, if any. */
  get runningJob(): string | null {
    return this.activeJob?.jobId ?? null;
  }

  start(): void {
    this.launch();
  }

  async restart(preference: BackendPreference): Promise<EngineStatus> {
    this.lastCrash = null;
    this.setStatus({ ...this.currentStatus, state: 'restarting', preference, message: null });
    this.stopChild('The engine was restarted.');
    this.crashTimes = [];
    this.launch();
    await this.whenReady();
    return this.currentStatus;
  }

  async request<K extends EngineCommandName>(
    name: K,
    args: EngineCommands[K]['args'],
  ): Promise<Result<EngineCommands[K]['value']>> {
    const ready = await this.whenReady();
    if (!ready || !this.child) {
      return fail('ENGINE_UNAVAILABLE', this.currentStatus.message ?? 'The engine is not running.');
    }
    const id = this.nextId++;
    const child = this.child;
    // A scan is tracked from the moment it is asked for: a crash before its first progress event
    // must still fail it, or the page waits for it forever.
    const scanJob = name === 'dataset:open' ? (args as EngineCommands['dataset:open']['args']).jobId : null;
    if (scanJob && this.activeScans.size >= MAX_CONCURRENT_SCANS) {
      return fail(
        'BUSY',
        `${MAX_CONCURRENT_SCANS} folders are being opened already; wait for one to finish or cancel it.`,
      );
    }
    if (scanJob) this.activeScans.add(scanJob);
    return new Promise((resolve) => {
      const settle = (result: Result<unknown>) => {
        if (scanJob && !result.ok) this.activeScans.delete(scanJob);
        resolve(result as Result<EngineCommands[K]['value']>);
      };
      this.pending.set(id, { resolve: settle });
      child.send({ type: 'command', id, name, args });
    });
  }

  /**
   * The app is quitting: a run in progress stops within one batch, left "interrupted" with its
   * newest checkpoint so the next launch can continue it; then the engine ends. An engine that does
   * not answer within `timeoutMs` is ended anyway (its files are written atomically).
   */
  async shutdown(timeoutMs = 20_000): Promise<{ interruptedRunId: string | null }> {
    let interruptedRunId: string | null = null;
    if (this.child && this.currentStatus.state === 'ready') {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), timeoutMs)));
      const answer = await Promise.race([this.request('app:prepare-quit', {}), timeout]);
      clearTimeout(timer);
      if (answer?.ok) interruptedRunId = answer.value.interruptedRunId;
    }
    const child = this.child;
    const exited = child
      ? new Promise<void>((resolve) => {
          child.onExit(() => resolve());
          setTimeout(resolve, 5_000).unref?.();
        })
      : Promise.resolve();
    this.dispose();
    await exited;
    return { interruptedRunId };
  }

  dispose(): void {
    this.disposed = true;
    this.stopChild('Latent Studio is shutting down.');
  }

  private whenReady(): Promise<boolean> {
    if (this.currentStatus.state === 'ready') return Promise.resolve(true);
    if (this.currentStatus.state === 'crashed' && !this.child) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), this.options.readyTimeoutMs ?? 60_000);
      this.readyWaiters.push(() => {
        clearTimeout(timer);
        resolve(this.currentStatus.state === 'ready');
      });
    });
  }

  private wakeReadyWaiters(): void {
    for (const waiter of this.readyWaiters.splice(0)) waiter();
  }

  private launch(): void {
    const env: Record<string, string> = {
      [BACKEND_ENV]: this.currentStatus.preference,
      [CACHE_DIR_ENV]: this.options.cacheDirectory,
      [RUNS_DIR_ENV]: this.options.runsDirectory,
    };
    const child = this.options.launcher(env);
    this.child = child;
    child.onMessage((message) => {
      if (this.child === child) this.receive(message);
    });
    child.onExit((exit) => {
      if (this.child === child) this.onUnexpectedExit(exit);
    });
  }

  private receive(message: FromEngine): void {
    switch (message.type) {
      case 'ready': {
        // After a crash the status keeps saying what happened, now in the past tense.
        const crash = this.lastCrash;
        this.lastCrash = null;
        this.setStatus({
          ...this.currentStatus,
          state: 'ready',
          backend: message.backend,
          message: crash
            ? `Restarted after the engine process ${crash}.` +
              (this.lastCrashStoppedRun
                ? ' The run that was training can be continued from its newest checkpoint.'
                : '')
            : this.currentStatus.message,
        });
        this.wakeReadyWaiters();
        return;
      }
      case 'startup-failed':
        this.setStatus({ ...this.currentStatus, state: 'crashed', backend: null, message: message.message });
        this.stopChild(message.message);
        return;
      case 'reply': {
        const pending = this.pending.get(message.id);
        this.pending.delete(message.id);
        pending?.resolve(message.result);
        return;
      }
      case 'event':
        if (message.name === 'train:did-change-state') this.trackJob(message.payload);
        if (message.name === 'train:did-save-checkpoint') this.trackCheckpoint(message.payload);
        if (message.name === 'dataset:did-progress') this.activeScans.add(message.payload.jobId);
        if (message.name === 'dataset:did-open' || message.name === 'dataset:did-fail') {
          this.activeScans.delete(message.payload.jobId);
        }
        this.options.emit(message.name, message.payload);
        return;
    }
  }

  private trackJob(change: TrainStateChange): void {
    const active = change.state === 'loading' || change.state === 'running' || change.state === 'paused';
    if (active) this.activeJob = change;
    else if (this.activeJob?.jobId === change.jobId) this.activeJob = null;
  }

  /**
   * A state change names the newest checkpoint only when the state changes; a crash mid-run must
   * offer the checkpoint saved since, not the one the run started from.
   */
  private trackCheckpoint({ jobId, runId, epoch }: Events['train:did-save-checkpoint']): void {
    if (this.activeJob?.jobId !== jobId) return;
    this.activeJob = { ...this.activeJob, runId, lastCheckpointEpoch: epoch };
  }

  /** Ends the current child on purpose: its exit is not a crash. */
  private stopChild(reason: string): void {
    const child = this.child;
    this.child = null;
    child?.kill();
    this.failPending(reason);
    this.wakeReadyWaiters();
  }

  private failPending(reason: string): void {
    for (const pending of this.pending.values()) pending.resolve(fail('ENGINE_UNAVAILABLE', reason));
    this.pending.clear();
    if (this.activeJob) {
      const last = this.activeJob;
      this.activeJob = null;
      const resume =
        last.lastCheckpointEpoch === null
          ? ' It had no checkpoint yet.'
          : ` Its newest checkpoint is epoch ${last.lastCheckpointEpoch}.`;
      this.options.emit('train:did-change-state', { ...last, state: 'failed', error: reason + resume });
    }
    for (const jobId of this.activeScans) {
      this.options.emit('dataset:did-fail', { jobId, code: 'FAILED', message: reason, skipped: [] });
    }
    this.activeScans.clear();
  }

  private onUnexpectedExit({ code, signal }: { code: number | null; signal: string | null }): void {
    this.child = null;
    if (this.disposed) return;
    const how = signal ? `was stopped by signal ${signal}` : `exited with code ${code}`;
    this.lastCrash = how;
    const now = Date.now();
    const window = this.options.crashWindowMs ?? 60_000;
    this.crashTimes = this.crashTimes.filter((t) => now - t < window).concat(now);
    const canRestart = this.crashTimes.length <= (this.options.maxAutoRestarts ?? 3);
    // Only a run that was loading, training or paused was stopped: say so only then.
    this.lastCrashStoppedRun = this.activeJob !== null;
    const stoppedRun = this.lastCrashStoppedRun ? '; a run in progress was stopped' : '';
    const message = canRestart
      ? `The engine process ${how}. It is being restarted${stoppedRun}.`
      : `The engine process ${how} again (${this.crashTimes.length} times in a minute)${stoppedRun}. Press "Restart engine" to try again.`;
    this.failPending(message);
    this.setStatus({
      ...this.currentStatus,
      state: canRestart ? 'restarting' : 'crashed',
      backend: null,
      message,
    });
    this.wakeReadyWaiters();
    if (canRestart) {
      const backoffMs = 250 * 2 ** (this.crashTimes.length - 1);
      setTimeout(() => {
        if (this.disposed || this.child) return;
        this.currentStatus = { ...this.currentStatus, restarts: this.currentStatus.restarts + 1 };
        this.launch();
      }, backoffMs);
    }
  }

  private setStatus(status: EngineStatus): void {
    this.currentStatus = status;
    this.options.emit('engine:did-change-status', status);
  }
}
