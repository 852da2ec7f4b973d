/**
 * Accessibility basics in the browser host: axe-core (WCAG 2 A and AA rules) on every workspace
 * view — first launch on the Dataset tab, the Latent map after a short run, the Gallery and the
 * Runs tab — with no critical or serious violations allowed (the rest are printed); and the
 * keyboard: the main controls take focus in reading order with a visible focus ring, the view tabs
 * move with the arrow keys, and Train starts a run from the keyboard.
 */
import { mkdir } from 'node:fs/promises';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures/browser-host';
import { trainMnistRunAndLayOut } from './support/journeys';

const RUN = { trainLimit: 1_000, testLimit: 300, displayCount: 300, epochs: 1 };
const BLOCKING = new Set(['critical', 'serious']);
const WCAG = ['wcag2a', 'wcag2aa'];

/**
 * Runs axe on the page (WCAG 2 A and AA, plus the best-practice rules as advice); prints every
 * violation and returns the blocking ones: critical or serious breaches of a WCAG rule.
 */
async function axeViolations(page: Page, view: string): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags([...WCAG, 'best-practice']).analyze();
  const lines = results.violations.map((v) => {
    const kind = v.tags.some((tag) => WCAG.includes(tag)) ? 'wcag' : 'advice';
    const where = v.nodes
      .slice(0, 3)
      .map((n) => n.target.join(' '))
      .join(', ');
    return {
      blocking: kind === 'wcag' && BLOCKING.has(v.impact ?? ''),
      text: `${kind} ${v.impact ?? 'unknown'} ${v.id} (${v.nodes.length}): ${v.help} — ${where}`,
    };
  });
  console.log(
    `axe, ${view}: ${results.violations.length} violation(s)${lines.map((l) => `\n  ${l.text}`).join('')}`,
  );
  return lines.filter((l) => l.blocking).map((l) => l.text);
}

interface Focused {
  id: string;
  outline: string;
  shadow: string;
}

/** What has the focus: its test id (or tag), and the focus ring it draws. */
async function focused(page: Page): Promise<Focused> {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return { id: 'body', outline: 'none', shadow: 'none' };
    const style = getComputedStyle(el);
    return {
      id: el.getAttribute('data-testid') ?? el.tagName.toLowerCase(),
      outline: `${style.outlineStyle} ${style.outlineWidth}`,
      shadow: style.boxShadow,
    };
  });
}

/** Presses Tab until `testId` has the focus; returns every stop on the way, in order. */
async function tabTo(page: Page, testId: string, limit = 80): Promise<Focused[]> {
  const stops: Focused[] = [];
  for (let i = 0; i < limit; i += 1) {
    await page.keyboard.press('Tab');
    const now = await focused(page);
    stops.push(now);
    if (now.id === testId) return stops;
  }
  throw new Error(`Tab never reached ${testId}; stops: ${stops.map((s) => s.id).join(', ')}`);
}

/** Expects `ids` among the tab stops, in this order, each with a visible focus ring. */
function expectInOrder(stops: Focused[], ids: string[]): void {
  const order = stops.map((s) => s.id);
  const positions = ids.map((id) => order.indexOf(id));
  expect(positions, `tab order: ${order.join(', ')}`).not.toContain(-1);
  expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  for (const id of ids) {
    const stop = stops.find((s) => s.id === id)!;
    const ring = !stop.outline.startsWith('none') && !stop.outline.endsWith(' 0px');
    expect(ring || stop.shadow !== 'none', `focus ring on ${id}: ${stop.outline} / ${stop.shadow}`).toBe(
      true,
    );
  }
}

test('browser host: axe finds no critical or serious violations on any view', async ({
  page,
  browserHost,
}) => {
  test.setTimeout(200_000);
  await page.goto(browserHost.url);
  await expect(page.getByTestId('engine-state')).toContainText(/ready/i, { timeout: 60_000 });
  await expect(page.getByTestId('dataset-status')).toContainText(/MNIST/);
  await page.getByTestId('view-tab-dataset').click();
  await expect(page.getByTestId('view-tab-dataset')).toHaveAttribute('aria-selected', 'true');
  const blocking: string[] = [];
  blocking.push(...(await axeViolations(page, 'first launch (Dataset)')));

  const { map } = await trainMnistRunAndLayOut(page, browserHost.url, RUN);
  await expect(page.getByTestId('view-tab-map')).toHaveAttribute('aria-selected', 'true');
  // The WebGL scatter's name says what it shows, then how to work it.
  await expect(map.getByTestId('scatter').locator('canvas').first()).toHaveAccessibleName(
    /^Epoch 1 · UMAP of 300 latent means \(20-dim\)\. Hover a point/,
  );
  blocking.push(...(await axeViolations(page, 'Latent map')));

  await page.getByTestId('view-tab-gallery').click();
  await expect(page.getByTestId('gallery-samples')).toBeVisible();
  await expect(page.getByTestId('gallery-samples').getByTestId('sample-grid')).toBeVisible();
  blocking.push(...(await axeViolations(page, 'Gallery')));

  await page.getByTestId('view-tab-runs').click();
  await expect(page.getByTestId('run-row')).toHaveCount(1);
  blocking.push(...(await axeViolations(page, 'Runs')));

  expect(blocking).toEqual([]);
});

test('browser host: the keyboard reaches every main control, shows focus and trains', async ({
  page,
  browserHost,
}) => {
  test.setTimeout(200_000);
  // The short run's settings come in the address, so the focus starts at the top of the page.
  // Two epochs, so the timeline has somewhere to go.
  await page.goto(browserHost.address({ ...RUN, epochs: 2 }));
  await expect(page.getByTestId('engine-state')).toContainText(/ready/i, { timeout: 60_000 });
  await expect(page.getByTestId('dataset-status')).toContainText(/MNIST/);
  await expect(page.getByTestId('setting-epochs')).toHaveValue('2');

  // From the top of the page: the dataset source, then Train, then the view tabs (the map's tab is
  // the one stop of the tab list at first launch).
  await page.keyboard.press('Tab');
  const first = await focused(page);
  const stops = [first, ...(await tabTo(page, 'view-tab-map'))];
  expectInOrder(stops, ['dataset-source', 'setting-epochs', 'train-button', 'view-tab-map']);
  await mkdir('/tmp', { recursive: true });
  await page.screenshot({ path: '/tmp/a11y-focus-dataset-tab.png' });

  // Train from the keyboard: back to the button and press Enter.
  await page.getByTestId('train-button').focus();
  await expect(page.getByTestId('train-button')).toBeFocused();
  // The ring sits outside the button, so the picture takes a margin around it.
  const button = (await page.getByTestId('train-button').boundingBox())!;
  await page.screenshot({
    path: '/tmp/a11y-focus-train.png',
    clip: { x: button.x - 10, y: button.y - 10, width: button.width + 20, height: button.height + 20 },
  });
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('train-state')).toHaveText(/loading|running|completed/);
  const map = page.getByTestId('latent-map');
  await expect(map).toHaveAttribute('data-epoch', '2', { timeout: 120_000 });
  await expect(page.getByTestId('train-state')).toHaveText('completed');
  await expect(map).toHaveAttribute('data-layout-final', 'true');

  // The view tabs: arrow keys move the selection and the focus; Home and End jump.
  const tab = (view: string) => page.getByTestId(`view-tab-${view}`);
  await tab('dataset').click();
  await expect(tab('dataset')).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await expect(tab('map')).toBeFocused();
  await expect(tab('map')).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('End');
  await expect(tab('runs')).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Home');
  await expect(tab('dataset')).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowLeft');
  await expect(tab('runs')).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await expect(tab('map')).toHaveAttribute('aria-selected', 'true');
  await expect(tab('map')).toBeFocused();
  // Enter and Space on the focused tab keep it (it is a button).
  await page.keyboard.press('Enter');
  await page.keyboard.press(' ');
  await expect(tab('map')).toHaveAttribute('aria-selected', 'true');

  // The latent map's controls, in order after its tab, as they read: the tools beside the title,
  // then the layout's row, the plot, the timeline (MNIST has only the label to colour by, so that
  // select is disabled and out of the tab order).
  const mapStops = await tabTo(page, 'timeline');
  expectInOrder(mapStops, [
    'map-search',
    'export-menu',
    'projection-method',
    'projection-compute',
    'timeline',
  ]);
  await page.screenshot({ path: '/tmp/a11y-focus-map.png' });
  // The timeline slider goes back an epoch with the arrow key.
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByTestId('timeline')).toHaveAttribute('data-epoch', '1');
  await expect(map).toHaveAttribute('data-epoch', '1');
  // The search works from the keyboard.
  await page.getByTestId('map-search').focus();
  await page.keyboard.type('7');
  await expect(page.getByTestId('search-count')).toBeVisible();

  // The gallery's controls.
  await tab('map').focus();
  await page.keyboard.press('ArrowRight');
  await expect(tab('gallery')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('gallery-samples').getByTestId('sample-grid')).toBeVisible();
  const galleryStops = [
    ...(await tabTo(page, 'sample-reseed')),
    ...(await tabTo(page, 'gallery-export-grid')),
  ];
  expectInOrder(galleryStops, [
    'sample-size',
    'sample-reseed',
    'gallery-export-scale',
    'gallery-export-grid',
  ]);
  await page.getByTestId('sample-reseed').focus();
  await page.getByTestId('gallery-samples').screenshot({ path: '/tmp/a11y-focus-gallery.png' });
});
