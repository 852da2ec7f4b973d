/**
 * Which definition a metrics line's figures follow, and how to show them honestly. Lines written
 * since issue 14 name their likelihood; older lines do not, and their active units counted KL >
 * 0.01 nats and their bits/dim could come from a Gaussian density (even negative).
 */
import { bitsPerDimNote, LIKELIHOOD_SHORT_NAMES, reportsBitsPerDim } from '../../../shared/likelihood-info';
import type { EpochMetrics, Likelihood } from '../../../shared/types';
import { formatBits } from './format';
import { likelihoodLabel } from './settings-choices';

export const OLD_DEFINITION = '(old definition)';

export const ACTIVE_UNITS_NOTE =
  'Latent dimensions whose posterior mean varies across held-out images: Var_x(E[z|x]) > 0.01 (Burda et al. 2016)';
export const OLD_ACTIVE_UNITS_NOTE =
  'Recorded by an older version: dimensions with more than 0.01 nats of KL, not Burda et al.’s definition';
export const MUTUAL_INFORMATION_NOTE =
  'I(x; z) = E_x KL(q(z|x) ‖ p(z)) − KL(q(z) ‖ p(z)), estimated over batches of 500 held-out images (Hoffman & Johnson 2016; He et al. 2019). At most the KL; near 0 while the KL is not means posterior collapse';

/** True for a line written before the metrics named their likelihood. */
export function isOldDefinition(metrics: EpochMetrics): boolean {
  return typeof metrics.likelihood !== 'string';
}

/** The likelihood the line's losses are under: its own, else the run's settings, else unknown. */
export function likelihoodOf(metrics: EpochMetrics | null, fallback?: Likelihood): Likelihood | null {
  if (metrics && typeof metrics.likelihood === 'string') return metrics.likelihood;
  return fallback ?? null;
}

/** "Bernoulli", "Disc. logistic"… for a unit or a cell; "likelihood unknown" for old runs without settings. */
export function likelihoodShortName(likelihood: Likelihood | null): string {
  return likelihood ? (LIKELIHOOD_SHORT_NAMES[likelihood] ?? likelihood) : 'likelihood unknown';
}

export function likelihoodLongName(likelihood: Likelihood | null): string {
  return likelihood ? likelihoodLabel(likelihood) : 'an unrecorded likelihood';
}

export interface ShownFigure {
  /** What the cell shows: a number, or "—". */
  text: string;
  /** The tooltip: what the figure is, or why there is none. */
  title: string;
  /** Shown with "(old definition)". */
  old: boolean;
}

/**
 * A line's bits/dim as it may be shown: only for a likelihood that is a probability of the 8-bit
 * pixels (never a Gaussian density's), labelled when an older version computed it.
 */
export function bitsPerDimFigure(
  metrics: EpochMetrics | null,
  which: 'train' | 'test',
  fallback?: Likelihood,
): ShownFigure {
  if (!metrics) return { text: '—', title: 'Bits per pixel channel, after the first epoch', old: false };
  const likelihood = likelihoodOf(metrics, fallback);
  const value = which === 'train' ? metrics.trainBitsPerDim : metrics.testBitsPerDim;
  if (likelihood && !reportsBitsPerDim(likelihood))
    return { text: '—', title: bitsPerDimNote(likelihood), old: false };
  if (typeof value !== 'number' || !Number.isFinite(value))
    return { text: '—', title: 'No bits/dim was recorded for this epoch', old: false };
  const old = isOldDefinition(metrics);
  const note = likelihood ? bitsPerDimNote(likelihood) : 'Likelihood not recorded';
  return {
    text: formatBits(value),
    title: old ? `${note}. Recorded by an older version of the app` : note,
    old: old && likelihood === null,
  };
}

/** Held-out Var_x(E[z|x]) per dimension, when the line has it. */
export function latentMeanVarianceOf(metrics: EpochMetrics): readonly number[] | null {
  const values: unknown = metrics.latentMeanVariance;
  return Array.isArray(values) ? values.map((v) => (typeof v === 'number' ? v : 0)) : null;
}
