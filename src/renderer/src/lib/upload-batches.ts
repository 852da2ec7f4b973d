/**
 * How images the user brings are split into `latent:place-images` calls: at most
 * PLACE_IMAGE_LIMITS.images files a call, files over the engine's per-file limit refused here
 * (nothing to gain from sending them), and calls kept well under what one message may carry —
 * the browser host's WebSocket takes 16 MB a frame and closes the socket on a bigger one.
 */
import { PLACE_IMAGE_LIMITS } from '../../../shared/projection-types';

const MB = 1024 * 1024;

export interface BatchLimits {
  /** Files per call. */
  perCall: number;
  /** Bytes a call aims to stay under; a single larger file still goes, alone. */
  callBytes: number;
  /** Bytes one file may have to be sent at all (the engine's limit, or a message's). */
  fileBytes: number;
}

/** Electron's IPC carries a file of the engine's largest size; a batch still stays moderate. */
export const IPC_LIMITS: BatchLimits = {
  perCall: PLACE_IMAGE_LIMITS.images,
  callBytes: 12 * MB,
  fileBytes: PLACE_IMAGE_LIMITS.fileBytes,
};

/** The browser host: a frame of 16 MB, less room for the names and the frame's own envelope. */
export const WEBSOCKET_LIMITS: BatchLimits = {
  ...IPC_LIMITS,
  fileBytes: Math.min(PLACE_IMAGE_LIMITS.fileBytes, 15 * MB),
};

export interface Batches {
  /** Indices of the files each call sends, in the order given. */
  calls: number[][];
  /** Files not sent, with the reason shown beside their name. */
  refused: { index: number; reason: string }[];
}

/** Splits files of `sizes` bytes into calls, in order, without reordering them. */
export function batchFiles(sizes: readonly number[], limits: BatchLimits): Batches {
  const calls: number[][] = [];
  const refused: Batches['refused'] = [];
  let current: number[] = [];
  let bytes = 0;
  sizes.forEach((size, index) => {
    if (size > limits.fileBytes) {
      const mb = Math.round(limits.fileBytes / MB);
      refused.push({ index, reason: `Larger than ${mb} MB: too big to place (shrink or crop it first).` });
      return;
    }
    if (size === 0) {
      refused.push({ index, reason: 'The file is empty.' });
      return;
    }
    if (current.length > 0 && (current.length >= limits.perCall || bytes + size > limits.callBytes)) {
      calls.push(current);
      current = [];
      bytes = 0;
    }
    current.push(index);
    bytes += size;
  });
  if (current.length > 0) calls.push(current);
  return { calls, refused };
}
