/** Plain-words descriptions of training runs, shared by the run panel and the Runs tab. */
import { formatSeconds } from '../../../shared/duration';
import type { BudgetStop, EarlyStop, RunState } from '../../../shared/run-types';
import type { TrainSettings } from '../../../shared/types';
import { formatBeta, formatInt, formatRate } from './format';
import { flipLabel, likelihoodLabel, modelLabel, scheduleLabel, startLabel } from './settings-choices';

export const RUN_STATE_WORDS: Record<RunState, string> = {
  loading: 'loading',
  running: 'running',
  paused: 'paused',
  cancelled: 'cancelled',
  completed: 'completed',
  failed: 'failed',
  diverged: 'diverged',
  interrupted: 'interrupted',
};

export const RUN_STATE_HINTS: Record<RunState, string> = {
  loading: 'Loading images and building the model',
  running: 'Training now',
  paused: 'Paused; resume it from the run panel',
  cancelled: 'Stopped by the user',
  completed: 'Trained every epoch it was asked for',
  failed: 'Stopped with an error',
  diverged: 'The loss became NaN or infinite',
  interrupted: 'Was training when the app stopped',
};

/**
 * A run's settings as recorded on disk; runs written by an older version lack the newer fields,
 * so every field may be missing.
 */
export type RecordedSettings = Partial<TrainSettings>;

/** "Conv · 32-d · β 4", for a table cell. */
export function modelSummary(settings: RecordedSettings): string {
  const model = settings.model === 'conv' ? 'Conv' : 'MLP';
  const parts = [model, settings.latentDim ? `${settings.latentDim}-d` : null];
  parts.push(`β ${formatBeta(settings.beta ?? 1)}`);
  return parts.filter((p) => p !== null).join(' · ');
}

/** The full recipe, for a tooltip or a details pane. */
export function settingsLines(settings: RecordedSettings): { label: string; value: string }[] {
  const model = settings.model ?? 'mlp';
  const show = (v: number | undefined, format: (n: number) => string = formatInt) =>
    v === undefined ? '—' : format(v);
  return [
    { label: 'Architecture', value: modelLabel(model) },
    { label: 'Likelihood', value: likelihoodLabel(settings.likelihood) },
    { label: 'Latent dimension', value: show(settings.latentDim) },
    { label: 'β', value: formatBeta(settings.beta ?? 1) },
    { label: 'KL warm-up', value: `${show(settings.klWarmupEpochs ?? 0)} epochs` },
    { label: 'Early stop patience', value: patienceText(settings.earlyStopPatience ?? 0) },
    { label: 'Time budget', value: budgetText(settings.timeBudgetMinutes ?? 0) },
    { label: model === 'conv' ? 'Width (channels)' : 'Width (units)', value: show(settings.width) },
    { label: 'Depth', value: show(settings.depth) },
    { label: 'Batch size', value: show(settings.batchSize) },
    { label: 'Learning rate', value: show(settings.learningRate, formatRate) },
    // Runs from before these settings trained without them.
    { label: 'Learning-rate schedule', value: scheduleLabel(settings.learningRateSchedule ?? 'constant') },
    { label: 'Flip augmentation', value: flipLabel(settings.augmentFlip ?? false) },
    { label: 'Start', value: startLabel(settings.pcaStart ?? false) },
    { label: 'Train / test images', value: `${show(settings.trainLimit)} / ${show(settings.testLimit)}` },
    { label: 'Seed', value: show(settings.seed, String) },
  ];
}

/** Every setting, one "Label: value" a line: a tooltip for a run's one-line model summary. */
export function settingsTitle(settings: RecordedSettings): string {
  return settingsLines(settings)
    .map((line) => `${line.label}: ${line.value}`)
    .join('\n');
}

function patienceText(patience: number): string {
  if (patience === 0) return 'off (trains all epochs)';
  return `${formatInt(patience)} ${patience === 1 ? 'epoch' : 'epochs'}`;
}

function budgetText(minutes: number): string {
  return minutes > 0 ? formatSeconds(minutes * 60) : 'none';
}

/** Why a run ended at its time budget, for the tooltip of its "time budget" tag. */
export function budgetStopTitle({ epoch, budgetSeconds, elapsedSeconds }: BudgetStop): string {
  return (
    `Stopped at the time budget after epoch ${epoch}: ${formatSeconds(elapsedSeconds)} of ` +
    `${formatSeconds(budgetSeconds)}; another epoch would not have fitted.`
  );
}

/** Why a run ended before its last epoch, for the tooltip of its "stopped early" tag. */
export function earlyStopTitle({ epoch, bestEpoch, patience }: EarlyStop): string {
  const waited = epoch - bestEpoch;
  return (
    `Stopped early after epoch ${epoch}: the validation −ELBO had not improved for ${waited} ` +
    `${waited === 1 ? 'epoch' : 'epochs'} (patience ${patience}) since epoch ${bestEpoch}, ` +
    `whose checkpoint is kept as the best.`
  );
}

/**
 * The total to suggest when continuing: the planned total while the run stopped short of it,
 * otherwise a few more epochs than it has.
 */
export function suggestedTotal(done: number, planned: number | null | undefined): number {
  const plan = planned ?? done;
  return done < plan ? plan : done + Math.max(1, Math.min(plan, 10));
}
