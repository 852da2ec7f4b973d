/**
 * The map's generative tools, in the browser host: after a short MNIST run, bring two files (a
 * drawn digit and a file that is no image) — one lands on the map as a marked point with its
 * reconstruction and nearest points, the other is listed with why it was skipped; walk a pinned
 * point along the attribute vector from the 1s to the 7s, move the slider and export the strip as
 * a GIF; lay the decoded tiles under the points and follow a zoom; draw the density contours.
 */
import sharp from 'sharp';
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures/browser-host';
import { trainMnistRunAndLayOut } from './support/journeys';
import { MAP_RUN, shootAtBothSizes } from './support/map-shots';

/** A 28 × 28 white-on-black "1": a slanted bar, as MNIST's ones are drawn. */
async function drawnOne(): Promise<Buffer> {
  const size = 28;
  const pixels = Buffer.alloc(size * size);
  for (let y = 4; y < 24; y++) {
    const centre = 15 - (y - 14) * 0.15;
    for (let x = 0; x < size; x++) {
      const d = Math.abs(x - centre);
      pixels[y * size + x] = d < 1.5 ? 255 : d < 2.5 ? 128 : 0;
    }
  }
  return sharp(pixels, { raw: { width: size, height: size, channels: 1 } })
    .png()
    .toBuffer();
}

/** Screenshots at both sizes, with `section` of the side column scrolled to its top. */
async function shoot(page: Page, name: string, section: Locator): Promise<void> {
  await shootAtBothSizes(page, `generate-${name}`, async () => {
    // Only the column scrolls (scrollIntoView would move the whole page too).
    await section.evaluate((element) => {
      const column = element.closest<HTMLElement>('[data-testid="map-side-panel"]')!;
      column.scrollTop += element.getBoundingClientRect().top - column.getBoundingClientRect().top;
    });
    // The layers follow the plot's new size (and the tiles are decoded again for it).
    await page.waitForTimeout(900);
  });
}

/** How many of the canvas's pixels are not fully transparent. */
async function paintedPixels(canvas: Locator): Promise<number> {
  return canvas.evaluate((element) => {
    const c = element as HTMLCanvasElement;
    const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let painted = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) painted++;
    return painted;
  });
}

test('browser host: place new images, walk an attribute vector, decoded tiles and density contours', async ({
  page,
  browserHost,
}) => {
  test.setTimeout(240_000);
  const { map, scatter, pageErrors } = await trainMnistRunAndLayOut(page, browserHost.url, MAP_RUN);
  await expect(scatter).toHaveAttribute('data-gl', 'ready');

  // Bring two files: a drawn "1" is placed; a text file named like an image is skipped, with why.
  const newImages = page.getByTestId('new-images');
  await expect(page.getByTestId('add-images')).toBeEnabled();
  await page.getByTestId('add-images-input').setInputFiles([
    { name: 'drawn-one.png', mimeType: 'image/png', buffer: await drawnOne() },
    { name: 'shopping-list.png', mimeType: 'image/png', buffer: Buffer.from('eggs, milk, not an image\n') },
  ]);
  const placed = newImages.getByTestId('placed-image');
  await expect(placed).toHaveCount(1, { timeout: 30_000 });
  await expect(placed).toHaveAttribute('data-name', 'drawn-one.png');
  await expect(placed).toHaveAttribute('data-placed', 'true', { timeout: 30_000 });
  // UMAP has no map for a new code: it lands among its nearest points by code.
  await expect(placed).toHaveAttribute('data-rule', 'neighbours');
  const skipped = newImages.getByTestId('skipped-image');
  await expect(skipped).toHaveCount(1);
  await expect(skipped).toHaveAttribute('data-name', 'shopping-list.png');
  // Whatever the engine's words, a reason is given.
  await expect(skipped.getByTestId('skipped-reason')).toHaveText(/\w{3,}.*\w{3,}/);
  await expect(placed.getByTestId('placed-original')).toBeVisible();
  await expect(placed.getByTestId('placed-reconstruction')).toBeVisible();
  expect(await paintedPixels(placed.getByTestId('placed-reconstruction').locator('canvas'))).toBeGreaterThan(
    0,
  );
  await expect(placed.getByTestId('placed-elbo')).toHaveText(/^\d[\d,]*(\.\d)?$/);
  // The marked point on the map, inside the plot.
  const marker = map.getByTestId('placed-marker');
  await expect(marker).toHaveCount(1);
  await expect(marker).toHaveAttribute('data-name', 'drawn-one.png');
  const plot = (await scatter.boundingBox())!;
  const star = (await marker.boundingBox())!;
  expect(star.x + star.width / 2).toBeGreaterThan(plot.x);
  expect(star.x + star.width / 2).toBeLessThan(plot.x + plot.width);
  expect(star.y + star.height / 2).toBeGreaterThan(plot.y);
  expect(star.y + star.height / 2).toBeLessThan(plot.y + plot.height);

  // Its five nearest points by code; a click pins one.
  const neighbours = placed.getByTestId('placed-neighbour');
  await expect(neighbours).toHaveCount(5);
  const nearest = await neighbours.first().getAttribute('data-index');
  await neighbours.first().click();
  await expect(page.getByTestId('pinned-point')).toHaveAttribute('data-index', nearest!);
  // Dropping a file on the map card places it too (a synthetic drop: Playwright cannot drag from the desktop).
  const dropped = await page.evaluateHandle(
    (bytes) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([new Uint8Array(bytes)], 'dropped-one.png', { type: 'image/png' }));
      return transfer;
    },
    [...(await drawnOne())],
  );
  await map.dispatchEvent('dragenter', { dataTransfer: dropped });
  await expect(page.getByTestId('image-drop-hint')).toBeVisible();
  await map.dispatchEvent('drop', { dataTransfer: dropped });
  await expect(page.getByTestId('image-drop-hint')).toHaveCount(0);
  await expect(placed).toHaveCount(2, { timeout: 30_000 });
  await expect(marker).toHaveCount(2);
  await page.mouse.move(5, 5);
  await shoot(page, 'placed', newImages);

  // The attribute vector from the 1s to the 7s, applied to the pinned point.
  const attribute = page.getByTestId('attribute-vector');
  await page.getByTestId('attribute-vector-toggle').click();
  await page.getByTestId('attribute-a').selectOption({ label: '1' });
  await page.getByTestId('attribute-b').selectOption({ label: '7' });
  await expect(attribute.getByTestId('attribute-length')).toContainText(/\d+ → \d+ points/);
  const strip = attribute.getByTestId('attribute-strip');
  await expect(strip).toHaveAttribute('data-tile-count', '9', { timeout: 30_000 });
  await expect(strip).toHaveAttribute('data-highlight', '4');
  const firstStrip = await strip.getAttribute('data-checksum');
  // The slider moves the frame along the strip; between two steps its own image is decoded.
  const slider = attribute.getByTestId('attribute-slider');
  await slider.fill('1.5');
  await expect(attribute.getByTestId('attribute-t')).toHaveText('+1.50');
  await expect(strip).toHaveAttribute('data-highlight', '7');
  await slider.fill('-0.8');
  await expect(attribute.getByTestId('attribute-t')).toHaveText('−0.80');
  await expect(strip).toHaveAttribute('data-highlight', '2');
  await expect(attribute.getByTestId('attribute-at-t')).toBeVisible();
  expect(await strip.getAttribute('data-checksum')).toBe(firstStrip);
  // The strip as a GIF in the run's exports.
  await attribute.getByTestId('attribute-export-gif').click();
  const gifLink = attribute.getByTestId('attribute-export-file').filter({ hasText: /\.gif$/ });
  await expect(gifLink).toHaveCount(1, { timeout: 30_000 });
  const gif = await page.request.get(new URL((await gifLink.getAttribute('href'))!, browserHost.origin).href);
  expect(gif.ok()).toBe(true);
  expect((await gif.body()).subarray(0, 6).toString('latin1')).toBe('GIF89a');
  await page.mouse.move(5, 5);
  await shoot(page, 'attribute', attribute);

  // Decoded tiles under the points: one grid for the whole view, painted.
  await page.getByTestId('toggle-tiles').click();
  await expect(page.getByTestId('toggle-tiles')).toHaveAttribute('aria-pressed', 'true');
  const tiles = map.getByTestId('map-tiles');
  await expect(tiles).toHaveAttribute('data-tile-count', /^[1-9]\d+$/, { timeout: 30_000 });
  const count = Number(await tiles.getAttribute('data-tile-count'));
  expect(count).toBe(
    Number(await tiles.getAttribute('data-columns')) * Number(await tiles.getAttribute('data-rows')),
  );
  expect(count).toBeLessThanOrEqual(1024);
  expect(await paintedPixels(tiles)).toBeGreaterThan(1000);
  const wholeView = await tiles.getAttribute('data-rect');

  // A zoom (Ctrl+wheel): once it rests, the tiles of the closer view arrive, a narrower grid of the
  // layout that fills the plot again (in between, the old tiles moved and scaled with the points).
  const wholeSpan = Number(await tiles.getAttribute('data-grid'));
  await page.mouse.move(plot.x + plot.width / 2, plot.y + plot.height / 2);
  await page.keyboard.down('Control');
  await page.mouse.wheel(0, -200);
  await page.keyboard.up('Control');
  await expect.poll(async () => Number(await scatter.getAttribute('data-zoom-k'))).toBeGreaterThan(1);
  const k = Number(await scatter.getAttribute('data-zoom-k'));
  await expect
    .poll(async () => Math.abs(wholeSpan / Number(await tiles.getAttribute('data-grid')) / k - 1), {
      timeout: 30_000,
    })
    .toBeLessThan(0.01);
  await expect(tiles).toHaveAttribute('data-rect', wholeView!);
  expect(await paintedPixels(tiles)).toBeGreaterThan(1000);
  await page.getByTestId('map-reset-zoom').click();
  await expect(scatter).toHaveAttribute('data-zoom-k', '1');

  // Density contours: closed SVG paths over the plot.
  await page.getByTestId('toggle-density').click();
  const contours = map.getByTestId('density-contours');
  await expect(contours.locator('path').first()).toBeAttached();
  expect(await contours.locator('path').count()).toBeGreaterThanOrEqual(3);
  await expect(contours.locator('path').first()).toHaveAttribute('d', /^M.*Z/);
  await page.mouse.move(5, 5);
  await shoot(page, 'layers', newImages);

  // Clear takes the images off the map and the list.
  await newImages.getByTestId('clear-placed').click();
  await expect(placed).toHaveCount(0);
  await expect(marker).toHaveCount(0);
  expect(pageErrors).toEqual([]);
});
