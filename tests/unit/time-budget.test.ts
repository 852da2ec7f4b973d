/**
 * The time budget's rule on simulated runs (epochs of steady or drifting length), and the ETA that
 * counts evaluation time and the budget: the run ends at a checkpoint within one epoch of the
 * budget and never past it, unless one epoch alone is longer than the whole budget.
 */
import { describe, expect, it } from 'vitest';
import { budgetStopAt, budgetStopNotice, remainingSeconds } from '../../src/main/engine/train/run-stops';

/** Epoch ends (seconds) until the rule stops the run or `epochs` run out. */
function simulate(epochSeconds: (epoch: number) => number, budget: number, epochs = 10_000) {
  let elapsed = 0;
  for (let epoch = 1; epoch <= epochs; epoch++) {
    elapsed += epochSeconds(epoch);
    const stop = budgetStopAt(epoch, epoch, elapsed, budget);
    if (stop) return { epoch, elapsed, stop };
  }
  return { epoch: epochs, elapsed, stop: null };
}

describe('budgetStopAt', () => {
  it('stops within one epoch of the budget and never past it, for steady epochs', () => {
    for (const seconds of [0.7, 3, 11, 59, 61]) {
      for (const budget of [60, 300, 301, 1800]) {
        if (seconds > budget) continue; // One epoch longer than the budget: the next test.
        const { elapsed, stop } = simulate(() => seconds, budget);
        expect(stop, `${seconds} s epochs, ${budget} s budget`).not.toBeNull();
        expect(elapsed).toBeLessThanOrEqual(budget);
        expect(elapsed).toBeGreaterThan(budget - seconds);
      }
    }
  });

  it('stays within the budget when later epochs grow slower (a warm machine throttling)', () => {
    const { elapsed } = simulate((epoch) => 10 + epoch * 0.2, 600);
    expect(elapsed).toBeLessThanOrEqual(600 + 10 + 0.2 * 40);
    expect(elapsed).toBeGreaterThan(600 - 2 * (10 + 0.2 * 40));
  });

  it('lets one epoch longer than the whole budget finish, then stops', () => {
    const { epoch, stop } = simulate(() => 500, 300);
    expect(epoch).toBe(1);
    expect(stop).toEqual({ epoch: 1, budgetSeconds: 300, elapsedSeconds: 500 });
  });

  it('never stops without a budget', () => {
    expect(budgetStopAt(3, 3, 1e9, 0)).toBeNull();
    expect(simulate(() => 5, 0, 20).stop).toBeNull();
  });

  it('says what happened in words', () => {
    expect(budgetStopNotice({ epoch: 7, budgetSeconds: 300, elapsedSeconds: 281 })).toBe(
      'Stopped at the time budget after epoch 7: 4 min 41 s of 5 min; another epoch would not have fitted. Continue the run for more.',
    );
  });
});

describe('remainingSeconds', () => {
  it('adds each epoch’s evaluation time to the batches left, and is capped by the budget', () => {
    const base = {
      secondsPerBatch: 0.1,
      batchesLeft: 1000,
      epochsLeft: 4,
      overheadPerEpoch: 5,
      elapsedSeconds: 30,
    };
    expect(remainingSeconds({ ...base, budgetSeconds: 0 })).toBeCloseTo(100 + 20);
    expect(remainingSeconds({ ...base, budgetSeconds: 90 })).toBeCloseTo(60);
    expect(remainingSeconds({ ...base, budgetSeconds: 20 })).toBe(0);
  });
});
