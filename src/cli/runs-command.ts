/**
 * `latent-studio runs`: the runs in the runs folder the browser host shows (and `train` writes to
 * without --out), newest first, as a table or as JSON on stdout.
 */
import { defaultDataDirectory, runsDirectoryOf } from '../main/engine/data-directory';
import { listRuns } from '../main/engine/train/run-store';
import type { RunSummary } from '../shared/run-types';
import { flag, parseOptions, type OptionSpec } from './args';
import type { Command } from './command';
import { EXIT, type ExitCode } from './exit-codes';
import { log } from './log';

const OPTIONS: Record<string, OptionSpec> = { json: { type: 'boolean' } };

const HELP = `Usage: latent-studio runs [--json]

Lists the runs in the runs folder: runs/ in $LATENT_STUDIO_DATA_DIR, else in ~/.latent-studio (where
train puts a run without --out, and what the browser host shows). Newest first: id, name, dataset,
state, epochs done / planned and the best validation -ELBO (nats per image). A run being trained
by another process lists as interrupted: only the process training it knows it is alive.

  --json               one JSON array of the runs as the app lists them, on stdout
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

async function run(argv: string[]): Promise<ExitCode> {
  const values = parseOptions(argv, OPTIONS);
  if (values.help) {
    log(HELP);
    return EXIT.ok;
  }
  const runsRoot = runsDirectoryOf(defaultDataDirectory());
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

export const runsCommand: Command = {
  name: 'runs',
  summary: 'list the runs in the runs folder (the one the browser host shows)',
  help: HELP,
  run,
};
