/**
 * `latent-studio runs`: the runs in the runs folder the browser host shows (and `train` writes to
 * without --out), newest first, as a table or as JSON on stdout; `--delete ID` moves one into the
 * runs folder's `.trash`, as the browser host does.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { defaultDataDirectory, runsDirectoryOf } from '../main/engine/data-directory';
import { listRuns, RunStore } from '../main/engine/train/run-store';
import { moveToRunsTrash, TRASH_FOLDER } from '../main/engine/train/run-trash';
import { RUN_ID_PATTERN, type RunSummary } from '../shared/run-types';
import { flag, text, type OptionSpec, type OptionValues } from './args';
import { defineCommand } from './command';
import { CliError, EXIT, notFoundError, usageError, type ExitCode } from './exit-codes';
import { log } from './log';

const SUMMARY = 'list the runs in the runs folder (the one the browser host shows), or delete one';

const OPTIONS: Record<string, OptionSpec> = {
  json: { type: 'boolean' },
  delete: { type: 'string' },
  force: { type: 'boolean' },
};

const HELP = `Usage: latent-studio runs [--json] | --delete RUN_ID [--force]

Lists the runs in the runs folder: runs/ in $LATENT_STUDIO_DATA_DIR, else in ~/.latent-studio (where
train puts a run without --out, and what the browser host shows). Newest first: id, name, dataset,
state, epochs done / planned and the best validation -ELBO (nats per image). A run being trained
by another process lists as interrupted: only the process training it knows it is alive.

  --json               one JSON array of the runs as the app lists them, on stdout
  --delete RUN_ID      move the run's folder into .trash in the runs folder (never deleted: move it
                       back to restore it); refused while its status says it is training, since
                       another process may be writing it, unless --force
  -h, --help           this help`;

/** What a row says; the JSON keeps every field of the app's listing. */
export function runRow(run: RunSummary): string[] {
  return [
    run.runId,
    run.name ?? '—',
    run.datasetName,
    run.state,
    run.unreadable ? `${run.epochsDone} / ?` : `${run.epochsDone} / ${run.settings.epochs}`,
    run.bestValidationLoss === null ? '—' : run.bestValidationLoss.toFixed(2),
  ];
}

const HEADER = ['id', 'name', 'dataset', 'state', 'epochs', 'best val -ELBO'];
/** Right-aligned: the numbers. */
const RIGHT = new Set([4, 5]);

function table(rows: string[][]): string {
  const widths = HEADER.map((_, column) => Math.max(...rows.map((row) => [...row[column]!].length)));
  return rows
    .map((row) =>
      row
        .map((cell, column) => {
          const pad = ' '.repeat(widths[column]! - [...cell].length);
          return RIGHT.has(column) ? pad + cell : cell + pad;
        })
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

const ACTIVE_STATES = new Set(['loading', 'running', 'paused']);

async function deleteRun(runsRoot: string, runId: string, force: boolean): Promise<ExitCode> {
  if (!RUN_ID_PATTERN.test(runId)) throw usageError(`--delete: "${runId}" is not a run id`);
  const store = RunStore.open(runsRoot, runId);
  const folder = await stat(store.directory).catch(() => null);
  if (!folder?.isDirectory()) throw notFoundError(`--delete: no run ${runId} in ${runsRoot}`);
  const status = await store.readStatus();
  if (status && ACTIVE_STATES.has(status.state) && !force) {
    throw new CliError(
      `--delete: run ${runId} is marked ${status.state}: if no app is training it any more, add --force`,
      EXIT.failure,
    );
  }
  const name = await moveToRunsTrash(runsRoot, runId);
  log(`moved run ${runId} to ${path.join(runsRoot, TRASH_FOLDER, name)}`);
  return EXIT.ok;
}

async function run(values: OptionValues): Promise<ExitCode> {
  const runsRoot = runsDirectoryOf(defaultDataDirectory());
  const toDelete = text(values, 'delete');
  if (toDelete !== undefined) return deleteRun(runsRoot, toDelete, flag(values, 'force'));
  const runs = await listRuns(runsRoot, null);
  if (flag(values, 'json')) {
    process.stdout.write(`${JSON.stringify(runs, null, 2)}\n`);
    return EXIT.ok;
  }
  if (runs.length === 0) {
    log(`No runs in ${runsRoot} yet: latent-studio train --data SOURCE puts one there.`);
    return EXIT.ok;
  }
  // Names are the user's own words: one line each, whatever they hold.
  const rows = runs.map((r) => runRow(r).map((cell) => cell.replace(/\s+/g, ' ')));
  process.stdout.write(`${table([HEADER, ...rows])}\n`);
  log(`${runs.length} ${runs.length === 1 ? 'run' : 'runs'} in ${runsRoot}`);
  return EXIT.ok;
}

export const runsCommand = defineCommand('runs', SUMMARY, HELP, OPTIONS, run);
