/**
 * Decode at cursor on a past epoch's map, through the real engine: the spot is decoded with the
 * model of the epoch the map shows (its checkpoint), not the newest; once that checkpoint is gone
 * the engine refuses with a reason instead of drawing with another epoch's decoder.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppCore } from '../../src/main/core/app-core';
import { decodeLatents } from '../../src/main/engine/gallery/generate';
import { createModel } from '../../src/main/engine/model/create-model';
import { checkpointDirName, readCheckpoint, restoreModel } from '../../src/main/engine/train/checkpoint';
import type { DecodedImages } from '../../src/shared/gallery-types';
import type { LatentLayout } from '../../src/shared/projection-types';
import type { TrainSettings } from '../../src/shared/types';
import { nextEvent, startReadyCore } from '../support/engine-core';
import { TINY_SETTINGS } from '../support/tiny-run';
import { okValue } from '../support/result-value';

const SETTINGS: TrainSettings = { ...TINY_SETTINGS, trainLimit: 512, epochs: 2, seed: 11 };

let core: AppCore;
let runId: string;
let checkpointsDir: string;

/** What the model saved at `epoch` draws for `latents`, decoded here (cpu), not in the engine. */
async function decodeWithCheckpoint(epoch: number, latents: Float32Array): Promise<Uint8Array> {
  const checkpoint = await readCheckpoint(path.join(checkpointsDir, checkpointDirName(epoch)));
  const model = createModel(SETTINGS, 28, 1);
  try {
    restoreModel(model, checkpoint);
    return (await decodeLatents(model, latents, { size: 28, channels: 1 })).pixels;
  } finally {
    model.dispose();
  }
}

function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let most = 0;
  for (let i = 0; i < a.length; i++) most = Math.max(most, Math.abs(a[i]! - b[i]!));
  return most;
}

/** A spot between two points of the epoch's PCA map (empty space, as the cursor finds it). */
async function spotOf(epoch: number) {
  const layout = okValue<{ layout: LatentLayout | null }>(
    await core.dispatch('latent:get-epoch', { runId, epoch, method: 'umap' }),
  ).layout!;
  const p = layout.positions;
  return { epoch, method: 'umap' as const, x: (p[0]! + p[2]!) / 2, y: (p[1]! + p[3]!) / 2 };
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  const dataDirectory = await mkdtemp(path.join(os.tmpdir(), 'latent-studio-decode-at-'));
  core = await startReadyCore('wasm', [], dataDirectory);
  const started = nextEvent(core, 'train:did-change-state', (s) => s.runId !== null);
  const finished = nextEvent(core, 'train:did-change-state', (s) => s.state === 'completed', 120_000);
  const lastLayout = nextEvent(core, 'latent:did-update-layout', (l) => l.epoch === 2 && l.final, 120_000);
  okValue(await core.dispatch('train:start', SETTINGS));
  runId = (await started).runId!;
  await Promise.all([finished, lastLayout]);
  checkpointsDir = path.join(dataDirectory, 'runs', runId, 'checkpoints');
}, 180_000);
afterAll(() => core?.dispose());

describe('decode at cursor on a past epoch', () => {
  it('decodes a spot of epoch 1’s map with epoch 1’s model, and epoch 2’s with epoch 2’s', async () => {
    const spot1 = await spotOf(1);
    const at1 = okValue<DecodedImages>(await core.dispatch('gallery:decode-at', { runId, spot: spot1 }));
    expect(at1).toMatchObject({ count: 1, size: 28, channels: 1 });
    const byEpoch1 = await decodeWithCheckpoint(1, at1.latents);
    const byEpoch2 = await decodeWithCheckpoint(2, at1.latents);
    // The two decoders differ enough for the check to tell them apart...
    expect(maxDifference(byEpoch1, byEpoch2)).toBeGreaterThan(4);
    // ...and the engine drew with epoch 1's (wasm against cpu: rounding at most one level).
    expect(maxDifference(at1.pixels, byEpoch1)).toBeLessThanOrEqual(1);

    const spot2 = await spotOf(2);
    const at2 = okValue<DecodedImages>(await core.dispatch('gallery:decode-at', { runId, spot: spot2 }));
    expect(maxDifference(at2.pixels, await decodeWithCheckpoint(2, at2.latents))).toBeLessThanOrEqual(1);
    // Back to epoch 1 (the loaded model is swapped again, not stale).
    const again = okValue<DecodedImages>(await core.dispatch('gallery:decode-at', { runId, spot: spot1 }));
    expect(Array.from(again.pixels)).toEqual(Array.from(at1.pixels));
  });

  it('refuses, with the reason, a spot of an epoch whose checkpoint is gone', async () => {
    const spot1 = await spotOf(1);
    await rm(path.join(checkpointsDir, checkpointDirName(1)), { recursive: true });
    const refused = await core.dispatch('gallery:decode-at', { runId, spot: spot1 });
    expect(refused).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    const message = (refused as { message: string }).message;
    expect(message).toContain('Epoch 1');
    expect(message).toContain('no longer kept');
    expect(message).toContain('Epochs that can: 2.');
    // The newest epoch still decodes.
    const spot2 = await spotOf(2);
    expect(await core.dispatch('gallery:decode-at', { runId, spot: spot2 })).toMatchObject({ ok: true });
  });
});
