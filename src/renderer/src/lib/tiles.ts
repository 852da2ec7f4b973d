/** Turning prepared dataset images (uint8, interleaved, grayscale or RGB) into canvas pixels. */
import type { SampleTiles } from '../../../shared/dataset-types';

export interface TileGeometry {
  size: number;
  channels: 1 | 3;
}

/**
 * Works out a tile's side and channels from the bytes, trying the expected channel count first.
 * Unambiguous: 3·s² is never a perfect square, so a buffer fits at most one reading.
 */
export function tileGeometry(tiles: SampleTiles, expected: 1 | 3): TileGeometry | null {
  if (tiles.count <= 0 || tiles.pixels.length % tiles.count !== 0) return null;
  const perTile = tiles.pixels.length / tiles.count;
  for (const channels of expected === 1 ? ([1, 3] as const) : ([3, 1] as const)) {
    if (perTile % channels !== 0) continue;
    const size = Math.round(Math.sqrt(perTile / channels));
    if (size > 0 && size * size * channels === perTile) return { size, channels };
  }
  return null;
}

/** Tile `index` as RGBA ImageData (grayscale becomes R = G = B). */
export function tileImageData(tiles: SampleTiles, index: number, geometry: TileGeometry): ImageData {
  const { size, channels } = geometry;
  const image = new ImageData(size, size);
  const out = image.data;
  const src = tiles.pixels;
  const start = index * size * size * channels;
  for (let p = 0, q = start; p < size * size; p++, q += channels) {
    const o = p * 4;
    if (channels === 1) {
      const v = src[q]!;
      out[o] = v;
      out[o + 1] = v;
      out[o + 2] = v;
    } else {
      out[o] = src[q]!;
      out[o + 1] = src[q + 1]!;
      out[o + 2] = src[q + 2]!;
    }
    out[o + 3] = 255;
  }
  return image;
}
