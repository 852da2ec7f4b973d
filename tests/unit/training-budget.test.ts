/** Issue 15: training is budgeted in optimizer steps; the presets pick the epochs that reach them. */
import { describe, expect, it } from 'vitest';
import { stepsLine } from '../../src/cli/progress-line';
import {
  batchesPerEpoch,
  epochsForSteps,
  photoPatience,
  PRESET_EPOCHS,
  presetFor,
  TARGET_STEPS,
} from '../../src/shared/model-presets';
import { DEFAULT_TRAIN_SETTINGS } from '../../src/shared/train-defaults';
import {
  durationText,
  plannedSteps,
  runSeconds,
  speedKey,
  type SpeedProbe,
} from '../../src/shared/training-estimate';
import { runEstimateDetails, runEstimateText } from '../../src/renderer/src/lib/run-estimate';
import { VALID_ARGS } from '../support/valid-requests';

describe('early stopping in the presets', () => {
  it('stops photo runs after a tenth of their epochs without improvement, digits never', () => {
    expect(photoPatience(188)).toBe(19);
    expect(photoPatience(12)).toBe(5);
    const photos = presetFor(64, 3, { trainImages: 238 });
    expect(photos.earlyStopPatience).toBe(photoPatience(photos.epochs));
    expect(photos.earlyStopPatience).toBeGreaterThanOrEqual(5);
    expect(presetFor(28, 1, { trainImages: 50_000 }).earlyStopPatience).toBe(0);
    expect(presetFor(32, 3, { nearBinary: true, trainImages: 8_000 }).earlyStopPatience).toBe(0);
  });
});

describe('epochs for a number of steps', () => {
  it('counts a last, partial batch as a step', () => {
    expect(batchesPerEpoch(300, 64)).toBe(5);
    expect(batchesPerEpoch(256, 64)).toBe(4);
    expect(batchesPerEpoch(10, 64)).toBe(1);
    expect(batchesPerEpoch(0, 64)).toBe(1);
  });

  it('keeps the MNIST recipe: 10 epochs of batch 128, on 50,000 images or the engine’s 55,000', () => {
    expect(epochsForSteps(50_000, 128, TARGET_STEPS.mlp)).toBe(10);
    expect(epochsForSteps(55_000, 128, TARGET_STEPS.mlp)).toBe(10);
    expect(presetFor(28, 1, { trainImages: 50_000 })).toMatchObject({
      model: 'mlp',
      batchSize: 128,
      epochs: 10,
    });
    expect(presetFor(28, 1, { nearBinary: true, trainImages: 55_000 })).toMatchObject({ epochs: 10 });
    expect(plannedSteps(10, 50_000, 128)).toBe(3_910);
  });

  it('gives a small photo folder about the target steps', () => {
    const preset = presetFor(64, 3, { trainImages: 300 });
    expect(preset).toMatchObject({ model: 'conv', batchSize: 32, epochs: 150 });
    const steps = plannedSteps(preset.epochs, 300, preset.batchSize);
    expect(steps).toBeGreaterThanOrEqual(TARGET_STEPS.conv);
    expect(steps).toBeLessThan(TARGET_STEPS.conv + batchesPerEpoch(300, preset.batchSize));
  });

  it('gives a bigger folder fewer epochs, and the format’s batch from 2,000 images on', () => {
    const small = presetFor(64, 3, { trainImages: 1_500 });
    const medium = presetFor(64, 3, { trainImages: 8_000 });
    const large = presetFor(64, 3, { trainImages: 40_000 });
    expect(small.batchSize).toBe(32);
    expect(medium.batchSize).toBe(64);
    expect(small.epochs).toBeGreaterThan(medium.epochs);
    expect(medium.epochs).toBeGreaterThan(large.epochs);
    expect(medium.epochs).toBe(12); // 125 batches an epoch
    // 96 px and up already train in batches of 32.
    expect(presetFor(128, 3, { trainImages: 500 }).batchSize).toBe(32);
    // Sprites (about 8,300 training images, conv, batch 64): near the 10 epochs they had.
    expect(presetFor(64, 1, { nearBinary: true, trainImages: 8_294 })).toMatchObject({ epochs: 12 });
  });

  it('clamps to the preset range', () => {
    expect(epochsForSteps(5, 32, TARGET_STEPS.conv)).toBe(PRESET_EPOCHS.max);
    expect(epochsForSteps(1_000_000, 64, TARGET_STEPS.conv)).toBe(PRESET_EPOCHS.min);
    expect(presetFor(64, 3, { trainImages: 12 }).epochs).toBe(PRESET_EPOCHS.max);
    expect(presetFor(64, 3, { trainImages: 500_000 }).epochs).toBe(PRESET_EPOCHS.min);
  });

  it('keeps the classic 10 epochs and the format’s batch when the training split is unknown', () => {
    expect(presetFor(28, 1)).toMatchObject({ batchSize: 128, epochs: DEFAULT_TRAIN_SETTINGS.epochs });
    expect(presetFor(64, 3)).toMatchObject({ batchSize: 64, epochs: DEFAULT_TRAIN_SETTINGS.epochs });
  });
});

describe('the steps and minutes shown before training', () => {
  it('the command line prints the steps a run plans', () => {
    expect(stepsLine(300, 300, 64)).toBe('≈ 1,500 steps (300 epochs of 5 batches)');
    expect(stepsLine(10, 55_000, 128)).toBe('≈ 4,300 steps (10 epochs of 430 batches)');
    expect(stepsLine(1, 8, 32)).toBe('≈ 1 step (1 epoch of 1 batch)');
  });

  it('times the training images and, at a third of the cost, the evaluated ones', () => {
    const run = { epochs: 10, trainImages: 300, evaluatedImages: 90 };
    expect(runSeconds(run, 100)).toBeCloseTo((10 * (300 + 30)) / 100, 9);
    expect(runSeconds(run, 0)).toBeNaN();
  });

  it('says durations in words people use', () => {
    expect(durationText(20)).toBe('under a minute');
    expect(durationText(89)).toBe('≈ 1 minute');
    expect(durationText(4 * 60 + 10)).toBe('≈ 4 minutes');
    expect(durationText(150 * 60)).toBe('≈ 2.5 hours');
    expect(durationText(14.2 * 3600)).toBe('≈ 14 hours');
  });

  it('the form’s line: steps, then the minutes once measured, or that they are being measured', () => {
    const plan = { epochs: 150, trainImages: 300, evaluatedImages: 60, batchSize: 32, steps: 1_500 };
    expect(runEstimateText(plan, null)).toBe('≈ 1,500 steps');
    expect(runEstimateText(plan, 'measuring')).toBe('≈ 1,500 steps, measuring speed…');
    // 150 × (300 + 20) images at 200 images/s: 240 s.
    expect(runEstimateText(plan, { imagesPerSecond: 200, backendLabel: 'WebAssembly (SIMD)' })).toBe(
      '≈ 1,500 steps, ≈ 4 minutes on WebAssembly (SIMD)',
    );
    expect(runEstimateDetails(plan, { imagesPerSecond: 200, backendLabel: 'WebAssembly (SIMD)' })).toContain(
      '150 epochs of 10 batches (300 training images, batches of 32)',
    );
  });

  it('measures each model, batch and format on each backend once', () => {
    const probe: SpeedProbe = VALID_ARGS['train:estimate-speed'];
    expect(speedKey('wasm', probe)).toBe(speedKey('wasm', { ...probe }));
    expect(speedKey('wasm', probe)).not.toBe(speedKey('cpu', probe));
    expect(speedKey('wasm', probe)).not.toBe(speedKey('wasm', { ...probe, batchSize: 32 }));
    expect(speedKey('wasm', probe)).not.toBe(speedKey('wasm', { ...probe, size: 32 }));
  });
});
