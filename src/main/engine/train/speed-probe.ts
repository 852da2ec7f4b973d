/**
 * How fast a model trains on the current backend, measured before a run so the form can say how
 * long it will take: the model its settings describe, a few Adam steps on random pixels of the
 * right shape (a first, untimed step pays for kernel compilation and the optimizer's slots), and
 * everything disposed again.
 */
import * as tf from '@tensorflow/tfjs-core';
import { SPEED_PROBE_MAX_BATCH, type SpeedProbe } from '../../../shared/training-estimate';
import { createModel } from '../model/create-model';
import { vaeLoss } from '../model/loss';
import { mulberry32 } from '../random';

export interface SpeedProbeOptions {
  /** Keep timing steps until this many seconds have passed (default 1)… */
  minSeconds?: number;
  /** …but no more than this many steps (default 5); at least one is always timed. */
  maxSteps?: number;
  /** Asked between steps: true gives up (a run started), and the probe answers null. */
  shouldStop?: () => boolean;
}

const PROBE_SEED = 1;

/** Training images per second for `probe`, or null when `shouldStop` said to give up. */
export async function measureSpeed(
  probe: SpeedProbe,
  options: SpeedProbeOptions = {},
): Promise<number | null> {
  const { minSeconds = 1, maxSteps = 5, shouldStop = () => false } = options;
  const channels = probe.channels === 'rgb' ? 3 : 1;
  const rows = Math.min(probe.batchSize, SPEED_PROBE_MAX_BATCH);
  const model = createModel({ ...probe, seed: PROBE_SEED }, probe.size, channels);
  const optimizer = tf.train.adam(1e-4);
  // 8-bit levels, as real images are: the discretized likelihood's edge cases cost what they cost.
  const random = mulberry32(PROBE_SEED);
  const pixels = Float32Array.from(
    { length: rows * model.inputSize },
    () => Math.floor(random() * 256) / 255,
  );
  let step = 0;
  /** One training step as a run takes it: the batch uploaded, fresh noise, loss, gradients, update. */
  const trainStep = async () => {
    const x = tf.tensor2d(pixels, [rows, model.inputSize]);
    const noise = tf.randomNormal<tf.Rank.R2>([rows, model.latentDim], 0, 1, 'float32', PROBE_SEED + step++);
    const cost = optimizer.minimize(
      () => vaeLoss(model, x, noise, { likelihood: probe.likelihood }).objective,
      true,
      model.variables,
    );
    tf.dispose([x, noise]);
    // Reading the loss waits for the step to finish on backends that run ahead.
    if (cost) {
      await cost.data();
      cost.dispose();
    }
  };
  try {
    await trainStep();
    let timed = 0;
    const start = performance.now();
    let seconds = 0;
    while (timed < maxSteps && (timed === 0 || seconds < minSeconds)) {
      if (shouldStop()) return null;
      await trainStep();
      timed++;
      seconds = (performance.now() - start) / 1000;
    }
    return (timed * rows) / Math.max(seconds, 1e-6);
  } finally {
    optimizer.dispose();
    model.dispose();
  }
}
