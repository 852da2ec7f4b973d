/**
 * When a run stops before its planned epochs (early on the validation split, or at its time
 * budget), what it tells the user then, and how long a run has left.
 */
import { formatSeconds } from '../../../shared/duration';
import type { BudgetStop, EarlyStop } from '../../../shared/run-types';
import type { EpochMetrics } from '../../../shared/training-events';

/**
 * The epoch of the best checkpoint: lowest validation loss. Never the test loss (choosing on it
 * would make the reported test figure optimistic); epochs without a validation loss (older runs,
 * datasets too small for a validation set) are not candidates, so then only the newest are kept.
 */
export function bestEpoch(history: readonly EpochMetrics[]): number | null {
  let best: EpochMetrics | null = null;
  for (const m of history) {
    if (m.validationLoss !== undefined && (best === null || m.validationLoss < best.validationLoss!))
      best = m;
  }
  return best?.epoch ?? null;
}

/**
 * Where training should stop early: when the newest epoch is `patience` or more epochs past the
 * best validation −ELBO. Null with patience 0, and for a run without a validation split (its newest
 * epoch has no validation loss): the test split never decides (issue 14). The history is the whole
 * run's, so a continued run counts the epochs before it too.
 */
export function earlyStopAt(history: readonly EpochMetrics[], patience: number): EarlyStop | null {
  const newest = history.at(-1);
  if (patience <= 0 || newest?.validationLoss === undefined) return null;
  const best = bestEpoch(history);
  if (best === null || newest.epoch - best < patience) return null;
  return { epoch: newest.epoch, bestEpoch: best, patience };
}

/** The notice that goes out with the final state of a run that stopped early. */
export function earlyStopNotice({ epoch, bestEpoch: best }: EarlyStop): string {
  const waited = epoch - best;
  return (
    `Stopped early after epoch ${epoch}: the validation −ELBO has not improved for ${waited} ` +
    `${waited === 1 ? 'epoch' : 'epochs'} since epoch ${best}, whose checkpoint is kept as the best.`
  );
}

/**
 * Where a time budget ends training: after the epoch once another one, at this session's mean
 * pace (evaluation and map time included), would not fit. So the run stops at a checkpoint within
 * about one epoch of the budget, never far past it (only a first epoch longer than the whole
 * budget goes over). Null without a budget.
 */
export function budgetStopAt(
  epoch: number,
  epochsThisSession: number,
  elapsedSeconds: number,
  budgetSeconds: number,
): BudgetStop | null {
  if (budgetSeconds <= 0 || epochsThisSession <= 0) return null;
  const perEpoch = elapsedSeconds / epochsThisSession;
  return elapsedSeconds + perEpoch > budgetSeconds ? { epoch, budgetSeconds, elapsedSeconds } : null;
}

export function budgetStopNotice({ epoch, budgetSeconds, elapsedSeconds }: BudgetStop): string {
  return (
    `Stopped at the time budget after epoch ${epoch}: ${formatSeconds(elapsedSeconds)} of ` +
    `${formatSeconds(budgetSeconds)}; another epoch would not have fitted. Continue the run for more.`
  );
}

/**
 * Seconds until the run ends: the batches left at this session's pace per batch, plus each epoch's
 * evaluation and map time measured so far, capped by what is left of a time budget.
 */
export function remainingSeconds({
  secondsPerBatch,
  batchesLeft,
  epochsLeft,
  overheadPerEpoch,
  elapsedSeconds,
  budgetSeconds,
}: {
  secondsPerBatch: number;
  batchesLeft: number;
  /** Epochs not finished yet, the current one included. */
  epochsLeft: number;
  overheadPerEpoch: number;
  elapsedSeconds: number;
  budgetSeconds: number;
}): number {
  const planned = secondsPerBatch * batchesLeft + overheadPerEpoch * epochsLeft;
  return budgetSeconds > 0 ? Math.min(planned, Math.max(0, budgetSeconds - elapsedSeconds)) : planned;
}
