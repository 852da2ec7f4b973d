/**
 * What the map's explore and generate specs share: the short MNIST run they train, and their
 * screenshots of each step at the two window sizes a new user has, in /tmp/shots for a person to
 * look at.
 */
import { mkdir } from 'node:fs/promises';
import type { Page } from '@playwright/test';

/** Short enough for a spec, long enough that the map has its classes apart. */
export const MAP_RUN = { trainLimit: 2_000, testLimit: 500, displayCount: 500, epochs: 2 };

const SHOTS = '/tmp/shots';
/** The first is the size the specs work at between screenshots. */
const SIZES = [
  { width: 1440, height: 900 },
  { width: 1280, height: 800 },
] as const;

/**
 * At each size, runs `atSize` (to scroll, wait or check what that size must show), then saves
 * `<name>-<width>x<height>.png`; back at the first size after.
 */
export async function shootAtBothSizes(page: Page, name: string, atSize: () => Promise<void>): Promise<void> {
  await mkdir(SHOTS, { recursive: true });
  for (const size of SIZES) {
    await page.setViewportSize(size);
    await atSize();
    await page.screenshot({ path: `${SHOTS}/${name}-${size.width}x${size.height}.png` });
  }
  await page.setViewportSize(SIZES[0]);
}
