/**
 * `latent-studio sample`: images drawn from a run's prior and decoded by its newest checkpoint,
 * as PNG files (and a grid), with manifest.json recording the codes and what made them.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { GALLERY_LIMITS } from '../shared/gallery-types';
import { TRAIN_LIMITS } from '../shared/train-limits';
import { appVersion } from '../main/engine/gallery/app-version';
import { samplePrior } from '../main/engine/gallery/generate';
import { gridPixels, scaleUp } from '../main/engine/gallery/image-files';
import { flag, numberOption, required, stringOptions, type OptionSpec, type OptionValues } from './args';
import { BACKEND_HELP, BACKEND_OPTION, startBackend } from './backend-option';
import { defineCommand } from './command';
import { EXIT, type ExitCode } from './exit-codes';
import { log } from './log';
import { writePng } from './png-file';
import { openRunConfig, openRunModel } from './run-model';
import { RUN_HELP, RUN_OPTION } from './run-option';

const { sampleCount, temperature, scale } = GALLERY_LIMITS;

const SUMMARY = "decode random draws from a run's prior into PNG files";

const OPTIONS: Record<string, OptionSpec> = {
  ...BACKEND_OPTION,
  ...RUN_OPTION,
  ...stringOptions('out', 'n', 'temperature', 'seed', 'scale', 'columns'),
  grid: { type: 'boolean' },
};

const HELP = `Usage: latent-studio sample --run RUN --out DIR [options]

Draws codes from the prior N(0, T²I), decodes them with the run's newest checkpoint and writes
sample-001.png … into DIR, with manifest.json (run, epoch, settings, every code).

${RUN_HELP}
  --out DIR            where the images go (created if missing)
  --n N                how many images, ${sampleCount.min}–${sampleCount.max} (default 64)
  --temperature T      spread of the draws, ${temperature.min}–${temperature.max}; below 1 stays near typical codes (default 1)
  --seed S             the same seed draws the same codes (default 1)
  --scale K            output pixels per model pixel, ${scale.min}–${scale.max} (default 1)
  --grid               also write grid.png with every image
  --columns C          the grid's columns (default: a square grid)
${BACKEND_HELP}
  -h, --help           this help`;

async function run(values: OptionValues): Promise<ExitCode> {
  const runDirectory = required(values, 'run');
  const out = path.resolve(required(values, 'out'));
  const count = numberOption(values, 'n', { ...sampleCount, integer: true }, 64);
  const options = {
    count,
    temperature: numberOption(values, 'temperature', { ...temperature, integer: false }, 1),
    seed: numberOption(values, 'seed', TRAIN_LIMITS.seed, 1),
  };
  const factor = numberOption(values, 'scale', { ...scale, integer: true }, 1);
  const columns = numberOption(
    values,
    'columns',
    { ...sampleCount, integer: true },
    Math.ceil(Math.sqrt(count)),
  );
  await openRunConfig(runDirectory);
  await startBackend(values);
  const { config, checkpoint, model, format } = await openRunModel(runDirectory);
  const images = await samplePrior(model, format, options);
  model.dispose();

  await mkdir(out, { recursive: true });
  const side = images.size * factor;
  const digits = Math.max(3, String(count).length);
  const files: string[] = [];
  for (let i = 0; i < count; i++) {
    const name = `sample-${String(i + 1).padStart(digits, '0')}.png`;
    await writePng(
      path.join(out, name),
      scaleUp(images, i, factor),
      { width: side, height: side },
      images.channels,
    );
    files.push(name);
  }
  if (flag(values, 'grid')) {
    const grid = gridPixels(images, columns, factor);
    await writePng(path.join(out, 'grid.png'), grid.pixels, grid, images.channels);
    files.push('grid.png');
  }
  const manifest = {
    app: 'latent-studio',
    version: appVersion(),
    command: 'sample',
    runId: config.runId,
    epoch: checkpoint.manifest.epoch,
    settings: config.settings,
    ...options,
    scale: factor,
    size: images.size,
    channels: images.channels,
    latentDim: images.latentDim,
    latents: Array.from({ length: count }, (_, i) =>
      Array.from(images.latents.subarray(i * images.latentDim, (i + 1) * images.latentDim)),
    ),
    files,
    createdAt: new Date().toISOString(),
  };
  await writeFile(path.join(out, 'manifest.json'), JSON.stringify(manifest, null, 2));
  log(`wrote ${files.length} images and manifest.json → ${out}`);
  return EXIT.ok;
}

export const sampleCommand = defineCommand('sample', SUMMARY, HELP, OPTIONS, run);
