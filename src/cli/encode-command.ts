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
import { required, stringOptions, type OptionSpec, type OptionValues } from './args';
import { BACKEND_HELP } from './backend-option';
import { defineCommand } from './command';
import { DATA_HELP } from './data-option';
import { EXIT, type ExitCode } from './exit-codes';
import { count, log } from './log';
import { openRunWithData, RUN_DATA_OPTIONS } from './run-data';
import { RUN_HELP } from './run-option';

const SUMMARY = "write every image's latent code (encoder means) to a CSV file";

const OPTIONS: Record<string, OptionSpec> = {
  ...RUN_DATA_OPTIONS,
  ...stringOptions('out'),
};

const HELP = `Usage: latent-studio encode --run RUN --out CODES.csv [--data SOURCE] [options]

Writes one CSV row per image: file (its path inside the folder, or "<dataset> #i"), label, split
(train, validation or test, as the run recorded it), and the encoder's means z0 … z{d-1}, from the run's newest checkpoint. --out - writes to stdout.
A folder is prepared as the run was trained (its size, channels, fit) unless options say otherwise.

${RUN_HELP}
  --out FILE           the CSV file to write, or - for stdout
${DATA_HELP}
${BACKEND_HELP}
  -h, --help           this help`;

/** Float32 carries about seven significant digits; more would only lengthen the file. */
const digits = (value: number) => Number(value.toPrecision(7));

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

async function run(values: OptionValues): Promise<ExitCode> {
  const runDirectory = required(values, 'run');
  const out = required(values, 'out');
  const { dataset, model, split } = await openRunWithData(runDirectory, values);
  const { set } = dataset;
  const started = performance.now();
  const means = await encodeMeans(
    model,
    set,
    Uint32Array.from({ length: set.count }, (_, i) => i),
  );
  const csv = csvText(dataset, partsOf(split), means, model.latentDim);
  model.dispose();
  if (out === '-') process.stdout.write(csv);
  else await writeFile(out, csv);
  const seconds = (performance.now() - started) / 1000;
  log(
    `encoded ${count(set.count)} images into ${model.latentDim} dims in ${seconds.toFixed(1)} s → ${out === '-' ? 'stdout' : path.resolve(out)}`,
  );
  return EXIT.ok;
}

export const encodeCommand = defineCommand('encode', SUMMARY, HELP, OPTIONS, run);
