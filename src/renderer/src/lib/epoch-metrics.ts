/**
 * Readers for the per-epoch metrics that tolerate runs recorded before a field existed (a run's
 * `metrics.jsonl` outlives the app version that wrote it).
 */
import type { EpochMetrics } from '../../../shared/types';

/** KL above this many nats per image marks a latent dimension as in use ("active"). */
export const ACTIVE_KL_NATS = 0.01;

export function klPerDimensionOf(metrics: EpochMetrics): readonly number[] {
  const values: unknown = metrics.klPerDimension;
  return Array.isArray(values) ? values.filter((v): v is number => typeof v === 'number') : [];
}

/** The host's count of active units, or one counted from the KL per dimension. */
export function activeUnitsOf(metrics: EpochMetrics): number | null {
  const reported: unknown = metrics.activeUnits;
  if (typeof reported === 'number' && Number.isFinite(reported)) return reported;
  const kl = klPerDimensionOf(metrics);
  return kl.length ? kl.filter((v) => v > ACTIVE_KL_NATS).length : null;
}
