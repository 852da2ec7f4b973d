/**
 * The images the model finds least likely: the display points with the highest per-image −ELBO
 * (its cost, in nats, to encode the image), and the CSV that lists them. Pure, so the ranking and
 * the file are tested in Node (tests/unit/outliers.test.ts).
 */
import type { LatentPoints, PointScores } from '../../../shared/projection-types';
import { toCsv } from '../../../shared/csv';
import { fileSlug } from './csv';

/** The choices of how many to list; the middle one is the default. */
export const OUTLIER_COUNTS = [12, 24, 48] as const;
export const DEFAULT_OUTLIER_COUNT = 24;

export interface Outlier {
  /** 1 for the least likely. */
  rank: number;
  index: number;
  negElbo: number;
  reconstruction: number;
  kl: number;
}

type Scores = Pick<PointScores, 'count' | 'negElbo' | 'reconstruction' | 'kl'>;

/**
 * The `n` points with the highest −ELBO, highest first; equal scores keep the lower index first,
 * and a point without a finite score is never one.
 */
export function leastLikely(scores: Scores, n: number): Outlier[] {
  const { negElbo } = scores;
  const candidates: number[] = [];
  for (let i = 0; i < scores.count; i++) if (Number.isFinite(negElbo[i])) candidates.push(i);
  candidates.sort((a, b) => negElbo[b]! - negElbo[a]! || a - b);
  return candidates.slice(0, Math.max(0, Math.floor(n))).map((index, i) => ({
    rank: i + 1,
    index,
    negElbo: negElbo[index]!,
    reconstruction: scores.reconstruction[index] ?? NaN,
    kl: scores.kl[index] ?? NaN,
  }));
}

export const OUTLIER_CSV_HEADER = [
  'rank',
  'index',
  'file',
  'label',
  'split',
  'neg_elbo_nats',
  'reconstruction_nats',
  'kl_nats',
] as const;

/** Nats kept to the float32 scores' own precision, without float64 noise ("123.4568", not "123.45678253"). */
function nats(value: number): number {
  return Number.isFinite(value) ? Number(value.toPrecision(7)) : NaN;
}

/** The outliers as RFC 4180 CSV, one row per image in rank order, under OUTLIER_CSV_HEADER. */
export function outliersCsv(
  outliers: readonly Outlier[],
  points: Pick<LatentPoints, 'names' | 'labels' | 'classNames' | 'heldOut'>,
): string {
  const rows = outliers.map((o) => {
    const label = points.labels[o.index] ?? 0;
    return [
      o.rank,
      o.index,
      points.names[o.index] ?? `point ${o.index}`,
      points.classNames[label] ?? `class ${label}`,
      points.heldOut[o.index] ? 'held-out' : 'training',
      nats(o.negElbo),
      nats(o.reconstruction),
      nats(o.kl),
    ];
  });
  return toCsv([OUTLIER_CSV_HEADER, ...rows]);
}

/** `outliers-<run>.csv`, the run id reduced to characters every file system takes. */
export function outliersFileName(runId: string): string {
  return `outliers-${fileSlug(runId, 'run')}.csv`;
}
