/**
 * The engine's side of the protocol: picks the backend, then runs commands. One training job at
 * a time; its model stays loaded after the run for later inference.
 */
import { fail, ok, type Result } from '../../shared/result';
import type { BackendPreference, TrainState } from '../../shared/types';
import { selectBackend } from './backend';
import { loadMnist, type MnistSplits } from './data/mnist';
import type { EngineCommandName, EngineCommands, FromEngine, ToEngine } from './protocol';
import { TrainingJob } from './train/training-job';

type Send = (message: FromEngine) => void;

export class EngineHost {
  private job: TrainingJob | null = null;
  private mnist: Promise<MnistSplits> | null = null;

  constructor(private readonly send: Send) {}

  async start(preference: BackendPreference): Promise<void> {
    try {
      const backend = await selectBackend(preference);
      this.send({ type: 'ready', backend });
    } catch (error) {
      this.send({ type: 'startup-failed', message: error instanceof Error ? error.message : String(error) });
    }
  }

  async receive(message: ToEngine): Promise<void> {
    let result: Result<unknown>;
    try {
      result = await this.run(message.name, message.args);
    } catch (error) {
      result = fail('INTERNAL', error instanceof Error ? error.message : String(error));
    }
    this.send({ type: 'reply', id: message.id, result });
  }

  private run(name: EngineCommandName, args: unknown): Promise<Result<unknown>> | Result<unknown> {
    switch (name) {
      case 'ping':
        return ok({ pid: process.pid, at: Date.now() });
      case 'train:start':
        return this.startTraining(args as EngineCommands['train:start']['args']);
      case 'train:pause':
        return this.withJob(args, (job) => job.pause());
      case 'train:resume':
        return this.withJob(args, (job) => job.resume());
      case 'train:cancel':
        return this.withJob(args, (job) => job.cancel());
    }
  }

  private withJob(args: unknown, act: (job: TrainingJob) => TrainState): Result<{ state: TrainState }> {
    const { jobId } = args as { jobId: string };
    if (!this.job || this.job.jobId !== jobId) return fail('JOB_NOT_FOUND', 'No training run with that id.');
    return ok({ state: act(this.job) });
  }

  private startTraining({
    jobId,
    settings,
  }: EngineCommands['train:start']['args']): Result<{ jobId: string }> {
    if (this.job?.isActive) return fail('BUSY', 'A training run is already in progress; cancel it first.');
    this.job?.model?.dispose();
    const job = new TrainingJob(jobId, settings, {
      onState: (state, error) =>
        this.send({ type: 'event', name: 'train:did-change-state', payload: { jobId, state, error } }),
      onProgress: (payload) => this.send({ type: 'event', name: 'train:did-progress', payload }),
      onEpochEnd: (payload) => this.send({ type: 'event', name: 'train:did-end-epoch', payload }),
    });
    this.job = job;
    void job.run(() => (this.mnist ??= loadMnist()));
    return ok({ jobId });
  }
}
