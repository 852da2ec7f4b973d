/** Pointer gestures on the latent map's WebGL scatter, as a person would make them. */
import { expect, type Locator, type Page } from '@playwright/test';

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

async function boxOf(locator: Locator): Promise<Box> {
  const box = await locator.boundingBox();
  expect(box, 'the scatter is on screen').not.toBeNull();
  return box!;
}

/**
 * Moves the pointer outwards from the plot's centre until it rests on a point (the tooltip shows),
 * and returns where. The scatter picks only once the points have settled, so a pass that finds
 * nothing is tried again until the deadline.
 */
export async function hoverAnyPoint(
  page: Page,
  scatter: Locator,
  tooltip: Locator,
): Promise<{ x: number; y: number }> {
  const box = await boxOf(scatter);
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    for (let ring = 0; ring < 14; ring++) {
      const r = ring * 14;
      const steps = Math.max(1, ring * 6);
      for (let s = 0; s < steps; s++) {
        const angle = (2 * Math.PI * s) / steps;
        // Whole pixels: a click there later lands exactly where the hover did.
        const x = Math.round(cx + r * Math.cos(angle));
        const y = Math.round(cy + r * Math.sin(angle));
        await page.mouse.move(x, y);
        if ((await tooltip.count()) > 0) return { x, y };
      }
    }
    await page.mouse.move(box.x + 2, box.y + 2);
  }
  throw new Error('no point under the pointer anywhere near the middle of the map');
}

/** Shift+drag round a square of `half` pixels about the plot's centre: the lasso. */
export async function lassoMiddle(page: Page, scatter: Locator, half = 90): Promise<void> {
  const box = await boxOf(scatter);
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  const corners: [number, number][] = [
    [cx - half, cy - half],
    [cx + half, cy - half],
    [cx + half, cy + half],
    [cx - half, cy + half],
    [cx - half, cy - half],
  ];
  await page.keyboard.down('Shift');
  await page.mouse.move(...corners[0]!);
  await page.mouse.down();
  for (const corner of corners.slice(1)) await page.mouse.move(...corner, { steps: 8 });
  await page.mouse.up();
  await page.keyboard.up('Shift');
}

/** An image element has decoded real pixels. */
export async function expectLoadedImage(image: Locator): Promise<void> {
  await expect
    .poll(() => image.evaluate((element) => (element as HTMLImageElement).naturalWidth), { timeout: 15_000 })
    .toBeGreaterThan(0);
}
