/**
 * `latent-studio reconstruct`: every image of a dataset (its test split by default) through a
 * run's encoder mean and decoder, as a researcher checks a model: a grid PNG of original |
 * reconstruction pairs, a CSV of each image's error, and the mean MSE and PSNR printed.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { csvRow } from '../shared/csv';
import type { DecodedImages } from '../shared/gallery-types';
import { meanSquaredError8, psnrFromMse } from '../shared/psnr';
import { appVersion } from '../main/engine/gallery/app-version';
import { gridPixels } from '../main/engine/gallery/image-files';
import { originalsOf, reconstruct } from '../main/engine/gallery/reconstructions';
import { imageName } from '../main/engine/data/image-names';
import { stratifiedSample } from '../main/engine/data/image-set';
import { partsOf } from '../main/engine/data/split';
import { numberOption, required, stringOptions, type OptionSpec, type OptionValues } from './args';
import { BACKEND_HELP } from './backend-option';
import { defineCommand } from './command';
import { DATA_HELP } from './data-option';
import { EXIT, type ExitCode } from './exit-codes';
import { chooseImages, limitOption } from './image-choice';
import { count, log } from './log';
import { writePng } from './png-file';
import { openRunWithData, RUN_DATA_OPTIONS } from './run-data';
import { RUN_HELP } from './run-option';

/** Images per grid PNG at most: 400 pairs of 128 px at 2× is already a 100-megapixel file. */
const GRID_MAX = 400;
/** Images reconstructed per pass, so a 20,000-image folder never sits in memory as float32. */
const CHUNK = 256;
/** Pairs per grid row. */
const PAIRS_PER_ROW = 8;

const SUMMARY = 'write original | reconstruction pairs, per-image error and mean PSNR';

const OPTIONS: Record<string, OptionSpec> = {
  ...RUN_DATA_OPTIONS,
  ...stringOptions('out', 'split', 'limit', 'grid', 'scale'),
};

const HELP = `Usage: latent-studio reconstruct --run RUN --out DIR [--data SOURCE] [options]

Encodes each image (the mean of q(z|x)) and decodes it with the run's newest checkpoint, then writes into DIR:
  reconstructions.png  original | reconstruction pairs (a class-balanced selection, --grid of them)
  errors.csv           every image: file, label, split, mse, psnr_db (pixel values in [0, 1])
  summary.json         the figures below, the run, the epoch and the settings
and prints the mean MSE and PSNR = 10·log10(1 / MSE) dB (mean over images of each image's PSNR,
and the PSNR of the mean MSE). The images are the 8-bit ones written, not the model's floats.

${RUN_HELP}
  --out DIR            where the files go (created if missing)
  --split S            test: the run's held-out test split; all: every image (default: test for
                       the run's own dataset, all for any other, e.g. a held-out folder)
  --limit N            at most N images (a class-balanced subset)
  --grid N             image pairs in the grid PNG, 1–${GRID_MAX} (default 64)
  --scale K            output pixels per model pixel in the grid, 1–8 (default 2)
${DATA_HELP}
${BACKEND_HELP}
  -h, --help           this help`;

const decimals = (value: number, digits: number) =>
  Number.isFinite(value) ? value.toFixed(digits) : value > 0 ? 'inf' : 'nan';

/** Original and reconstruction side by side for each chosen image, as one image list for the grid. */
function pairs(
  originals: Uint8Array,
  reconstructions: Uint8Array,
  format: { size: number; channels: 1 | 3 },
): DecodedImages {
  const stride = format.size * format.size * format.channels;
  const images = originals.length / stride;
  const pixels = new Uint8Array(2 * originals.length);
  for (let i = 0; i < images; i++) {
    pixels.set(originals.subarray(i * stride, (i + 1) * stride), 2 * i * stride);
    pixels.set(reconstructions.subarray(i * stride, (i + 1) * stride), (2 * i + 1) * stride);
  }
  return { ...format, count: 2 * images, pixels, latentDim: 0, latents: new Float32Array(0) };
}

async function run(values: OptionValues): Promise<ExitCode> {
  const runDirectory = required(values, 'run');
  const out = path.resolve(required(values, 'out'));
  const limit = limitOption(values);
  const gridCount = numberOption(values, 'grid', { min: 1, max: GRID_MAX, integer: true }, 64);
  const scale = numberOption(values, 'scale', { min: 1, max: 8, integer: true }, 2);
  const opened = await openRunWithData(runDirectory, values);
  const { dataset, model, config, checkpoint, split: runSplit } = opened;
  const { set, summary } = dataset;
  const { split, images, what } = chooseImages(values, dataset, runSplit.test, opened.ownDataset, limit);
  const { indices } = images;
  if (indices.length === 0) {
    model.dispose();
    throw new Error(`there are no ${split === 'test' ? 'test ' : ''}images to reconstruct`);
  }
  log(
    `reconstruct: ${count(indices.length)} images (${what}), checkpoint of epoch ${checkpoint.manifest.epoch}`,
  );

  const started = performance.now();
  const stride = set.size * set.size * set.channels;
  const gridIndices = new Set(stratifiedSample({ set, indices }, gridCount));
  const gridOriginals: Uint8Array[] = [];
  const gridReconstructions: Uint8Array[] = [];
  const errors = new Float64Array(indices.length);
  try {
    for (let start = 0; start < indices.length; start += CHUNK) {
      const part = Array.from(indices.subarray(start, start + CHUNK));
      const { pixels } = await reconstruct(model, set, part);
      const originals = originalsOf(set, part);
      part.forEach((index, k) => {
        const original = originals.subarray(k * stride, (k + 1) * stride);
        const rebuilt = pixels.subarray(k * stride, (k + 1) * stride);
        errors[start + k] = meanSquaredError8(original, rebuilt);
        if (gridIndices.has(index)) {
          gridOriginals.push(original.slice());
          gridReconstructions.push(rebuilt.slice());
        }
      });
    }
  } finally {
    model.dispose();
  }

  const parts = partsOf(runSplit);
  const lines = [csvRow(['file', 'label', 'split', 'mse', 'psnr_db'])];
  let psnrSum = 0;
  let mseSum = 0;
  indices.forEach((index, k) => {
    const mse = errors[k]!;
    mseSum += mse;
    psnrSum += psnrFromMse(mse);
    lines.push(
      csvRow([
        imageName(dataset, index),
        set.classNames[set.labels[index]!] ?? String(set.labels[index]),
        parts[index]!,
        Number(mse.toPrecision(6)),
        // A perfect reconstruction's PSNR is infinite: an empty cell, as csvCell writes non-finite numbers.
        Number(psnrFromMse(mse).toFixed(3)),
      ]),
    );
  });
  const meanMse = mseSum / indices.length;
  const meanPsnr = psnrSum / indices.length;

  await mkdir(out, { recursive: true });
  const concat = (arrays: Uint8Array[]) => {
    const all = new Uint8Array(arrays.length * stride);
    arrays.forEach((a, i) => all.set(a, i * stride));
    return all;
  };
  const grid = gridPixels(
    pairs(concat(gridOriginals), concat(gridReconstructions), set),
    2 * PAIRS_PER_ROW,
    scale,
  );
  await writePng(path.join(out, 'reconstructions.png'), grid.pixels, grid, set.channels);
  await writeFile(path.join(out, 'errors.csv'), lines.join(''));
  const figures = {
    app: 'latent-studio',
    version: appVersion(),
    command: 'reconstruct',
    runId: config.runId,
    epoch: checkpoint.manifest.epoch,
    settings: config.settings,
    dataset: summary.name,
    split,
    images: indices.length,
    meanMse,
    // JSON has no Infinity: a perfect reconstruction of every image is written as null.
    meanPsnrDb: Number.isFinite(meanPsnr) ? meanPsnr : null,
    psnrOfMeanMseDb: Number.isFinite(psnrFromMse(meanMse)) ? psnrFromMse(meanMse) : null,
    gridPairs: gridOriginals.length,
    createdAt: new Date().toISOString(),
  };
  await writeFile(path.join(out, 'summary.json'), JSON.stringify(figures, null, 2));
  process.stdout.write(
    [
      `images:    ${count(indices.length)}`,
      `MSE:       ${meanMse.toPrecision(4)} (mean per pixel value, [0, 1] units)`,
      `PSNR:      ${decimals(meanPsnr, 2)} dB (mean over images; ${decimals(psnrFromMse(meanMse), 2)} dB from the mean MSE)`,
      '',
    ].join('\n'),
  );
  const seconds = (performance.now() - started) / 1000;
  log(
    `wrote reconstructions.png (${gridOriginals.length} pairs), errors.csv and summary.json → ${out} in ${seconds.toFixed(1)} s`,
  );
  return EXIT.ok;
}

export const reconstructCommand = defineCommand('reconstruct', SUMMARY, HELP, OPTIONS, run);
