/** The line under the epochs: the optimizer steps the settings plan and about how long they take. */
import { durationText, runSeconds, stepsText, type RunSize } from '../../../shared/training-estimate';
import { batchesPerEpoch } from '../../../shared/model-presets';
import { formatInt, plural } from './format';

export interface PlannedRun extends RunSize {
  batchSize: number;
  steps: number;
}

/** What is known of the speed: measured on a backend, being measured, or nothing (yet). */
export type SpeedReading = { imagesPerSecond: number; backendLabel: string } | 'measuring' | null;

/** "≈ 1,500 steps, ≈ 4 minutes on WebAssembly (SIMD)"; "…, measuring speed…" meanwhile. */
export function runEstimateText(plan: PlannedRun, speed: SpeedReading): string {
  const steps = stepsText(plan.steps);
  if (speed === 'measuring') return `${steps}, measuring speed…`;
  if (speed === null) return steps;
  const seconds = runSeconds(plan, speed.imagesPerSecond);
  if (!Number.isFinite(seconds)) return steps;
  return `${steps}, ${durationText(seconds)} on ${speed.backendLabel}`;
}

/** The sums behind the line, for its tooltip. */
export function runEstimateDetails(plan: PlannedRun, speed: SpeedReading): string {
  const batches = batchesPerEpoch(plan.trainImages, plan.batchSize);
  const lines = [
    `${plural(plan.epochs, 'epoch')} of ${plural(batches, 'batch', 'batches')} ` +
      `(${formatInt(plan.trainImages)} training images, batches of ${formatInt(plan.batchSize)})`,
  ];
  if (speed !== null && speed !== 'measuring') {
    lines.push(
      `${formatInt(speed.imagesPerSecond)} images/s measured on ${speed.backendLabel}; the time includes ` +
        `evaluating ${plural(plan.evaluatedImages, 'image')} after each epoch, not checkpoints or the map's layout`,
    );
  }
  return lines.join('\n');
}
