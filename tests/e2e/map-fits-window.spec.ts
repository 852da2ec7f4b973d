/**
 * The latent map fits the window a new user has (1440×900 and 1280×800), in the browser host:
 * while a short MNIST run trains and after it, the plot, its legend and its timeline are on screen
 * without scrolling; the plain wheel over the unfocused map leaves the zoom alone (the page gets
 * it, and a hint says how to zoom) while Ctrl+wheel zooms, as does the plain wheel once the map is
 * focused; a pinned point docks beside the plot instead of covering it. Screenshots land in
 * test-results/screens/map-fit-<width>x<height>-*.png for a person to look at.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { expect, test } from './fixtures/browser-host';
import type { Locator, Page } from '@playwright/test';
import { collectPageErrors, fillSettings, openApp, showView } from './support/journeys';
import { hoverAnyPoint } from './support/map-gestures';

const RUN = { trainLimit: 2_000, testLimit: 500, displayCount: 500, epochs: 2 };
/** Short epochs (about a second here), enough of them to pause the run mid-way after the first. */
const PAUSABLE_RUN = { ...RUN, epochs: 6 };
const SHOTS = path.join('test-results', 'screens');

async function box(locator: Locator): Promise<{ x: number; y: number; width: number; height: number }> {
  const found = await locator.boundingBox();
  expect(found, 'on the page').not.toBeNull();
  return found!;
}

/** The plot, every legend item and the timeline lie inside the window: no scrolling needed. */
async function expectMapOnScreen(page: Page, what: string): Promise<void> {
  const { width, height } = page.viewportSize()!;
  const map = page.getByTestId('latent-map');
  const parts: [string, Locator][] = [
    ['plot', map.getByTestId('scatter')],
    ['timeline', page.getByTestId('timeline')],
    ...(await page.getByTestId('legend-item').all()).map((item, i): [string, Locator] => [
      `legend item ${i}`,
      item,
    ]),
  ];
  expect(parts.length, 'the legend is drawn').toBeGreaterThan(2);
  for (const [name, locator] of parts) {
    const b = await box(locator);
    expect(b.y, `${what}: the ${name}'s top is on screen`).toBeGreaterThanOrEqual(0);
    expect(b.y + b.height, `${what}: the ${name}'s bottom is on screen`).toBeLessThanOrEqual(height);
    expect(b.x + b.width, `${what}: the ${name} is not off to the right`).toBeLessThanOrEqual(width);
  }
  const plot = await box(map.getByTestId('scatter'));
  // A map is no use as a sliver: it keeps a usable size at these windows.
  expect(plot.height, `${what}: the plot's height`).toBeGreaterThanOrEqual(220);
  expect(plot.width, `${what}: the plot's width`).toBeGreaterThanOrEqual(360);
}

const zoomOf = (scatter: Locator) => scatter.getAttribute('data-zoom-k');

for (const size of [
  { width: 1440, height: 900 },
  { width: 1280, height: 800 },
]) {
  const tag = `${size.width}x${size.height}`;

  test(`browser host at ${tag}: the map, its legend and timeline fit; the wheel and the pinned card behave`, async ({
    page,
    browserHost,
  }) => {
    test.setTimeout(200_000);
    await mkdir(SHOTS, { recursive: true });
    const pageErrors = collectPageErrors(page);
    await page.setViewportSize(size);
    await openApp(page, browserHost.url);
    await expect(page.getByTestId('dataset-status')).toContainText(/MNIST/);
    // The format fields of the built-in dataset, at the top of the sidebar, before it scrolls.
    await page.screenshot({ path: path.join(SHOTS, `map-fit-${tag}-launch.png`) });
    // The built-in's "Grayscale" is not clipped in its half-width select. Chromium keeps about 21 px
    // of a select for the arrow on top of the padding; a classic scrollbar in the sidebar (a real
    // window's, not this headless one's) takes about 8 px more from each column.
    const channels = page.getByTestId('pre-channels');
    await expect(channels).toHaveValue('grayscale');
    const fit = await channels.evaluate((select: HTMLSelectElement) => {
      const style = getComputedStyle(select);
      const context = document.createElement('canvas').getContext('2d')!;
      context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
      const text = context.measureText(select.selectedOptions[0]?.text ?? '').width;
      const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 22;
      return { text, room };
    });
    expect(fit.room - fit.text, '"Grayscale" has room to spare in its select').toBeGreaterThanOrEqual(8);
    await fillSettings(page, PAUSABLE_RUN);
    await page.getByTestId('train-button').click();

    // While it trains: the first epoch's map arrives with the progress card (and its learning-rate
    // control) above it. Pausing holds the run there long enough to look.
    const map = page.getByTestId('latent-map');
    const scatter = map.getByTestId('scatter');
    // (Waiting on the trainer's epoch, not the map's: a live layout may skip an epoch.)
    await expect(page.getByTestId('progress')).toHaveAttribute('data-epoch', /^[2-5]$/, { timeout: 120_000 });
    await page.getByTestId('pause-button').click();
    await expect(page.getByTestId('train-state')).toHaveText('paused');
    await expect(map).toHaveAttribute('data-epoch', /^[1-5]$/, { timeout: 60_000 });
    await expect(page.getByTestId('legend-item')).toHaveCount(10);
    await expectMapOnScreen(page, 'while training');
    await page.mouse.move(1, 1);
    await page.screenshot({ path: path.join(SHOTS, `map-fit-${tag}-training.png`) });
    await page.getByTestId('resume-button').click();

    await expect(map).toHaveAttribute('data-epoch', String(PAUSABLE_RUN.epochs), { timeout: 120_000 });
    await expect(page.getByTestId('train-state')).toHaveText('completed');
    await expect(map).toHaveAttribute('data-layout-final', 'true');
    await expectMapOnScreen(page, 'after training');

    // The plain wheel over a map without focus scrolls past it: no zoom, a hint instead.
    await map.getByRole('heading', { name: /Latent space/ }).click();
    await expect(scatter.locator('canvas').first()).not.toBeFocused();
    const plot = await box(scatter);
    await page.mouse.move(plot.x + plot.width / 2, plot.y + plot.height / 2);
    await page.mouse.wheel(0, -400);
    await expect(page.getByTestId('map-wheel-hint')).toBeVisible();
    await expect(page.getByTestId('map-wheel-hint')).toContainText(/\+ scroll to zoom/);
    // Nothing happens is the point: give a zoom the time it would take to show.
    await page.waitForTimeout(400);
    expect(await zoomOf(scatter)).toBe('1');
    await page.screenshot({ path: path.join(SHOTS, `map-fit-${tag}-wheel-hint.png`) });

    // Ctrl+wheel zooms (a trackpad pinch arrives the same way).
    await page.keyboard.down('Control');
    await page.mouse.wheel(0, -100);
    await page.keyboard.up('Control');
    await expect.poll(async () => Number(await zoomOf(scatter))).toBeGreaterThan(1);
    await page.getByTestId('map-reset-zoom').click();
    await expect(scatter).toHaveAttribute('data-zoom-k', '1');

    // Pinning a point focuses the map and fills the column beside the plot, without covering it.
    await expect(page.getByTestId('pin-hint')).toBeVisible();
    const before = await box(scatter);
    const spot = await hoverAnyPoint(page, scatter, page.getByTestId('map-tooltip'));
    await page.mouse.click(spot.x, spot.y);
    const pinned = page.getByTestId('pinned-point');
    await expect(pinned).toBeVisible();
    await expect(scatter.locator('canvas').first()).toBeFocused();
    const card = await box(pinned);
    const after = await box(scatter);
    const overlaps =
      card.x < after.x + after.width &&
      after.x < card.x + card.width &&
      card.y < after.y + after.height &&
      after.y < card.y + card.height;
    expect(overlaps, 'the pinned card covers none of the plot').toBe(false);
    expect(after, 'the plot keeps its size when a point is pinned').toEqual(before);
    await expectMapOnScreen(page, 'with a point pinned');

    // Focused, the map takes the plain wheel.
    await page.mouse.wheel(0, -300);
    await expect.poll(async () => Number(await zoomOf(scatter))).toBeGreaterThan(1);
    await expect(page.getByTestId('map-wheel-hint')).toHaveCount(0);
    await page.mouse.move(1, 1);
    await page.screenshot({ path: path.join(SHOTS, `map-fit-${tag}.png`) });

    // Zoomed in, thumbnails near the plot's edges are drawn whole; look at them.
    await page.mouse.move(spot.x, spot.y);
    for (let i = 0; i < 3; i++) await page.mouse.wheel(0, -400);
    await expect(scatter).toHaveAttribute('data-thumbnail-count', /^[1-9]\d*$/, { timeout: 20_000 });
    await page.mouse.move(1, 1);
    await page.screenshot({ path: path.join(SHOTS, `map-fit-${tag}-thumbnails.png`) });

    // Exploring the run from the Runs tab: its id joins the titles, and everything still fits.
    const runId = (await map.getAttribute('data-run-id'))!;
    await showView(page, 'runs');
    await page.getByTestId('run-row').filter({ hasText: runId }).getByTestId('run-open-button').click();
    await showView(page, 'map');
    await expect(page.getByTestId('show-live-run-button')).toBeVisible();
    await expect(map).toHaveAttribute('data-layout-final', 'true', { timeout: 60_000 });
    await expectMapOnScreen(page, 'exploring the run');
    await page.mouse.move(1, 1);
    await page.screenshot({ path: path.join(SHOTS, `map-fit-${tag}-explored.png`) });

    // The loss card's KL chart, scrolled into its own view.
    const kl = page.getByTestId('kl-per-dimension');
    await kl.scrollIntoViewIfNeeded();
    await kl.screenshot({ path: path.join(SHOTS, `map-fit-${tag}-kl.png`) });
    await showView(page, 'map');
    expect(pageErrors).toEqual([]);
  });
}

test('browser host: another run opens fitted to its points, not at the last run’s zoom', async ({
  page,
  browserHost,
}) => {
  test.setTimeout(200_000);
  await openApp(page, browserHost.url);
  await fillSettings(page, { ...RUN, epochs: 1 });
  const map = page.getByTestId('latent-map');
  const scatter = map.getByTestId('scatter');
  const train = async (previous: string | null = null) => {
    await page.getByTestId('train-button').click();
    // The last run's "completed" and map stay up until the new run is announced.
    if (previous) await expect(map).not.toHaveAttribute('data-run-id', previous, { timeout: 60_000 });
    await expect(page.getByTestId('train-state')).toHaveText('completed', { timeout: 120_000 });
    await expect(map).toHaveAttribute('data-epoch', '1', { timeout: 60_000 });
    await expect(map).toHaveAttribute('data-layout-final', 'true');
    await expect(scatter).toHaveAttribute('data-point-count', String(RUN.displayCount));
    return (await map.getAttribute('data-run-id'))!;
  };
  const zoomIn = async () => {
    const plot = await box(scatter);
    await page.mouse.move(plot.x + plot.width * 0.8, plot.y + plot.height * 0.2);
    await page.keyboard.down('Control');
    await page.mouse.wheel(0, -300);
    await page.keyboard.up('Control');
    await expect.poll(async () => Number(await zoomOf(scatter))).toBeGreaterThan(1);
  };

  const first = await train();
  await zoomIn();
  // The next run's map replaces this one: it starts at the whole map.
  const second = await train(first);
  expect(second).not.toBe(first);
  await expect(scatter).toHaveAttribute('data-zoom-k', '1');
  await expect(page.getByTestId('map-reset-zoom')).toHaveCount(0);

  // Opening the first run from the Runs tab: the same.
  await zoomIn();
  await showView(page, 'runs');
  await page.getByTestId('run-row').filter({ hasText: first }).getByTestId('run-open-button').click();
  await showView(page, 'map');
  await expect(map).toHaveAttribute('data-run-id', first);
  await expect(map).toHaveAttribute('data-layout-final', 'true', { timeout: 60_000 });
  await expect(scatter).toHaveAttribute('data-zoom-k', '1');
  await page.mouse.move(1, 1);
  await page.screenshot({ path: path.join(SHOTS, 'map-fit-reopened-run.png') });
});
