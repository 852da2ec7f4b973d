/**
 * What the end of a run says about it (issue 15, item 4), from the validation −ELBO per epoch
 * (never the test split: this guides what to do next, and choosing on test would leak it):
 * - 'over-fitting': validation rose clearly above its best while the training loss kept falling;
 *   the best checkpoint is the one to use.
 * - 'still-improving': validation still falls by more than the tolerance per epoch over the last
 *   quarter of the run; more epochs would help.
 * - 'converged': neither; more of the same training would change little.
 * - 'too-short': fewer than three epochs with a validation figure.
 * Runs without a validation split (made before issue 14) get no verdict.
 */
import type { EpochMetrics } from './training-events';

export type VerdictKind = 'too-short' | 'still-improving' | 'over-fitting' | 'converged';

export interface TrainingVerdict {
  kind: VerdictKind;
  /** The epoch with the lowest validation −ELBO (the kept best checkpoint). */
  bestEpoch: number;
  lastEpoch: number;
  /** For 'still-improving': how many more epochs look worth it (half the run again, at least 5). */
  moreEpochs: number | null;
  /** What the kind is called: "Still improving". */
  title: string;
  /** One or two sentences after the title, in plain words. */
  detail: string;
  /** `title: detail`, for a line of text (the command line). */
  message: string;
}

export const VERDICT_TITLES: Record<VerdictKind, string> = {
  converged: 'Converged',
  'still-improving': 'Still improving',
  'over-fitting': 'Over-fitting',
  'too-short': 'Too short to judge',
};

/** The verdict with its title, and the message as one line. */
function verdict(
  kind: VerdictKind,
  base: Pick<TrainingVerdict, 'bestEpoch' | 'lastEpoch' | 'moreEpochs'>,
  detail: string,
): TrainingVerdict {
  const title = VERDICT_TITLES[kind];
  return {
    ...base,
    kind,
    title,
    detail,
    message: `${title}: ${detail.charAt(0).toLowerCase()}${detail.slice(1)}`,
  };
}

export interface VerdictOptions {
  /**
   * A change smaller than this fraction of the validation −ELBO is noise, not a trend. Default
   * 0.002 (0.2 %): the validation figure is a one-sample ELBO with fixed noise, steady to ~0.1 %.
   */
  tolerance?: number;
}

type Point = Pick<EpochMetrics, 'epoch' | 'trainLoss' | 'validationLoss'>;

const nats = (value: number) => value.toFixed(1);

export function judgeTraining(
  history: readonly Point[],
  { tolerance = 0.002 }: VerdictOptions = {},
): TrainingVerdict | null {
  const points = history.filter(
    (m): m is Point & { validationLoss: number } =>
      typeof m.validationLoss === 'number' && Number.isFinite(m.validationLoss),
  );
  if (points.length === 0) return null;
  let best = points[0]!;
  for (const point of points) if (point.validationLoss < best.validationLoss) best = point;
  const last = points[points.length - 1]!;
  const base = { bestEpoch: best.epoch, lastEpoch: last.epoch, moreEpochs: null };
  if (points.length < 3) {
    return verdict(
      'too-short',
      base,
      `Too few epochs to tell whether the model is still improving (${points.length} with a validation figure; at least 3 are needed).`,
    );
  }
  // Relative to the loss's size (a Gaussian "loss only" −ELBO can be negative, hence the abs).
  const noise = tolerance * Math.max(1, Math.abs(best.validationLoss));

  const rose = last.validationLoss - best.validationLoss;
  const trainFell = best.trainLoss - last.trainLoss;
  if (last.epoch > best.epoch && rose > 2 * noise && trainFell > noise) {
    return verdict(
      'over-fitting',
      base,
      `The validation −ELBO rose from ${nats(best.validationLoss)} (epoch ${best.epoch}) ` +
        `to ${nats(last.validationLoss)} while the training −ELBO kept falling. The best checkpoint, ` +
        `epoch ${best.epoch}, is kept; more data, augmentation or a smaller model would help more than more epochs.`,
    );
  }

  const window = Math.max(2, Math.round(points.length / 4));
  const before = points[points.length - 1 - window]!;
  const recentBest = Math.min(...points.slice(-window).map((p) => p.validationLoss));
  const gainPerEpoch = (before.validationLoss - recentBest) / window;
  if (gainPerEpoch > noise) {
    const moreEpochs = Math.max(5, Math.ceil(points.length / 2));
    return verdict(
      'still-improving',
      { ...base, moreEpochs },
      `The validation −ELBO fell by ${nats(before.validationLoss - recentBest)} nats over the last ` +
        `${window} epochs. Continuing for about ${moreEpochs} more epochs should help.`,
    );
  }
  return verdict(
    'converged',
    base,
    `The validation −ELBO changed by less than ${(tolerance * 100).toFixed(1)} % per epoch over the ` +
      `last ${window} epochs (best ${nats(best.validationLoss)} at epoch ${best.epoch}). More epochs of the same ` +
      'training would change little; a bigger model or more data might.',
  );
}
