/**
 * When early stopping fires, on synthetic histories: only on the validation −ELBO, exactly once the
 * newest epoch is `patience` epochs past the best, never without a validation split, and the same
 * for a continued run whose history holds the epochs before it.
 */
import { describe, expect, it } from 'vitest';
import { earlyStopAt, earlyStopNotice } from '../../src/main/engine/train/run-stops';
import type { EpochMetrics } from '../../src/shared/types';
import { metrics } from '../support/epoch-metrics';

/** One epoch's metrics; `validation` undefined leaves the validation loss out, as runs without one do. */
function epochOf(epoch: number, validation: number | undefined, test = 100): EpochMetrics {
  return metrics(epoch, {
    testLoss: test,
    ...(validation === undefined ? {} : { validationLoss: validation }),
  });
}

/** Epochs 1.. with these validation losses. */
const history = (losses: (number | undefined)[]) => losses.map((loss, i) => epochOf(i + 1, loss));

describe('earlyStopAt', () => {
  it('never stops with patience 0', () => {
    expect(earlyStopAt(history([90, 95, 96, 97, 98, 99]), 0)).toBeNull();
  });

  it('stops exactly when the newest epoch is patience epochs past the best', () => {
    const losses = [100, 90, 85, 86, 87, 88];
    // Best is epoch 3: epochs 4 and 5 are 1 and 2 past it.
    expect(earlyStopAt(history(losses.slice(0, 4)), 3)).toBeNull();
    expect(earlyStopAt(history(losses.slice(0, 5)), 3)).toBeNull();
    expect(earlyStopAt(history(losses), 3)).toEqual({ epoch: 6, bestEpoch: 3, patience: 3 });
    expect(earlyStopAt(history(losses.slice(0, 4)), 1)).toEqual({ epoch: 4, bestEpoch: 3, patience: 1 });
  });

  it('counts a tie as no improvement, and a new best resets the wait', () => {
    expect(earlyStopAt(history([90, 90, 90]), 2)).toEqual({ epoch: 3, bestEpoch: 1, patience: 2 });
    expect(earlyStopAt(history([90, 95, 89, 91]), 2)).toBeNull();
  });

  it('never decides on the test loss', () => {
    // Test loss worsens every epoch while validation keeps improving: no stop.
    const rising = [1, 2, 3, 4, 5].map((epoch) => epochOf(epoch, 100 - epoch, 100 + epoch));
    expect(earlyStopAt(rising, 1)).toBeNull();
  });

  it('never stops a run without a validation split', () => {
    expect(earlyStopAt(history([undefined, undefined, undefined, undefined]), 1)).toBeNull();
    // An old run's epochs had validation; continued without it, the newest epoch has none.
    expect(earlyStopAt(history([80, 90, 95, undefined]), 1)).toBeNull();
    expect(earlyStopAt([], 1)).toBeNull();
  });

  it('counts the epochs of the run before it was continued', () => {
    const before = history([100, 90, 91, 92]);
    // Continued from epoch 4 with patience 3: epoch 5 is 4 past the best (epoch 2).
    expect(earlyStopAt([...before, epochOf(5, 93)], 3)).toEqual({ epoch: 5, bestEpoch: 2, patience: 3 });
    // A continued run that improves keeps going.
    expect(earlyStopAt([...before, epochOf(5, 89)], 3)).toBeNull();
    // Epochs from before validation splits are not candidates for the best.
    const older = [epochOf(1, undefined), epochOf(2, undefined), epochOf(3, 95), epochOf(4, 96)];
    expect(earlyStopAt(older, 1)).toEqual({ epoch: 4, bestEpoch: 3, patience: 1 });
  });

  it('says in plain words where it stopped and which checkpoint is the best', () => {
    expect(earlyStopNotice({ epoch: 23, bestEpoch: 18, patience: 5 })).toBe(
      'Stopped early after epoch 23: the validation −ELBO has not improved for 5 epochs since epoch 18, ' +
        'whose checkpoint is kept as the best.',
    );
    expect(earlyStopNotice({ epoch: 4, bestEpoch: 3, patience: 1 })).toContain('for 1 epoch since');
  });
});
