/**
 * `latent-studio encode`: every image of a dataset through a run's encoder, one CSV row each
 * (file, label, the latent means), for analysis in a notebook or a spreadsheet.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { csvRow } from '../shared/csv';
import { encodeMeans } from '../main/engine/train/evaluate';
import type { LoadedDataset } from '../main/engine/data/loaded-dataset';
import { partsOf, type SplitPart } from '../main/engine/data/split';
import { continuedSplit, readSplitRecord } from '../main/engine/data/split-record';
import { parseOptions, required, type OptionSpec } from './args';
import { BACKEND_HELP, BACKEND_OPTION, startBackend } from './backend-option';
import type { Command } from './command';
import { DATA_HELP, DATA_OPTIONS, openData } from './data-option';
import { EXIT, usageError, type ExitCode } from './exit-codes';
import { count, log } from './log';
import { openRunConfig, openRunModel, runFormat } from './run-model';

const OPTIONS: Record<string, OptionSpec> = {
  ...DATA_OPTIONS,
  ...BACKEND_OPTION,
  run: { type: 'string' },
  out: { type: 'string' },
};

const HELP = `Usage: latent-studio encode --run RUN_DIR --data SOURCE --out CODES.csv [options]

Writes one CSV row per image: file (its path inside the folder, or "<dataset> #i"), label, split
(train, validation or test, as the run recorded it), and the encoder's means z0 … z{d-1}, from the run's newest checkpoint. --out - writes to stdout.
A folder is prepared as the run was trained (its size, channels, fit) unless options say otherwise.

  --run DIR            a run folder written by train (or the app)
  --out FILE           the CSV file to write, or - for stdout
${DATA_HELP}
${BACKEND_HELP}
  -h, --help           this help`;

/** Float32 carries about seven significant digits; more would only lengthen the file. */
const digits = (value: number) => Number(value.toPrecision(7));

/**
 * Each image's part as the run saw it: its recorded split applied to the data as it is now (a
 * file added since takes the part its hash gives it), or the data's own split for a run without
 * a record.
 */
async function partsFor(runDirectory: string, dataset: LoadedDataset): Promise<SplitPart[]> {
  const record = await readSplitRecord(runDirectory);
  return partsOf(record ? continuedSplit(dataset, record).split : dataset.split);
}

function csvText(
  dataset: LoadedDataset,
  parts: readonly SplitPart[],
  means: Float32Array,
  latentDim: number,
): string {
  const { set, fileNames, summary } = dataset;
  const lines = [csvRow(['file', 'label', 'split', ...Array.from({ length: latentDim }, (_, k) => `z${k}`)])];
  for (let i = 0; i < set.count; i++) {
    const label = set.labels[i]!;
    const codes = Array.from(means.subarray(i * latentDim, (i + 1) * latentDim), digits);
    lines.push(
      csvRow([
        fileNames?.[i] ?? `${summary.datasetId} #${i}`,
        set.classNames[label] ?? String(label),
        parts[i]!,
        ...codes,
      ]),
    );
  }
  return lines.join('');
}

async function run(argv: string[]): Promise<ExitCode> {
  const values = parseOptions(argv, OPTIONS);
  if (values.help) {
    log(HELP);
    return EXIT.ok;
  }
  const runDirectory = required(values, 'run');
  const out = required(values, 'out');
  required(values, 'data');
  const { config } = await openRunConfig(runDirectory);
  await startBackend(values);
  const { dataset } = await openData(values, config.preprocessing);
  const { set } = dataset;
  const trained = runFormat(config);
  if (trained && (trained.size !== set.size || trained.channels !== set.channels)) {
    throw usageError(
      `the run was trained on ${trained.size}×${trained.size} images with ${trained.channels} channel(s); ` +
        `the data is ${set.size}×${set.size} with ${set.channels}`,
    );
  }
  const { model } = await openRunModel(runDirectory, { size: set.size, channels: set.channels });
  const started = performance.now();
  const means = await encodeMeans(
    model,
    set,
    Uint32Array.from({ length: set.count }, (_, i) => i),
  );
  const csv = csvText(dataset, await partsFor(runDirectory, dataset), means, model.latentDim);
  model.dispose();
  if (out === '-') process.stdout.write(csv);
  else await writeFile(out, csv);
  const seconds = (performance.now() - started) / 1000;
  log(
    `encoded ${count(set.count)} images into ${model.latentDim} dims in ${seconds.toFixed(1)} s → ${out === '-' ? 'stdout' : path.resolve(out)}`,
  );
  return EXIT.ok;
}

export const encodeCommand: Command = {
  name: 'encode',
  summary: "write every image's latent code (encoder means) to a CSV file",
  help: HELP,
  run,
};
