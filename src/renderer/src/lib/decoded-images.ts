/**
 * Decoded images (uint8, interleaved, grayscale or RGB) as canvas pixels, and the few numbers the
 * image grids need: how big to draw a tile, and a checksum the tests use to see that pixels changed.
 */
import { tileImageData } from './tiles';

/** What a grid draws: `count` square images of `size` pixels, channels interleaved. */
export interface ImageBlock {
  count: number;
  size: number;
  channels: 1 | 3;
  pixels: Uint8Array;
}

/** Image `index` of a block as RGBA ImageData (grayscale becomes R = G = B). */
export function blockImageData(block: ImageBlock, index: number): ImageData {
  return tileImageData({ label: 0, count: block.count, pixels: block.pixels }, index, {
    size: block.size,
    channels: block.channels,
  });
}

/**
 * Draws every image of a block as a `side`-pixel square at `at(i)`, unsmoothed so model pixels stay
 * square. putImageData ignores the context's transform, so each image goes through one model-sized
 * scratch canvas and drawImage scales it.
 */
export function drawBlockTiles(
  ctx: CanvasRenderingContext2D,
  block: ImageBlock,
  side: number,
  at: (index: number) => { x: number; y: number },
): void {
  const scratch = document.createElement('canvas');
  scratch.width = block.size;
  scratch.height = block.size;
  const scratchCtx = scratch.getContext('2d');
  if (!scratchCtx) return;
  ctx.imageSmoothingEnabled = false;
  for (let i = 0; i < block.count; i++) {
    scratchCtx.putImageData(blockImageData(block, i), 0, 0);
    const { x, y } = at(i);
    ctx.drawImage(scratch, x, y, side, side);
  }
}

/**
 * The CSS size of one tile: small images grow by whole factors (every model pixel stays an even
 * square under nearest-neighbour scaling) up to `target` pixels; when not even 2× fits, the tile
 * is simply `target` (big images shrink, slightly smaller ones stretch a little).
 */
export function tileDisplaySize(size: number, target: number): number {
  if (size <= 0 || size * 2 > target) return target;
  return size * Math.floor(target / size);
}

/** FNV-1a over the bytes, as 8 hex digits: equal pixels, equal checksum. */
export function pixelChecksum(pixels: Uint8Array): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < pixels.length; i++) {
    hash ^= pixels[i]!;
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}

/** Rows `from`…`to` (exclusive) of a row-major count × width block, as a new array. */
export function blockRows(values: Float32Array, width: number, from: number, to: number): Float32Array {
  return values.slice(from * width, to * width);
}
