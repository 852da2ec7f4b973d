/**
 * `latent-studio evaluate`: the negative ELBO and the importance-weighted log-likelihood (IWAE
 * bound, Burda et al. 2016) of a run on held-out images: the run's own test split, or every image
 * of another dataset or folder. The checkpoint is the one the app evaluates (the best by
 * validation −ELBO when kept, else the newest), so the two agree. The figures go to stdout,
 * progress to stderr.
 */
import { stratifiedSample, wholeSet, type ImageSubset } from '../main/engine/data/image-set';
import { createModel } from '../main/engine/model/create-model';
import { CheckpointCorruptError, restoreModel } from '../main/engine/train/checkpoint';
import { checkpointToEvaluate, type ChosenCheckpoint } from '../main/engine/train/evaluated-checkpoint';
import { estimateLogLikelihood } from '../main/engine/train/iwae';
import type { RunStore } from '../main/engine/train/run-store';
import {
  LIKELIHOOD_SAMPLES,
  type EvaluatedCheckpoint,
  type LikelihoodEstimate,
} from '../shared/likelihood-types';
import { TRAIN_LIMITS } from '../shared/train-limits';
import { choiceOption, flag, numberOption, parseOptions, required, type OptionSpec } from './args';
import { BACKEND_HELP, BACKEND_OPTION } from './backend-option';
import type { Command } from './command';
import { DATA_HELP, DATA_OPTIONS } from './data-option';
import { EXIT, notFoundError, type ExitCode } from './exit-codes';
import { count, log } from './log';
import { openRunData } from './run-data';

const OPTIONS: Record<string, OptionSpec> = {
  ...DATA_OPTIONS,
  ...BACKEND_OPTION,
  run: { type: 'string' },
  samples: { type: 'string' },
  split: { type: 'string' },
  limit: { type: 'string' },
  seed: { type: 'string' },
  checkpoint: { type: 'string' },
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

  --run RUN            a run folder written by train (or the app), or the id of a run in
                       the runs folder (as latent-studio runs lists them)
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

async function run(argv: string[]): Promise<ExitCode> {
  const values = parseOptions(argv, OPTIONS);
  if (values.help) {
    log(HELP);
    return EXIT.ok;
  }
  const runDirectory = required(values, 'run');
  const samples = numberOption(
    values,
    'samples',
    { min: LIKELIHOOD_SAMPLES.min, max: LIKELIHOOD_SAMPLES.max, integer: true },
    LIKELIHOOD_SAMPLES.default,
  );
  const limit = numberOption(values, 'limit', TRAIN_LIMITS.testLimit, Infinity);
  const seed = numberOption(values, 'seed', TRAIN_LIMITS.seed, 1);
  const prefer = choiceOption(values, 'checkpoint', ['best', 'newest'], 'best');
  const { store, config, dataset, ownDataset } = await openRunData(runDirectory, values);
  const { set, summary } = dataset;
  const split = choiceOption(values, 'split', ['test', 'all'], ownDataset ? 'test' : 'all');
  const { checkpoint, which } = await chooseCheckpoint(store, prefer);
  const model = createModel(config.settings, set.size, set.channels);
  try {
    restoreModel(model, checkpoint);
  } catch (error) {
    model.dispose();
    throw error;
  }
  const epoch = checkpoint.manifest.epoch;
  log(
    `run: ${config.runId} (${config.datasetName}), checkpoint of epoch ${epoch} (${CHECKPOINT_WORDS[which]})`,
  );
  const chosen: ImageSubset = split === 'test' ? dataset.split.test : wholeSet(set);
  const images = chosen.indices.length > limit ? { set, indices: stratifiedSample(chosen, limit) } : chosen;
  const what = split === 'test' ? `the test split of ${summary.name}` : `all of ${summary.name}`;
  log(
    `evaluate: ${count(images.indices.length)} images (${what}), K = ${count(samples)}, ` +
      `${config.settings.likelihood} likelihood, checkpoint of epoch ${epoch} (${CHECKPOINT_WORDS[which]})`,
  );

  const controller = new AbortController();
  let interrupts = 0;
  const onInterrupt = () => {
    interrupts++;
    if (interrupts > 1) process.exit(EXIT.interrupted);
    log('stopping… (Ctrl-C again to quit at once)');
    controller.abort();
  };
  process.on('SIGINT', onInterrupt);
  const started = performance.now();
  let lastLine = started;
  let estimate: LikelihoodEstimate;
  try {
    estimate = await estimateLogLikelihood(model, images, {
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
    });
  } catch (error) {
    if ((error as Error).name === 'AbortError') {
      log('cancelled: no estimate');
      return EXIT.interrupted;
    }
    throw error;
  } finally {
    process.off('SIGINT', onInterrupt);
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

export const evaluateCommand: Command = {
  name: 'evaluate',
  summary: 'estimate the held-out −ELBO and log-likelihood (IWAE, K samples)',
  help: HELP,
  run,
};
