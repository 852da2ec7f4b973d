/**
 * Exploring a trained run from the map's side column (issue 17 items 3, 4, 5 and 9), in the browser
 * host: the pinned point's nearest neighbours in the full latent space, colouring by the model's
 * per-image −ELBO and by one latent dimension, the least likely images with their CSV, and a
 * bookmark that brings the epoch, layout, zoom, colours, pin and selection back. Screenshots of
 * each step at 1440×900 and 1280×800 go to /tmp/shots for a person to look at.
 */
import { readFile } from 'node:fs/promises';
import AxeBuilder from '@axe-core/playwright';
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures/browser-host';
import { trainMnistRunAndLayOut } from './support/journeys';
import { hoverAnyPoint } from './support/map-gestures';
import { MAP_RUN, shootAtBothSizes } from './support/map-shots';

/** Screenshots at both window sizes, back at 1440×900 after; the side column never scrolls sideways. */
async function shoot(page: Page, name: string): Promise<void> {
  await page.mouse.move(1, 1);
  await shootAtBothSizes(page, `explore-${name}`, async () => {
    const side = page.getByTestId('map-side-panel');
    await expect
      .poll(() => side.evaluate((el) => el.scrollWidth - el.clientWidth), {
        message: 'side column overflows',
      })
      .toBeLessThanOrEqual(0);
    // The timeline stays on screen whatever the column holds.
    await expect(page.getByTestId('timeline')).toBeInViewport();
  });
}

async function numbers(locator: Locator, attribute: string): Promise<number[]> {
  return (await locator.evaluateAll((els, name) => els.map((el) => el.getAttribute(name)), attribute)).map(
    Number,
  );
}

function parseCsv(text: string): string[][] {
  // The file starts with a byte-order mark for spreadsheets; rows end CRLF; these cells hold no CRLF.
  return text
    .replace(/^\ufeff/, '')
    .split('\r\n')
    .filter(Boolean)
    .map((line) => line.split(',').map((cell) => cell.replace(/^"|"$/g, '')));
}

test('browser host: neighbours, colour by −ELBO and z1, least likely images, bookmarks', async ({
  page,
  browserHost,
}) => {
  test.setTimeout(300_000);
  const { map, scatter, pageErrors } = await trainMnistRunAndLayOut(page, browserHost.url, MAP_RUN);
  await expect(scatter).toHaveAttribute('data-point-count', String(MAP_RUN.displayCount));
  const runId = (await map.getAttribute('data-run-id'))!;

  // --- 3. Nearest neighbours of the pinned point, in the full latent space.
  const tooltip = page.getByTestId('map-tooltip');
  const spot = await hoverAnyPoint(page, scatter, tooltip);
  await page.mouse.click(spot.x, spot.y);
  const pinned = page.getByTestId('pinned-point');
  await expect(pinned).toBeVisible();
  const neighbours = page.getByTestId('neighbours').getByTestId('neighbour');
  await expect(neighbours).toHaveCount(12);
  const distances = await numbers(neighbours, 'data-distance');
  expect(distances.every((d, i) => i === 0 || d >= distances[i - 1]!)).toBe(true);
  expect(distances[0]).toBeGreaterThan(0);
  const pinnedFirst = await pinned.getAttribute('data-index');
  expect(await numbers(neighbours, 'data-index')).not.toContain(Number(pinnedFirst));
  await shoot(page, 'neighbours');

  // A row pins its point; its own neighbours follow.
  const third = neighbours.nth(2);
  const thirdIndex = await third.getAttribute('data-index');
  await third.click();
  await expect(pinned).toHaveAttribute('data-index', thirdIndex!);
  await expect(neighbours).toHaveCount(12);
  expect(await numbers(neighbours, 'data-index')).not.toContain(Number(thirdIndex));

  // Show on map selects the pinned point and its twelve neighbours; the rest dim.
  await page.getByTestId('neighbours-show').click();
  await expect(page.getByTestId('selection-count')).toHaveAttribute('data-count', '13');
  await expect(page.getByTestId('selection')).toHaveAttribute('data-source', 'neighbours');
  await expect(scatter).toHaveAttribute('data-selected-count', '13');
  await shoot(page, 'neighbours-shown');
  await page.getByTestId('clear-selection').click();

  // --- 4. Colour by −ELBO (scored by the engine on demand), then by z1.
  const colourBy = page.getByTestId('color-by');
  await colourBy.selectOption('score:neg-elbo');
  await expect(map).toHaveAttribute('data-color-by', 'score:neg-elbo');
  const legend = page.getByTestId('gradient-legend');
  await expect(legend).toBeVisible({ timeout: 60_000 });
  await expect(legend).toHaveAttribute('data-field', '−ELBO');
  await expect(legend.getByTestId('gradient-min')).toHaveText(/^[\d,.]+ nats$/);
  await expect(legend.getByTestId('gradient-max')).toHaveText(/^[\d,.]+ nats$/);
  const elboMin = Number(await legend.getAttribute('data-min'));
  const elboMax = Number(await legend.getAttribute('data-max'));
  expect(elboMin).toBeGreaterThan(0);
  expect(elboMax).toBeGreaterThan(elboMin);
  await expect(page.getByTestId('legend-item')).toHaveCount(0);
  // The pinned card gives the point's own −ELBO.
  await expect(pinned).toContainText(/−ELBO\s+[\d,.]+ nats/);
  await shoot(page, 'neg-elbo');

  await colourBy.selectOption('latent:z1');
  await expect(legend).toHaveAttribute('data-field', 'z1');
  const zMin = Number(await legend.getAttribute('data-min'));
  const zMax = Number(await legend.getAttribute('data-max'));
  expect(zMax).toBeGreaterThan(zMin);
  await expect(legend.getByTestId('gradient-min')).toHaveText(/^[−\-\d,.]+$/);
  await shoot(page, 'z1');

  // --- 5. The least likely images, most unlikely first.
  await page.getByTestId('outliers-toggle').click();
  const outliers = page.getByTestId('outlier');
  await expect(outliers).toHaveCount(24, { timeout: 60_000 });
  const shown = await outliers.getByTestId('outlier-neg-elbo').allTextContents();
  const values = shown.map((text) => Number(text.replace(/[^\d.]/g, '')));
  expect(values.every((v, i) => i === 0 || v <= values[i - 1]!)).toBe(true);
  // The most unlikely is the top of the −ELBO colour ramp (one decimal shown).
  expect(Math.abs(values[0]! - elboMax)).toBeLessThan(0.06);
  await page.getByTestId('outliers').scrollIntoViewIfNeeded();
  await shoot(page, 'outliers');

  await page.getByTestId('outliers-count').selectOption('12');
  await expect(outliers).toHaveCount(12);
  const outlierIndices = await numbers(outliers, 'data-index');
  const outlierScores = await numbers(outliers, 'data-neg-elbo');

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('outliers-export').click(),
  ]);
  expect(download.suggestedFilename()).toBe(`outliers-${runId}.csv`);
  const rows = parseCsv(await readFile((await download.path())!, 'utf8'));
  expect(rows[0]).toEqual([
    'rank',
    'index',
    'file',
    'label',
    'split',
    'neg_elbo_nats',
    'reconstruction_nats',
    'kl_nats',
  ]);
  const body = rows.slice(1);
  expect(body).toHaveLength(12);
  expect(body.map((row) => Number(row[0]))).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
  expect(body.map((row) => Number(row[1]))).toEqual(outlierIndices);
  body.forEach((row, i) => {
    expect(Number(row[5])).toBeCloseTo(outlierScores[i]!, 3);
    // −ELBO is its two terms' sum.
    expect(Number(row[6]) + Number(row[7])).toBeCloseTo(Number(row[5]), 1);
    expect(row[4]).toMatch(/^(held-out|training)$/);
    expect(row[2]).toMatch(/mnist/i);
  });

  // Highlight selects them; a cell pins its image.
  await page.getByTestId('outliers-highlight').click();
  await expect(page.getByTestId('selection-count')).toHaveAttribute('data-count', '12');
  await expect(page.getByTestId('selection')).toHaveAttribute('data-source', 'outliers');
  await outliers.nth(1).click();
  await expect(pinned).toHaveAttribute('data-index', String(outlierIndices[1]));

  // --- 9. A bookmark: epoch 1, UMAP, zoomed in, by label with two classes hidden, pinned, selected.
  await page.getByTestId('outliers-toggle').click();
  await colourBy.selectOption('label');
  await page.getByTestId('timeline').fill('0');
  await expect(page.getByTestId('timeline-label')).toHaveText('Epoch 1 of 2');
  await expect(map).toHaveAttribute('data-epoch', '1', { timeout: 60_000 });
  await page.locator('[data-testid="legend-item"][data-category="1"]').click();
  await page.locator('[data-testid="legend-item"][data-category="2"]').click();
  const selectedCount = await page.getByTestId('selection-count').getAttribute('data-count');
  const canvas = scatter.locator('canvas').first();
  await canvas.focus();
  await page.keyboard.press('+');
  await page.keyboard.press('+');
  await page.keyboard.press('ArrowLeft');
  await expect(scatter).toHaveAttribute('data-zoom-k', '1.563');
  const zoomX = await scatter.getAttribute('data-zoom-x');
  const zoomY = await scatter.getAttribute('data-zoom-y');
  const pinnedIndex = await pinned.getAttribute('data-index');
  const bookmarkedLayout = await map.getAttribute('data-layout-hash');

  await page.getByTestId('bookmarks-toggle').click();
  await page.getByTestId('bookmark-name').fill('odd ones');
  await page.getByTestId('bookmark-save').click();
  const bookmark = page.getByTestId('bookmark');
  await expect(bookmark).toHaveCount(1);
  await expect(bookmark).toHaveAttribute('data-name', 'odd ones');
  await shoot(page, 'bookmarks');

  // Change everything: live epoch, PCA, colour by z1, no pin, no selection, whole map.
  await page.getByTestId('clear-selection').click();
  await page.getByTestId('pinned-point').getByRole('button', { name: 'Unpin' }).click();
  await page.getByTestId('timeline').fill('1');
  await expect(map).toHaveAttribute('data-epoch', '2', { timeout: 60_000 });
  await page.getByTestId('projection-method').selectOption('pca');
  await page.getByTestId('projection-compute').click();
  await expect(map).toHaveAttribute('data-method', 'pca', { timeout: 60_000 });
  await colourBy.selectOption('latent:z1');
  await canvas.focus();
  await page.keyboard.press('0');
  await expect(scatter).toHaveAttribute('data-zoom-k', '1');

  // Restore brings every part back.
  await bookmark.getByTestId('bookmark-restore').click();
  await expect(map).toHaveAttribute('data-epoch', '1', { timeout: 60_000 });
  await expect(map).toHaveAttribute('data-method', 'umap', { timeout: 60_000 });
  await expect(page.getByTestId('timeline-label')).toHaveText('Epoch 1 of 2');
  // The stored layout itself, not one laid out afresh: the zoom frames the same points.
  await expect(map).toHaveAttribute('data-layout-hash', bookmarkedLayout!);
  await expect(page.getByTestId('projection-method')).toHaveValue('umap');
  await expect(map).toHaveAttribute('data-color-by', 'label');
  await expect(page.locator('[data-testid="legend-item"][aria-pressed="false"]')).toHaveCount(2);
  await expect(page.locator('[data-testid="legend-item"][data-category="1"]')).toHaveAttribute(
    'aria-pressed',
    'false',
  );
  await expect(pinned).toHaveAttribute('data-index', pinnedIndex!);
  await expect(page.getByTestId('selection-count')).toHaveAttribute('data-count', selectedCount!);
  await expect(scatter).toHaveAttribute('data-zoom-k', '1.563');
  await expect(scatter).toHaveAttribute('data-zoom-x', zoomX!);
  await expect(scatter).toHaveAttribute('data-zoom-y', zoomY!);
  await expect(page.getByTestId('bookmark-note')).toHaveCount(0);
  await shoot(page, 'restored');

  // Every section open: axe finds no critical or serious WCAG 2 A/AA breach in the column.
  await page.getByTestId('outliers-toggle').click();
  await expect(outliers).toHaveCount(12);
  const axe = await new AxeBuilder({ page })
    .include('[data-testid="map-side-panel"]')
    .withTags(['wcag2a', 'wcag2aa'])
    .analyze();
  const blocking = axe.violations.filter((v) => v.impact === 'critical' || v.impact === 'serious');
  expect(blocking.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);

  // Bookmarks are the run's: deleting one removes it for good.
  await bookmark.getByTestId('bookmark-delete').click();
  await expect(bookmark).toHaveCount(0);
  expect(pageErrors).toEqual([]);
});
