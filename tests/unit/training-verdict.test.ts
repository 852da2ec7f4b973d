/**
 * The end-of-run verdict on synthetic loss curves shaped like real ones: an exponential approach
 * to a floor (stopped early or late), a U-shaped validation curve while training keeps falling,
 * noise around a plateau, and runs too short or without validation.
 */
import { describe, expect, it } from 'vitest';
import { judgeTraining } from '../../src/shared/training-verdict';

interface Curve {
  train: (epoch: number) => number;
  validation: (epoch: number) => number;
}

function history(epochs: number, { train, validation }: Curve) {
  return Array.from({ length: epochs }, (_, i) => ({
    epoch: i + 1,
    trainLoss: train(i + 1),
    validationLoss: validation(i + 1),
  }));
}

/** 100 + 60·e^(−epoch/τ): fast at first, then flattening onto 100 nats. */
const decay =
  (tau: number, floor = 100) =>
  (epoch: number) =>
    floor + 60 * Math.exp(-epoch / tau);
/** A reproducible ±amplitude wobble, like the validation ELBO's sampling noise. */
const wobble = (amplitude: number) => (epoch: number) => amplitude * Math.sin(epoch * 12.9898);

describe('judgeTraining', () => {
  it('says still improving when the validation loss falls steadily at the end', () => {
    const verdict = judgeTraining(history(10, { train: decay(8, 98), validation: decay(8) }));
    expect(verdict?.kind).toBe('still-improving');
    expect(verdict?.bestEpoch).toBe(10);
    expect(verdict?.moreEpochs).toBe(5);
    expect(verdict?.message).toMatch(/^Still improving: .* about 5 more epochs/);
  });

  it('says converged on a plateau, even with noise around it', () => {
    const plateau = (epoch: number) => decay(2)(epoch) + wobble(0.05)(epoch);
    const verdict = judgeTraining(history(30, { train: decay(2, 99), validation: plateau }));
    expect(verdict?.kind).toBe('converged');
    expect(verdict?.moreEpochs).toBeNull();
  });

  it('says over-fitting when validation turns up while training keeps falling', () => {
    const train = (epoch: number) => 140 - 2 * epoch;
    const validation = (epoch: number) => 110 + 0.2 * (epoch - 8) ** 2;
    const verdict = judgeTraining(history(20, { train, validation }));
    expect(verdict?.kind).toBe('over-fitting');
    expect(verdict?.bestEpoch).toBe(8);
    expect(verdict?.message).toContain('epoch 8');
  });

  it('does not call a small rise over-fitting when training has stopped falling too', () => {
    const flat = () => 100;
    const validation = (epoch: number) => 100 + (epoch > 10 ? 0.3 : 0);
    expect(judgeTraining(history(15, { train: flat, validation }))?.kind).toBe('converged');
  });

  it('works on a Gaussian loss-only run whose −ELBO is negative', () => {
    const train = (epoch: number) => -2000 - 100 * epoch;
    const validation = (epoch: number) => -1500 + 10 * (epoch - 5) ** 2;
    expect(judgeTraining(history(15, { train, validation }))?.kind).toBe('over-fitting');
    const improving = (epoch: number) => -1000 - 50 * epoch;
    expect(judgeTraining(history(15, { train, validation: improving }))?.kind).toBe('still-improving');
  });

  it('needs three epochs with validation, and gives nothing for a run without a validation split', () => {
    expect(judgeTraining(history(2, { train: decay(3), validation: decay(3) }))?.kind).toBe('too-short');
    const old = history(10, { train: decay(3), validation: decay(3) }).map(({ epoch, trainLoss }) => ({
      epoch,
      trainLoss,
    }));
    expect(judgeTraining(old)).toBeNull();
    expect(judgeTraining([])).toBeNull();
  });
});
