/**
 * `latent-studio train`: the app's training job without a window. The run folder is the app's
 * own format (config, status, metrics.jsonl, checkpoints, the latent map's points and means), so
 * it opens in the app's Runs tab once moved into its runs folder. Ctrl-C cancels within one batch
 * and keeps the newest checkpoint.
 */
import { mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import {
  PRESET_EPOCHS,
  SMALL_FOLDER_BATCH,
  SMALL_FOLDER_IMAGES,
  TARGET_STEPS,
} from '../shared/model-presets';
import { DEFAULT_TRAIN_SETTINGS } from '../shared/train-defaults';
import { LIKELIHOODS } from '../shared/train-settings';
import { type TrainState } from '../shared/training-events';
import { splitRecordOf, writeSplitRecord } from '../main/engine/data/split-record';
import { defaultDataDirectory, runsDirectoryOf } from '../main/engine/data-directory';
import { displayPoints } from '../main/engine/latent/display-points';
import { LayoutStore } from '../main/engine/latent/layout-store';
import { RunStore } from '../main/engine/train/run-store';
import { TrainingJob } from '../main/engine/train/training-job';
import { required, stringOptions, text, type OptionSpec, type OptionValues } from './args';
import { BACKEND_HELP, BACKEND_OPTION, startBackend } from './backend-option';
import { defineCommand } from './command';
import { DATA_HELP, DATA_OPTIONS, openData } from './data-option';
import { EXIT, usageError, type ExitCode } from './exit-codes';
import { untilInterrupted } from './interrupt';
import { count, log } from './log';
import { epochLine, progressLine, stepsLine } from './progress-line';
import { SETTINGS_OPTIONS, settingsFrom } from './train-settings-options';

const SUMMARY = 'train a VAE on a folder or a built-in dataset into the runs folder (or --out)';

const OPTIONS: Record<string, OptionSpec> = {
  ...DATA_OPTIONS,
  ...BACKEND_OPTION,
  ...stringOptions('out'),
  ...SETTINGS_OPTIONS,
};

const HELP = `Usage: latent-studio train --data SOURCE [--out RUN_DIR] [options]

Trains a VAE. Progress goes to stderr (about once a second, and a summary per epoch); the run
folder gets config.json, status.json, metrics.jsonl, checkpoints/ and the latent map's codes.
Without --out it is a new folder in the runs folder the browser host shows (runs/ in
$LATENT_STUDIO_DATA_DIR, else in ~/.latent-studio), so the run is in its Runs tab at once.
Ctrl-C stops within one batch and keeps the newest checkpoint (exit code 130).

  --out DIR            the run folder to create instead (must not hold a run already)
${DATA_HELP}
  --model M            mlp or conv (default: the app's preset for the image format)
  --likelihood L       ${LIKELIHOODS.join(', ')} (default: preset)
  --epochs N           passes over the training images (default: the preset's, which reach about
                       ${count(TARGET_STEPS.conv)} optimizer steps for photos and ${count(TARGET_STEPS.mlp)} for small grey digits
                       on the training split, ${PRESET_EPOCHS.min} to ${count(PRESET_EPOCHS.max)}; the steps are printed first)
  --latent D           latent dimensions (default: preset, 20 or 32)
  --batch B            batch size (default: preset; ${SMALL_FOLDER_BATCH} below ${count(SMALL_FOLDER_IMAGES)} training images)
  --lr X               Adam learning rate, the base rate a schedule scales (default ${DEFAULT_TRAIN_SETTINGS.learningRate})
  --schedule S         constant, or cosine: warm up over the first 5% of the steps, then a
                       cosine decay to 10% of --lr at the last (default: preset, cosine for
                       photos, constant for digits and other black-and-white images)
  --flip on|off        mirror each training image left-right with probability 1/2; never the
                       held-out images (default: preset, on for photos, off for digits and text)
  --start pca|random   conv only: start at PCA of up to 1,000 training images, so a short run
                       refines a good start instead of climbing from grey (default: preset, pca
                       for photos with the conv model, random otherwise; an MLP starts at random)
  --beta B             weight of the KL term (default ${DEFAULT_TRAIN_SETTINGS.beta})
  --kl-warmup N        epochs over which beta ramps up from 0 (default ${DEFAULT_TRAIN_SETTINGS.klWarmupEpochs})
  --early-stop N       stop when the validation -ELBO has not improved for N epochs; the best
                       checkpoint is kept either way (default: preset, a tenth of the epochs and
                       at least 5 for photos; 0, train all epochs, for digits and text)
  --budget T           train for at most this wall-clock time, e.g. 5m, 90s, 1h30m (a bare
                       number is minutes): stops after the epoch once another would not fit, at a
                       checkpoint; --epochs stays the most it trains (default: no budget)
  --width W, --depth N MLP hidden units and layers / conv channels and downsamplings
  --seed S             default ${DEFAULT_TRAIN_SETTINGS.seed}; the same seed trains the same model on cpu
  --display N          images on the latent map (default ${DEFAULT_TRAIN_SETTINGS.displayCount})
  --train-limit N, --test-limit N  use at most N training / held-out images
${BACKEND_HELP}
  -h, --help           this help`;

async function refuseExistingRun(directory: string): Promise<void> {
  const entries = await readdir(directory).catch(() => [] as string[]);
  if (entries.includes('config.json')) {
    throw usageError(
      `--out: ${directory} already holds a run; choose a new folder (encode or sample use --run)`,
    );
  }
}

/** A new run in the app's runs folder, made exactly as the app makes one (renamed into place whole). */
async function createInRunsFolder(config: Parameters<typeof RunStore.create>[1]): Promise<RunStore> {
  const runsRoot = runsDirectoryOf(defaultDataDirectory());
  await mkdir(runsRoot, { recursive: true });
  return RunStore.create(runsRoot, config);
}

async function run(values: OptionValues): Promise<ExitCode> {
  const outOption = text(values, 'out');
  const out = outOption === undefined ? null : path.resolve(required(values, 'out'));
  required(values, 'data');
  if (out !== null) await refuseExistingRun(out);
  // Settings that do not depend on the dataset are checked before anything slow is loaded (in a
  // conv format, so --start pca is refused here only beside an explicit --model mlp).
  settingsFrom(values, 'check', 64, 3);
  await startBackend(values);
  const { dataset, preprocessing } = await openData(values);
  const { set, summary } = dataset;
  const settings = settingsFrom(values, summary.datasetId, set.size, set.channels, summary.split.train);
  const config = {
    datasetId: summary.datasetId,
    datasetName: summary.name,
    settings,
    ...(preprocessing ? { preprocessing } : {}),
  };
  const store = out === null ? await createInRunsFolder(config) : await RunStore.createAt(out, config);
  // As in the app: the run keeps its split, so continuing it never trains on its held-out files.
  await writeSplitRecord(store.directory, splitRecordOf(dataset));
  const points = displayPoints(dataset, settings.displayCount, settings.latentDim);
  const layouts = new LayoutStore(store.directory);
  await layouts.writePoints(points);
  log(
    `run: ${store.directory} (id ${store.runId}): ${settings.model} VAE, ${settings.latentDim} latent dims, ` +
      `${settings.likelihood}, ${settings.epochs} epochs, batch ${settings.batchSize}, lr ${settings.learningRate}` +
      `${settings.learningRateSchedule === 'warmup-cosine' ? ' (warm-up + cosine)' : ''}` +
      `${settings.augmentFlip ? ', left-right flips' : ''}` +
      `${settings.pcaStart ? ', PCA start' : ''}`,
  );
  log(stepsLine(settings.epochs, Math.min(settings.trainLimit, summary.split.train), settings.batchSize));

  let finalState: TrainState = 'loading';
  let finalError: string | null = null;
  let lastCheckpoint: number | null = null;
  let finalNotice: string | null = null;
  let meansWritten: Promise<void> = Promise.resolve();
  const job = new TrainingJob(
    'cli',
    settings,
    {
      onState: (state, error, checkpointEpoch, notice) => {
        finalState = state;
        finalError = error;
        lastCheckpoint = checkpointEpoch;
        finalNotice = notice ?? finalNotice;
      },
      onProgress: (progress) => log(progressLine(progress)),
      onEpochEnd: (snapshot) => {
        log(epochLine(snapshot.metrics, settings.epochs));
        // In order, so the newest epoch's codes are never overwritten by an older write.
        meansWritten = meansWritten.then(() => layouts.writeMeans(snapshot.epoch, snapshot.means));
      },
    },
    { run: store, display: Uint32Array.from(points.datasetIndices), progressIntervalMs: 1000 },
  );

  await untilInterrupted(
    'stopping after this batch…',
    () => job.cancel(),
    async () => {
      await job.run(async () => dataset.split);
      await meansWritten;
    },
  );
  const kept =
    lastCheckpoint === null ? 'no checkpoint was saved' : `newest checkpoint: epoch ${lastCheckpoint}`;
  switch (finalState as TrainState) {
    case 'completed':
      if (finalNotice !== null) log(finalNotice);
      log(`done: ${store.directory} (${kept})`);
      return EXIT.ok;
    case 'cancelled':
      log(`cancelled: ${store.directory} (${kept})`);
      return EXIT.interrupted;
    default:
      log(`${finalState}: ${finalError ?? 'training stopped'} (${kept})`);
      return EXIT.failure;
  }
}

export const trainCommand = defineCommand('train', SUMMARY, HELP, OPTIONS, run);
