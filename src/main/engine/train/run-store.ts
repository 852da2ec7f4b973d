// Over 300 lines: the one reader and writer of a run folder's files; its schemas are in run-file-schemas.ts.
/**
 * A training run's folder, `runs/<runId>/`: `config.json` (what was trained on, with which
 * settings), `status.json` (state, error, newest checkpoint), `metrics.jsonl` (one line per epoch)
 * and `checkpoints/`. Every file is replaced atomically, so a run folder always opens, whenever the
 * process was stopped. What is read back is checked like a request (a folder may have been edited
 * or damaged by hand): the config with `train:start`'s and `dataset:open`'s schemas, every metrics
 * line with its own; a bad config makes the run unusable (but still listed), a bad line is skipped.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import {
  RUN_ID_PATTERN,
  type BudgetStop,
  type EarlyStop,
  type RunEnding,
  type RunState,
  type RunSummary,
} from '../../../shared/run-types';
import type { Preprocessing } from '../../../shared/dataset-types';
import { DEFAULT_TRAIN_SETTINGS } from '../../../shared/train-defaults';
import type { TrainSettings } from '../../../shared/train-settings';
import { type EpochMetrics } from '../../../shared/training-events';
import { uniqueSuffix, writeFileAtomic } from '../fs/atomic-write';
import { listCheckpoints } from './checkpoint';
import { readRunMeta } from './run-meta-store';
import { readJsonFile } from '../fs/json-file';
import { configSchema, metricsLineSchema, statusSchema } from './run-file-schemas';

export interface RunConfig {
  runId: string;
  createdAt: string;
  datasetId: string;
  datasetName: string;
  settings: TrainSettings;
  /** How a folder's images were prepared (written by the command line, which has no open dataset to ask). */
  preprocessing?: Preprocessing;
}

export interface RunStatus {
  state: RunState;
  error: string | null;
  updatedAt: string;
  /** Set when training stopped early on the validation split; status files before it lack it. */
  stoppedEarly?: EarlyStop;
  /** Set when training stopped at its time budget. */
  stoppedAtBudget?: BudgetStop;
}

/** A run whose config.json is missing (`missing`), unreadable, or outside what training accepts. */
export class RunConfigError extends Error {
  override name = 'RunConfigError';

  constructor(
    message: string,
    readonly missing: boolean,
  ) {
    super(message);
  }
}

/** Names the fields at fault and what is wrong with them (the file is ours, so limits may show). */
function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || 'the file'}: ${issue.message}`)
    .join('; ');
}

/** When a run was made, from its id (`YYYYMMDD-HHMMSS-xxxx`, local time). */
function createdAtOf(runId: string): string {
  const [date = '', time = ''] = runId.split('-');
  const part = (text: string, from: number, length: number) => Number(text.slice(from, from + length));
  const when = new Date(
    part(date, 0, 4),
    part(date, 4, 2) - 1,
    part(date, 6, 2),
    part(time, 0, 2),
    part(time, 2, 2),
    part(time, 4, 2),
  );
  return Number.isNaN(when.getTime()) ? new Date(0).toISOString() : when.toISOString();
}

interface MetricsReport {
  metrics: EpochMetrics[];
  /** Lines that were not a valid epoch's metrics. */
  skipped: number;
}

function metricsFigures({ metrics, skipped }: MetricsReport) {
  const testLosses = metrics.map((m) => m.testLoss);
  const validationLosses = metrics.flatMap((m) => (m.validationLoss === undefined ? [] : [m.validationLoss]));
  return {
    epochsDone: metrics.at(-1)?.epoch ?? 0,
    lastMetrics: metrics.at(-1) ?? null,
    bestTestLoss: testLosses.length ? Math.min(...testLosses) : null,
    bestValidationLoss: validationLosses.length ? Math.min(...validationLosses) : null,
    ...(skipped > 0 ? { skippedMetricLines: skipped } : {}),
  };
}

/**
 * The epochs a run is planned to reach. Continuing records its new total in config.json
 * (`writePlannedEpochs`), but versions before that kept the first session's total, so a run
 * continued from 10 to 100 by one of them reads "100 / 10". It trained at least as far as its
 * metrics and checkpoints go, so that is its plan at least.
 */
export function plannedEpochs(
  recorded: number,
  epochsDone: number,
  checkpointEpochs: readonly number[],
): number {
  return Math.max(recorded, epochsDone, ...checkpointEpochs);
}

export function newRunId(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const date = `${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}`;
  const time = `${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}`;
  return `${date}-${time}-${randomBytes(2).toString('hex')}`;
}

export class RunStore {
  private constructor(
    readonly runId: string,
    readonly directory: string,
  ) {}

  /**
   * A new run in the app's runs folder. It is built under a `.partial-*` name and renamed into
   * place, so `runs/` never holds a run folder without its config (listing skips other names).
   */
  static async create(runsRoot: string, config: Omit<RunConfig, 'runId' | 'createdAt'>): Promise<RunStore> {
    const runId = newRunId();
    const partial = path.join(runsRoot, `.partial-${runId}-${uniqueSuffix()}`);
    await RunStore.initialise(new RunStore(runId, partial), config);
    const directory = path.join(runsRoot, runId);
    await rename(partial, directory);
    return new RunStore(runId, directory);
  }

  /**
   * A new run in a folder the caller names (the command line's `--out`). Its id is the folder's
   * name when that is a run id, so the folder can be moved into the app's runs folder as it is.
   */
  static async createAt(
    directory: string,
    config: Omit<RunConfig, 'runId' | 'createdAt'>,
  ): Promise<RunStore> {
    const name = path.basename(directory);
    const runId = RUN_ID_PATTERN.test(name) ? name : newRunId();
    return RunStore.initialise(new RunStore(runId, path.resolve(directory)), config);
  }

  /** An existing run in a folder the caller names; its config says which run it is. */
  static openAt(directory: string): RunStore {
    return new RunStore(path.basename(directory), path.resolve(directory));
  }

  private static async initialise(
    store: RunStore,
    config: Omit<RunConfig, 'runId' | 'createdAt'>,
  ): Promise<RunStore> {
    const { runId } = store;
    await mkdir(store.checkpointsDir, { recursive: true });
    await writeFileAtomic(
      path.join(store.directory, 'config.json'),
      JSON.stringify({ ...config, runId, createdAt: new Date().toISOString() }, null, 2),
    );
    await store.writeStatus('running', null);
    return store;
  }

  /** An existing run; the id is checked so it can never name a folder outside `runsRoot`. */
  static open(runsRoot: string, runId: string): RunStore {
    if (!RUN_ID_PATTERN.test(runId)) throw new Error('not a run id');
    return new RunStore(runId, path.join(runsRoot, runId));
  }

  get checkpointsDir(): string {
    return path.join(this.directory, 'checkpoints');
  }

  /**
   * Records a continued run's new planned total, so the Runs table shows "12 / 12", not "12 / 10".
   * The other settings stay as the run started (a changed learning rate lives in the metrics).
   */
  async writePlannedEpochs(config: RunConfig, epochs: number): Promise<void> {
    await writeFileAtomic(
      path.join(this.directory, 'config.json'),
      JSON.stringify({ ...config, settings: { ...config.settings, epochs } }, null, 2),
    );
  }

  /** The run's config, checked as `train:start` checks a request; throws a `RunConfigError`. */
  async readConfig(): Promise<RunConfig> {
    let raw: unknown;
    try {
      raw = JSON.parse(await readFile(path.join(this.directory, 'config.json'), 'utf8'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new RunConfigError(`Run ${this.runId} has no config.json.`, true);
      }
      const reason = (error as Error).message.split('\n')[0];
      throw new RunConfigError(
        `Run ${this.runId} cannot be used: its config.json cannot be read (${reason}).`,
        false,
      );
    }
    const parsed = configSchema.safeParse(raw);
    if (!parsed.success) {
      throw new RunConfigError(
        `Run ${this.runId} cannot be used: its config.json holds settings Latent Studio does not accept ` +
          `(${describeIssues(parsed.error.issues)}).`,
        false,
      );
    }
    return parsed.data;
  }

  /** How the run ended is recorded with the final state; any later write (a continued run) drops it. */
  async writeStatus(state: RunState, error: string | null, ending: RunEnding = {}): Promise<void> {
    const status: RunStatus = {
      state,
      error,
      updatedAt: new Date().toISOString(),
      ...(ending.stoppedEarly ? { stoppedEarly: ending.stoppedEarly } : {}),
      ...(ending.stoppedAtBudget ? { stoppedAtBudget: ending.stoppedAtBudget } : {}),
    };
    await writeFileAtomic(path.join(this.directory, 'status.json'), JSON.stringify(status));
  }

  async readStatus(): Promise<RunStatus | null> {
    return readJsonFile(path.join(this.directory, 'status.json'), statusSchema);
  }

  async writeMetrics(metrics: EpochMetrics[]): Promise<void> {
    // Rewritten whole rather than appended: a few hundred lines at most, and never a torn last line.
    await writeFileAtomic(
      path.join(this.directory, 'metrics.jsonl'),
      metrics.map((m) => JSON.stringify(m)).join('\n') + '\n',
    );
  }

  /** Every valid line; a damaged one is skipped (and counted) rather than failing the run. */
  async readMetricsReport(): Promise<MetricsReport> {
    let text: string;
    try {
      text = await readFile(path.join(this.directory, 'metrics.jsonl'), 'utf8');
    } catch {
      return { metrics: [], skipped: 0 };
    }
    const metrics: EpochMetrics[] = [];
    let skipped = 0;
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      const parsed = metricsLineSchema.safeParse(parseJson(line));
      if (parsed.success) metrics.push(parsed.data);
      else skipped++;
    }
    return { metrics, skipped };
  }

  async readMetrics(): Promise<EpochMetrics[]> {
    return (await this.readMetricsReport()).metrics;
  }

  /** The run as listed and opened; throws a `RunConfigError` when its config cannot be used. */
  async summary(activeRunId: string | null): Promise<RunSummary> {
    const [config, status, report, checkpoints, { meta }] = await Promise.all([
      this.readConfig(),
      this.readStatus(),
      this.readMetricsReport(),
      listCheckpoints(this.checkpointsDir),
      readRunMeta(this.directory),
    ]);
    const figures = metricsFigures(report);
    const epochs = checkpoints.map((c) => c.epoch);
    let state: RunState = status?.state ?? 'interrupted';
    // A run marked active that no job is training was cut off (the app quit or crashed).
    if ((state === 'running' || state === 'paused' || state === 'loading') && activeRunId !== this.runId) {
      state = 'interrupted';
    }
    return {
      // The folder's name, not the config's: a copied folder must not list twice under one id.
      runId: this.runId,
      createdAt: config.createdAt,
      ...meta,
      datasetId: config.datasetId,
      datasetName: config.datasetName,
      settings: {
        ...config.settings,
        epochs: plannedEpochs(config.settings.epochs, figures.epochsDone, epochs),
      },
      state,
      error: status?.error ?? null,
      ...figures,
      checkpointEpochs: epochs,
      // Stopping early is a way of completing: beside any other state the record contradicts it.
      ...(status?.stoppedEarly && state === 'completed' ? { stoppedEarly: status.stoppedEarly } : {}),
      ...(status?.stoppedAtBudget && state === 'completed'
        ? { stoppedAtBudget: status.stoppedAtBudget }
        : {}),
    };
  }

  /**
   * The run as the list shows it: one whose config cannot be used is still listed, failed, with
   * why as its error and `unreadable`, placeholder settings and no checkpoints to open. Null when
   * the folder itself is gone.
   */
  async listing(activeRunId: string | null): Promise<RunSummary | null> {
    try {
      return await this.summary(activeRunId);
    } catch (error) {
      if (!(error instanceof RunConfigError)) throw error;
      if (error.missing && !(await stat(this.directory).catch(() => null))) return null;
      return {
        runId: this.runId,
        createdAt: createdAtOf(this.runId),
        // What the user said about it still shows: it may be how they recognise the run.
        ...(await readRunMeta(this.directory)).meta,
        datasetId: '',
        datasetName: '—',
        settings: { ...DEFAULT_TRAIN_SETTINGS, datasetId: '' },
        state: 'failed',
        error: error.message,
        ...metricsFigures(await this.readMetricsReport()),
        checkpointEpochs: [],
        unreadable: error.message,
      };
    }
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Every run, newest first; a run whose config is damaged is listed as unreadable, never fatal. */
export async function listRuns(runsRoot: string, activeRunId: string | null): Promise<RunSummary[]> {
  let names: string[];
  try {
    names = await readdir(runsRoot);
  } catch {
    return [];
  }
  const summaries = await Promise.all(
    names
      .filter((name) => RUN_ID_PATTERN.test(name))
      .map((name) =>
        RunStore.open(runsRoot, name)
          .listing(activeRunId)
          .catch(() => null),
      ),
  );
  return summaries.filter((s): s is RunSummary => s !== null).sort((a, b) => b.runId.localeCompare(a.runId));
}
