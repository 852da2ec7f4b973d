/** How long a run's epochs take, from the wall-clock seconds its metrics record. */
import type { EpochMetrics } from '../../../shared/types';

/**
 * Median seconds between consecutive epochs (evaluation and map time included), or null with
 * fewer than two epochs. The median, because a continued run's clock restarts and its first gap
 * is meaningless; `wallSeconds` counts from the start of each training session.
 */
export function secondsPerEpoch(
  metrics: readonly Pick<EpochMetrics, 'epoch' | 'wallSeconds'>[],
): number | null {
  const gaps: number[] = [];
  for (let i = 1; i < metrics.length; i++) {
    const previous = metrics[i - 1]!;
    const current = metrics[i]!;
    const gap = (current.wallSeconds - previous.wallSeconds) / (current.epoch - previous.epoch);
    if (current.epoch > previous.epoch && Number.isFinite(gap) && gap > 0) gaps.push(gap);
  }
  if (gaps.length === 0)
    return metrics.length === 1 && metrics[0]!.wallSeconds > 0
      ? metrics[0]!.wallSeconds / metrics[0]!.epoch
      : null;
  gaps.sort((a, b) => a - b);
  const middle = Math.floor(gaps.length / 2);
  return gaps.length % 2 ? gaps[middle]! : (gaps[middle - 1]! + gaps[middle]!) / 2;
}
