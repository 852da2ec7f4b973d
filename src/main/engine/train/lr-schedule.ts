/**
 * The learning-rate schedule as a pure function of the global step, so a resumed run sets the
 * same rate at every step as an uninterrupted one: nothing depends on how the run got there.
 *
 * 'warmup-cosine' (Loshchilov & Hutter 2017, SGDR, with the linear warm-up of Goyal et al. 2017):
 * - warm-up: the first W = ⌈5 % of the planned steps⌉ steps (at least one) ramp linearly from 0,
 *   step s (from 0) at (s + 1) / W of the base, so the first step already moves and step W − 1 is at
 *   the base rate. A fraction rather than whole epochs: a small folder has a handful of steps per
 *   epoch and a large one hundreds, and 5 % is the usual share either way; Adam's first updates are
 *   the noisy ones, whatever the epoch length.
 * - decay: from the base rate at step W down a half cosine to 10 % of it at the last planned step.
 *   Not to 0: the last epochs still learn, and a run continued past its plan starts from there.
 *
 * Planned steps are epochs × batches per epoch, of the run as configured: early stopping ends it on
 * the way down; continuing a run to more epochs plans anew over the new total. A time budget that
 * ends the run before its plan would leave it stuck in the warm-up or high on the cosine (a 5-minute
 * budget on a 10,000-epoch plan trained at 2 % of the rate), so with a budget the schedule also
 * follows the clock: the step counts as at least the budget's elapsed share of the plan.
 */
import type { LearningRateSchedule } from '../../../shared/train-settings';

/** The planned steps per warm-up step: 20, i.e. 5 % (a whole number, so no rounding fuzz). */
export const STEPS_PER_WARMUP_STEP = 20;
/** Where the cosine ends, as a fraction of the base rate. */
export const FINAL_FRACTION = 0.1;

/** The global step (0-based) of `batch` (0-based) in `epoch` (1-based). */
export function globalStep(epoch: number, batch: number, batchesPerEpoch: number): number {
  return (epoch - 1) * batchesPerEpoch + batch;
}

/** Steps of linear warm-up for a run of `plannedSteps`: 5 %, rounded up, at least one. */
export function warmupSteps(plannedSteps: number): number {
  return Math.max(1, Math.ceil(plannedSteps / STEPS_PER_WARMUP_STEP));
}

/**
 * What the base rate is multiplied by at `step` (0-based) of a run of `plannedSteps`; with a time
 * budget, `budgetFraction` is the share of it spent so far (0 without one).
 */
export function learningRateFactor(
  schedule: LearningRateSchedule,
  step: number,
  plannedSteps: number,
  budgetFraction = 0,
): number {
  if (schedule !== 'warmup-cosine') return 1;
  if (budgetFraction > 0) step = Math.max(step, Math.floor(Math.min(1, budgetFraction) * (plannedSteps - 1)));
  const warmup = warmupSteps(plannedSteps);
  if (step < warmup) return (step + 1) / warmup;
  const decaySteps = plannedSteps - 1 - warmup;
  // A run too short to decay (or a step past the plan) sits at the floor.
  const progress = decaySteps > 0 ? Math.min(1, (step - warmup) / decaySteps) : 1;
  return FINAL_FRACTION + ((1 - FINAL_FRACTION) * (1 + Math.cos(Math.PI * progress))) / 2;
}
