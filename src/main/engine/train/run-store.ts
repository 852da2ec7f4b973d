/**
 * A training run's folder, `runs/<runId>/`: `config.json` (what was trained on, with which
 * settings), `status.json` (state, error, newest checkpoint), `metrics.jsonl` (one line per epoch)
 * and `checkpoints/`. Every file is replaced atomically, so a run folder always opens, whenever the
 * process was stopped.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { RUN_ID_PATTERN, type RunState, type RunSummary } from '../../../shared/run-types';
import type { Preprocessing } from '../../../shared/dataset-types';
import type { EpochMetrics, TrainSettings } from '../../../shared/types';
import { writeFileAtomic } from '../fs/atomic-write';
import { listCheckpoints } from './checkpoint';

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
}

const configSchema = z.object({
  runId: z.string().regex(RUN_ID_PATTERN),
  createdAt: z.string(),
  datasetId: z.string(),
  datasetName: z.string(),
  settings: z.looseObject({}),
  preprocessing: z.looseObject({}).optional(),
});
const statusSchema = z.object({ state: z.string(), error: z.string().nullable(), updatedAt: z.string() });

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
    const partial = path.join(runsRoot, `.partial-${runId}-${process.pid}`);
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

  async readConfig(): Promise<RunConfig> {
    const parsed = configSchema.safeParse(
      JSON.parse(await readFile(path.join(this.directory, 'config.json'), 'utf8')),
    );
    if (!parsed.success) throw new Error(`run ${this.runId} has an unreadable config.json`);
    return parsed.data as unknown as RunConfig;
  }

  async writeStatus(state: RunState, error: string | null): Promise<void> {
    const status: RunStatus = { state, error, updatedAt: new Date().toISOString() };
    await writeFileAtomic(path.join(this.directory, 'status.json'), JSON.stringify(status));
  }

  async readStatus(): Promise<RunStatus | null> {
    try {
      const parsed = statusSchema.safeParse(
        JSON.parse(await readFile(path.join(this.directory, 'status.json'), 'utf8')),
      );
      return parsed.success ? (parsed.data as RunStatus) : null;
    } catch {
      return null;
    }
  }

  async writeMetrics(metrics: EpochMetrics[]): Promise<void> {
    // Rewritten whole rather than appended: a few hundred lines at most, and never a torn last line.
    await writeFileAtomic(
      path.join(this.directory, 'metrics.jsonl'),
      metrics.map((m) => JSON.stringify(m)).join('\n') + '\n',
    );
  }

  /** Every complete line; anything unreadable is skipped rather than failing the run. */
  async readMetrics(): Promise<EpochMetrics[]> {
    let text: string;
    try {
      text = await readFile(path.join(this.directory, 'metrics.jsonl'), 'utf8');
    } catch {
      return [];
    }
    const metrics: EpochMetrics[] = [];
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        metrics.push(JSON.parse(line) as EpochMetrics);
      } catch {
        // a damaged line: skip it
      }
    }
    return metrics;
  }

  async summary(activeRunId: string | null): Promise<RunSummary> {
    const [config, status, metrics, checkpoints] = await Promise.all([
      this.readConfig(),
      this.readStatus(),
      this.readMetrics(),
      listCheckpoints(this.checkpointsDir),
    ]);
    let state: RunState = status?.state ?? 'interrupted';
    // A run marked active that no job is training was cut off (the app quit or crashed).
    if ((state === 'running' || state === 'paused' || state === 'loading') && activeRunId !== this.runId) {
      state = 'interrupted';
    }
    const testLosses = metrics.map((m) => m.testLoss).filter(Number.isFinite);
    return {
      runId: config.runId,
      createdAt: config.createdAt,
      datasetId: config.datasetId,
      datasetName: config.datasetName,
      settings: config.settings,
      state,
      error: status?.error ?? null,
      epochsDone: metrics.at(-1)?.epoch ?? 0,
      lastMetrics: metrics.at(-1) ?? null,
      bestTestLoss: testLosses.length ? Math.min(...testLosses) : null,
      checkpointEpochs: checkpoints.map((c) => c.epoch),
    };
  }
}

/** Every readable run, newest first; a damaged run folder is left out, not fatal. */
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
          .summary(activeRunId)
          .catch(() => null),
      ),
  );
  return summaries.filter((s): s is RunSummary => s !== null).sort((a, b) => b.runId.localeCompare(a.runId));
}
