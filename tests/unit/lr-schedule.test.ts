/**
 * The learning-rate schedule as a function of the global step: a linear warm-up over 5 % of the
 * planned steps up to the base rate, a cosine down to 10 % of it at the last planned step, a
 * constant schedule that never moves, and steps counted across epochs.
 */
import { describe, expect, it } from 'vitest';
import {
  FINAL_FRACTION,
  globalStep,
  learningRateFactor,
  warmupSteps,
} from '../../src/main/engine/train/lr-schedule';

const factors = (planned: number) =>
  Array.from({ length: planned }, (_, step) => learningRateFactor('warmup-cosine', step, planned));

describe('learning-rate schedule', () => {
  it('keeps a constant schedule at the base rate at every step', () => {
    for (const step of [0, 1, 49, 50, 500, 999, 5_000]) {
      expect(learningRateFactor('constant', step, 1_000)).toBe(1);
    }
  });

  it('warms up linearly from 0 over the first 5 % of the planned steps', () => {
    expect(warmupSteps(1_000)).toBe(50);
    expect(warmupSteps(4_690)).toBe(235); // 10 MNIST epochs at batch 128: rounded up
    expect(warmupSteps(60)).toBe(3);
    expect(warmupSteps(20)).toBe(1);
    expect(warmupSteps(1)).toBe(1);
    const f = factors(1_000);
    expect(f[0]).toBeCloseTo(1 / 50, 12);
    expect(f[24]).toBeCloseTo(25 / 50, 12);
    // The last warm-up step and the first decay step are both at the base rate.
    expect(f[49]).toBe(1);
    expect(f[50]).toBe(1);
    for (let step = 1; step < 50; step++) {
      expect(f[step]! - f[step - 1]!).toBeCloseTo(1 / 50, 12);
    }
  });

  it('decays along a cosine, never rising, to 10 % of the base rate at the last planned step', () => {
    const f = factors(1_000);
    for (let step = 51; step < 1_000; step++) expect(f[step]!).toBeLessThanOrEqual(f[step - 1]!);
    expect(f[999]).toBeCloseTo(FINAL_FRACTION, 12);
    expect(FINAL_FRACTION).toBe(0.1);
    // Half-way through the decay the cosine is at 0: half-way between the base rate and the floor.
    expect(learningRateFactor('warmup-cosine', 50 + 949 / 2, 1_000)).toBeCloseTo(0.55, 12);
    // A step past the plan (a run continued without a new plan) stays at the floor.
    expect(learningRateFactor('warmup-cosine', 1_500, 1_000)).toBeCloseTo(0.1, 12);
  });

  it('handles runs too short to decay', () => {
    expect(factors(1)).toEqual([1]);
    expect(factors(2)).toEqual([1, FINAL_FRACTION]);
    const three = factors(3);
    expect(three[0]).toBe(1);
    expect(three[2]).toBeCloseTo(FINAL_FRACTION, 12);
  });

  it('counts steps across epochs, so the rate depends only on (epoch, batch)', () => {
    const perEpoch = 7;
    expect(globalStep(1, 0, perEpoch)).toBe(0);
    expect(globalStep(1, 6, perEpoch)).toBe(6);
    expect(globalStep(2, 0, perEpoch)).toBe(7);
    expect(globalStep(3, 4, perEpoch)).toBe(18);
    // Every (epoch, batch) of a 5-epoch run is one step, in order, with no gaps.
    const steps: number[] = [];
    for (let epoch = 1; epoch <= 5; epoch++) {
      for (let batch = 0; batch < perEpoch; batch++) steps.push(globalStep(epoch, batch, perEpoch));
    }
    expect(steps).toEqual(Array.from({ length: 5 * perEpoch }, (_, k) => k));
  });

  it('follows the clock under a time budget that ends the run before its plan', () => {
    const planned = 100_000;
    // Without a budget, step 10 of a 100,000-step plan is deep in the warm-up.
    expect(learningRateFactor('warmup-cosine', 10, planned)).toBeLessThan(0.01);
    // Half the budget spent: the rate is half way down the cosine, whatever the step.
    const half = learningRateFactor('warmup-cosine', 50, planned, 0.5);
    expect(half).toBeGreaterThan(0.5);
    expect(half).toBeLessThan(0.6);
    // The budget's end is the schedule's end; a step further along than the clock keeps its own place.
    expect(learningRateFactor('warmup-cosine', 50, planned, 1)).toBeCloseTo(FINAL_FRACTION, 12);
    expect(learningRateFactor('warmup-cosine', 90_000, planned, 0.1)).toBe(
      learningRateFactor('warmup-cosine', 90_000, planned),
    );
    expect(learningRateFactor('constant', 50, planned, 0.5)).toBe(1);
  });
});
