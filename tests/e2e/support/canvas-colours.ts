import type { Locator } from '@playwright/test';
import sharp from 'sharp';
import { CATEGORICAL_PALETTE } from '../../../src/renderer/src/lib/point-colours';

/** The points' opacity on a map of a thousand or so (scatter-geometry's `autoOpacity`). */
const OPACITY = 0.85;
/** The plot's background, about where points lie: what a translucent point is blended over. */
const BACKGROUND = [19, 22, 28];

/**
 * Counts how many of the ten class colours appear on screen in an element, from a screenshot (the
 * scatter draws with WebGL, whose pixels a 2-D context cannot read). A colour counts when at least
 * 20 pixels are close to it, drawn alone (blended over the background) or stacked (nearly opaque).
 */
export async function distinctPaletteColours(element: Locator): Promise<number> {
  const { data, info } = await sharp(await element.screenshot())
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const palette = CATEGORICAL_PALETTE.map((hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)));
  const targets = palette.map((rgb) => [
    rgb,
    rgb.map((c, k) => Math.round(OPACITY * c + (1 - OPACITY) * BACKGROUND[k]!)),
  ]);
  const hits = new Array<number>(palette.length).fill(0);
  for (let p = 0; p < data.length; p += info.channels) {
    targets.forEach((pair, k) => {
      const near = pair.some(
        ([r, g, b]) =>
          Math.abs(data[p]! - r!) + Math.abs(data[p + 1]! - g!) + Math.abs(data[p + 2]! - b!) < 30,
      );
      if (near) hits[k]! += 1;
    });
  }
  return hits.filter((h) => h >= 20).length;
}
