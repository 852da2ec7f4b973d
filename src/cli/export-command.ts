/** `latent-studio export`: a run's newest checkpoint as model.json + weights.bin (TensorFlow.js style). */
import path from 'node:path';
import { exportModel } from '../main/engine/gallery/model-files';
import { listCheckpoints } from '../main/engine/train/checkpoint';
import { parseOptions, required, type OptionSpec } from './args';
import type { Command } from './command';
import { EXIT, notFoundError, type ExitCode } from './exit-codes';
import { log } from './log';
import { openRunConfig } from './run-model';

const OPTIONS: Record<string, OptionSpec> = { run: { type: 'string' }, out: { type: 'string' } };

const HELP = `Usage: latent-studio export --run RUN --out DIR

Writes the run's newest checkpoint as DIR/model.json (a TensorFlow.js weights manifest plus the
run's settings and image format) and DIR/weights.bin (float32, little-endian). The app's
Import model opens it as a new run.

  --run RUN            a run folder written by train (or the app), or the id of a run in
                       the runs folder (as latent-studio runs lists them)
  --out DIR            where the two files go (created if missing)
  -h, --help           this help`;

async function run(argv: string[]): Promise<ExitCode> {
  const values = parseOptions(argv, OPTIONS);
  if (values.help) {
    log(HELP);
    return EXIT.ok;
  }
  const out = path.resolve(required(values, 'out'));
  const { store } = await openRunConfig(required(values, 'run'));
  if (!(await listCheckpoints(store.checkpointsDir)).length) {
    throw notFoundError(`--run: ${store.directory} has no checkpoint yet`);
  }
  const files = await exportModel(store.directory, out);
  for (const file of files) log(`wrote ${file}`);
  return EXIT.ok;
}

export const exportCommand: Command = {
  name: 'export',
  summary: "write a run's model as model.json + weights.bin",
  help: HELP,
  run,
};
