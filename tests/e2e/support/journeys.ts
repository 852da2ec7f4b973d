/** User journeys written once and run against every host (browser host, Electron window). */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { expect, type Locator, type Page } from '@playwright/test';

/** The app's main views, in tab order. */
export const VIEWS = ['dataset', 'map', 'gallery', 'runs'] as const;

/**
 * Waits until the engine has started and said which backend it runs on, and the dataset the app
 * opens at launch is open: its summary resets the data limits, which would undo settings typed
 * before it arrived.
 */
export async function waitUntilReady(page: Page): Promise<void> {
  await expect(page.getByTestId('engine-state')).toContainText(/ready/i, { timeout: 60_000 });
  await expect(page.getByTestId('dataset-status')).toContainText(/Training uses/, { timeout: 60_000 });
}

/** Shows `view` through its tab, as a person clicks it. */
export async function showView(page: Page, view: (typeof VIEWS)[number]): Promise<void> {
  const tab = page.getByTestId(`view-tab-${view}`);
  await tab.click();
  await expect(tab).toHaveAttribute('aria-selected', 'true');
}

/**
 * Screenshots every view into test-results/screens/<host>/<journey>-<view>.png (a place a person
 * looks at after a run), then goes back to the view that was showing.
 */
export async function screenshotEveryView(page: Page, host: string, journey: string): Promise<void> {
  const directory = path.join('test-results', 'screens', host);
  await mkdir(directory, { recursive: true });
  const current = await page
    .locator('[data-testid^="view-tab-"][aria-selected="true"]')
    .getAttribute('data-testid');
  await page.mouse.move(1, 1);
  for (const view of VIEWS) {
    await showView(page, view);
    await page.screenshot({ path: path.join(directory, `${journey}-${view}.png`) });
  }
  const back = VIEWS.find((view) => `view-tab-${view}` === current);
  if (back) await showView(page, back);
}

/** Types the settings into the sidebar the way a person would. */
export async function fillSettings(page: Page, settings: Record<string, number>): Promise<void> {
  for (const [field, value] of Object.entries(settings)) {
    const input = page.getByTestId(`setting-${field}`);
    // Batch size, learning rate and the like live under the closed "Advanced" section.
    if (!(await input.isVisible())) await page.getByTestId('advanced-toggle').click();
    await input.fill(String(value));
    await expect(input).toHaveValue(String(value));
  }
}

/** Opens the app at `url` and waits until it is ready (see `waitUntilReady`). */
export async function openApp(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await waitUntilReady(page);
}

/**
 * Opens the app, trains built-in MNIST with `settings` and waits for the last epoch's map; its
 * `pageErrors` are the page's uncaught errors from the start.
 */
export async function trainMnistRun(page: Page, url: string, settings: Record<string, number>) {
  const pageErrors = collectPageErrors(page);
  // The launch dataset's summary resets the data limits: typed before it arrives, they are lost.
  await openApp(page, url);
  await expect(page.getByTestId('dataset-status')).toContainText(/MNIST/);
  const map = await startTraining(page, settings);
  await expectTrainedTo(page, map, String(settings['epochs']));
  return { map, scatter: map.getByTestId('scatter'), pageErrors };
}

/** `trainMnistRun`, then waits for the map's final layout of the last epoch. */
export async function trainMnistRunAndLayOut(page: Page, url: string, settings: Record<string, number>) {
  const trained = await trainMnistRun(page, url, settings);
  await expect(trained.map).toHaveAttribute('data-layout-final', 'true');
  return trained;
}

/** Types the settings in and presses Train; returns the latent map, which shows each epoch as it ends. */
export async function startTraining(page: Page, settings: Record<string, number>): Promise<Locator> {
  await fillSettings(page, settings);
  await page.getByTestId('train-button').click();
  return page.getByTestId('latent-map');
}

/** Waits until the map shows epoch `epochs` and the run says it completed. */
export async function expectTrainedTo(page: Page, map: Locator, epochs: string): Promise<void> {
  await expect(map).toHaveAttribute('data-epoch', epochs, { timeout: 120_000 });
  await expect(page.getByTestId('train-state')).toHaveText('completed');
}

/** Opens the folder chosen on the dataset view and waits for its summary: `count` images in `classes` classes. */
export async function openChosenFolder(page: Page, count: number, classes: number): Promise<void> {
  await page.getByTestId('dataset-open-button').click();
  const summary = page.getByTestId('dataset-summary');
  await expect(summary).toHaveAttribute('data-count', String(count), { timeout: 60_000 });
  await expect(summary).toHaveAttribute('data-classes', String(classes));
}

/** Every uncaught error of the page from now on, for a journey to assert there were none. */
export function collectPageErrors(page: Page): string[] {
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  return pageErrors;
}
