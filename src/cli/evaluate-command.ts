/**
 * `latent-studio evaluate`: the negative ELBO and the importance-weighted log-likelihood (IWAE
 * bound, Burda et al. 2016) of a run on held-out images: the run's own test split, or every image
 * of another dataset or folder. The checkpoint is the one the app evaluates (the best by
 * validation −ELBO when kept, else the newest), so the two agree. The figures go to stdout,
 * progress to stderr.
 */
import { CheckpointCorruptError } from '../main/engine/train/checkpoint';
import { checkpointToEvaluate, type ChosenCheckpoint } from '../main/engine/train/evaluated-checkpoint';
import { estimateLogLikelihood } from '../main/engine/train/iwae';
import type { RunStore } from '../main/engine/train/run-store';
import {
  LIKELIHOOD_SAMPLES,
  type EvaluatedCheckpoint,
  type LikelihoodEstimate,
} from '../shared/likelihood-types';
import { TRAIN_LIMITS } from '../shared/train-limits';
import {
  choiceOption,
  flag,
  numberOption,
  required,
  stringOptions,
  type OptionSpec,
  type OptionValues,
} from './args';
import { BACKEND_HELP } from './backend-option';
import { defineCommand } from './command';
import { DATA_HELP } from './data-option';
import { EXIT, notFoundError, type ExitCode } from './exit-codes';
import { untilInterrupted } from './interrupt';
import { chooseImages, limitOption } from './image-choice';
import { count, log } from './log';
import { openRunData, RUN_DATA_OPTIONS } from './run-data';
import { modelFromCheckpoint } from './run-model';
import { RUN_HELP } from './run-option';

const SUMMARY = 'estimate the held-out −ELBO and log-likelihood (IWAE, K samples)';

const OPTIONS: Record<string, OptionSpec> = {
  ...RUN_DATA_OPTIONS,
  ...stringOptions('samples', 'split', 'limit', 'seed', 'checkpoint'),
  json: { type: 'boolean' },
};

const HELP = `Usage: latent-studio evaluate --run RUN [--data SOURCE] [--samples K] [options]

Estimates how well the run's model fits held-out images, in nats per image:
the negative ELBO (the mean of K one-sample estimates) and the importance-weighted negative
log-likelihood with K samples per image (IWAE bound, Burda, Grosse & Salakhutdinov 2016), which
is never above it and tightens as K grows; and that in bits per pixel value (not for a Gaussian
likelihood, whose density on [0, 1] has no bits/dim). Figures go to stdout, progress to stderr.
Ctrl-C stops within one chunk (exit code 130).

The model is the run's best checkpoint by validation −ELBO when it is kept (the one the run
reports, and the one the app evaluates), else its newest.

${RUN_HELP}
  --samples K          importance samples per image, ${LIKELIHOOD_SAMPLES.min}–${LIKELIHOOD_SAMPLES.max} (default ${LIKELIHOOD_SAMPLES.default};
                       papers report K = 5000)
  --split S            test: the dataset's held-out test split; all: every image (default:
                       test for the run's own dataset, all for any other, e.g. a held-out folder)
  --limit N            at most N images (a class-balanced subset)
  --seed S             seed of the importance samples (default 1)
  --checkpoint C       best: the best by validation −ELBO, the newest when none is kept
                       (default); newest: the newest
  --json               print the figures as one JSON object instead
${DATA_HELP.replace(
  'mnist, sprites, or an image folder',
  "default: the run's built-in dataset; or mnist, sprites, an image folder",
)}
${BACKEND_HELP}
  -h, --help           this help`;

function figures(estimate: LikelihoodEstimate): string {
  const nats = (value: number) => `${value.toFixed(2)} nats`;
  const bits =
    estimate.bitsPerDim === null
      ? 'n/a (continuous likelihood)'
      : `${estimate.bitsPerDim.toFixed(4)} (IWAE, over ${count(estimate.dimensions)} values per image)`;
  return [
    `-ELBO:     ${nats(estimate.negativeElbo)}`,
    `IWAE NLL:  ${nats(estimate.nll)} (K = ${count(estimate.samples)})`,
    `bits/dim:  ${bits}`,
    '',
  ].join('\n');
}

const CHECKPOINT_WORDS: Record<EvaluatedCheckpoint, string> = {
  best: 'best by validation',
  newest: 'newest',
};

/** The checkpoint the app evaluates (or the newest when asked), with a note when the best is damaged. */
async function chooseCheckpoint(store: RunStore, prefer: EvaluatedCheckpoint): Promise<ChosenCheckpoint> {
  const chosen = await checkpointToEvaluate(store, prefer);
  if (chosen === null) throw notFoundError(`--run: ${store.directory} has no checkpoint yet`);
  if (chosen instanceof CheckpointCorruptError) throw chosen;
  return chosen;
}

async function run(values: OptionValues): Promise<ExitCode> {
  const runDirectory = required(values, 'run');
  const samples = numberOption(
    values,
    'samples',
    { min: LIKELIHOOD_SAMPLES.min, max: LIKELIHOOD_SAMPLES.max, integer: true },
    LIKELIHOOD_SAMPLES.default,
  );
  const limit = limitOption(values);
  const seed = numberOption(values, 'seed', TRAIN_LIMITS.seed, 1);
  const prefer = choiceOption(values, 'checkpoint', ['best', 'newest'], 'best');
  const { store, config, dataset, ownDataset } = await openRunData(runDirectory, values);
  const { split, images, what } = chooseImages(values, dataset, dataset.split.test, ownDataset, limit);
  const { checkpoint, which } = await chooseCheckpoint(store, prefer);
  const model = modelFromCheckpoint(config.settings, dataset.set, checkpoint);
  const epoch = checkpoint.manifest.epoch;
  log(
    `run: ${config.runId} (${config.datasetName}), checkpoint of epoch ${epoch} (${CHECKPOINT_WORDS[which]})`,
  );
  log(
    `evaluate: ${count(images.indices.length)} images (${what}), K = ${count(samples)}, ` +
      `${config.settings.likelihood} likelihood, checkpoint of epoch ${epoch} (${CHECKPOINT_WORDS[which]})`,
  );

  const controller = new AbortController();
  const started = performance.now();
  let lastLine = started;
  let estimate: LikelihoodEstimate;
  try {
    estimate = await untilInterrupted(
      'stopping…',
      () => controller.abort(),
      () =>
        estimateLogLikelihood(model, images, {
          samples,
          likelihood: config.settings.likelihood,
          seed,
          signal: controller.signal,
          onProgress: ({ imagesDone, images: total }) => {
            const now = performance.now();
            if (imagesDone < total && now - lastLine < 1000) return;
            lastLine = now;
            const seconds = (now - started) / 1000;
            const eta = imagesDone > 0 ? (seconds * (total - imagesDone)) / imagesDone : NaN;
            log(
              `evaluate: ${count(imagesDone)}/${count(total)} images, ${count(imagesDone / Math.max(seconds, 1e-3))} img/s` +
                (Number.isFinite(eta) && imagesDone < total ? `, ETA ${Math.ceil(eta)} s` : ''),
            );
          },
        }),
    );
  } catch (error) {
    if ((error as Error).name === 'AbortError') {
      log('cancelled: no estimate');
      return EXIT.interrupted;
    }
    throw error;
  } finally {
    model.dispose();
  }
  if (flag(values, 'json')) {
    const record = { runId: config.runId, epoch, checkpoint: which, split, ...estimate };
    process.stdout.write(`${JSON.stringify(record)}\n`);
  } else {
    process.stdout.write(figures(estimate));
  }
  log(`done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return EXIT.ok;
}

export const evaluateCommand = defineCommand('evaluate', SUMMARY, HELP, OPTIONS, run);
