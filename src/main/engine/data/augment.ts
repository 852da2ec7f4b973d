/**
 * Which training images are mirrored left–right (`augmentFlip`). Each choice is a hash of (seed,
 * epoch, batch, position in the batch), not a draw from a running generator, so it depends on
 * nothing that came before: a run resumed from a checkpoint mirrors exactly the images an
 * uninterrupted one would. The epoch's shuffle fixes which image sits at each position, so this
 * is a fresh coin per image and epoch. Only training batches ask; validation, test, evaluation and
 * display images are never mirrored.
 */
import { mixSeed } from './stable-hash';

/**
 * A tag hashed in first, so the flips never reuse the hash input of another per-batch draw (the
 * noise seed hashes (seed, epoch, batch)). "flip" in ASCII.
 */
const FLIP_STREAM = 0x666c6970;

/** True when the image at `position` of `batch` (0-based) in `epoch` is mirrored: probability ½. */
export function flipsImage(seed: number, epoch: number, batch: number, position: number): boolean {
  // The top bit of a finalised hash: fmix32 spreads every input bit over it.
  return mixSeed(FLIP_STREAM, seed, epoch, batch, position) >= 2 ** 31;
}

/** One choice per image of a batch of `count`: 1 to mirror it, 0 to keep it. */
export function flipChoices(seed: number, epoch: number, batch: number, count: number): Uint8Array {
  return Uint8Array.from({ length: count }, (_, position) =>
    flipsImage(seed, epoch, batch, position) ? 1 : 0,
  );
}
