import type { Locator } from '@playwright/test';

/**
 * Counts how many of the ten class colours (d3.schemeTableau10) appear in a canvas, reading its
 * pixels in the page. A colour counts when at least 20 pixels are within a small distance of it.
 */
export function distinctPaletteColours(canvas: Locator): Promise<number> {
  return canvas.evaluate((element) => {
    const palette = [
      '#4e79a7',
      '#f28e2c',
      '#e15759',
      '#76b7b2',
      '#59a14f',
      '#edc949',
      '#af7aa1',
      '#ff9da7',
      '#9c755f',
      '#bab0ab',
    ];
    const rgb = palette.map((hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)));
    const c = element as HTMLCanvasElement;
    const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    const hits = new Array<number>(rgb.length).fill(0);
    for (let p = 0; p < data.length; p += 4) {
      if (data[p + 3]! < 200) continue;
      rgb.forEach(([r, g, b], k) => {
        const d = Math.abs(data[p]! - r!) + Math.abs(data[p + 1]! - g!) + Math.abs(data[p + 2]! - b!);
        if (d < 30) hits[k]! += 1;
      });
    }
    return hits.filter((h) => h >= 20).length;
  });
}
